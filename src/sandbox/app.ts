import { Hono } from 'hono';
import * as z from 'zod/mini';
import { Engine, SandboxError } from './engine.ts';
import { faultsInputSchema } from './faults.ts';
import { gateRoutes } from './gate.ts';
import { STYLESHEET, STYLESHEET_PATH } from './html.ts';
import { paymentPageRoutes } from './payment-page.ts';
import { providerRoutes } from './provider-pages.ts';
import type { Faults, Sandbox, SandboxOptions } from './types.ts';

export type * from './types.ts';
export { DELAYS } from './engine.ts';
export { CODES } from './codes.ts';
export { NO_FAULTS } from './faults.ts';

/**
 * The Gate sandbox: ecommpay's Gate, Payment Page and the four providers, emulated closely enough that the
 * backend switches to the real Gate by changing its URL and keys. See docs/architecture.md.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  validateOptions(options);
  const engine = new Engine(options);
  const app = new Hono();

  if (options.log) {
    const log = options.log;
    app.use(async (c, next) => {
      const started = performance.now();
      await next();
      log({
        time: new Date().toISOString(),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
  }

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get(STYLESHEET_PATH, (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  gateRoutes(app, engine);
  providerRoutes(app, engine);
  paymentPageRoutes(app, engine);

  // ── the sandbox's own endpoints, for tests and the demo ──────────────────────────────────────────
  app.get('/_sandbox/ledger', (c) => {
    const project = c.req.query('project_id');
    const payment = c.req.query('payment_id');
    const entries = engine.ledger
      .entries()
      .filter(
        (e) =>
          (project === undefined || String(e.project_id) === project) &&
          (payment === undefined || e.payment_id === payment),
      );
    return c.json(entries);
  });

  app.get('/_sandbox/faults', (c) => c.json(engine.faults.get()));
  app.post('/_sandbox/faults', async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const r = z.safeParse(faultsInputSchema, body);
    if (!r.success) {
      const issue = r.error.issues[0];
      return c.json(
        {
          error: {
            code: 'invalid_faults',
            message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
          },
        },
        400,
      );
    }
    const { reset, ...faults } = r.data;
    if (reset) engine.faults.reset();
    engine.faults.set(faults as Partial<Faults>);
    return c.json(engine.faults.get());
  });

  app.post('/_sandbox/payments/:projectId/:paymentId/decide', async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const r = z.safeParse(z.object({ result: z.enum(['success', 'decline']) }), body);
    if (!r.success) {
      return c.json(
        { error: { code: 'invalid_result', message: 'Send {"result": "success" | "decline"}' } },
        400,
      );
    }
    const record = engine.ledger.get(Number(c.req.param('projectId')), c.req.param('paymentId'));
    if (!record) return c.json({ error: { code: 'not_found', message: 'No such payment' } }, 404);
    try {
      await engine.decide(record, r.data.result);
    } catch (error) {
      if (error instanceof SandboxError)
        return c.json({ error: { code: 'not_decidable', message: error.message } }, 409);
      throw error;
    }
    return c.json(
      engine.ledger
        .entries()
        .find((e) => e.project_id === record.projectId && e.payment_id === record.paymentId),
    );
  });

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((error, c) => {
    console.error('[sandbox] request failed:', error);
    return c.json({ status: 'error', code: '500', message: 'Sandbox internal error' }, 500);
  });

  return {
    app,
    ledger: () => engine.ledger.entries(),
    setFaults: (f) => engine.faults.set(f),
    faults: () => engine.faults.get(),
    resetFaults: () => engine.faults.reset(),
    decide: async (projectId, paymentId, result) => {
      const record = engine.ledger.get(projectId, paymentId);
      if (!record) throw new SandboxError(`No payment ${paymentId} in project ${projectId}`);
      await engine.decide(record, result);
    },
    idle: () => engine.scheduler.idle(),
    close: () => engine.close(),
  };
}

function validateOptions(options: SandboxOptions): void {
  if (!Array.isArray(options.projects) || options.projects.length === 0) {
    throw new TypeError('createSandbox: give at least one project');
  }
  for (const p of options.projects) {
    if (!Number.isSafeInteger(p.id) || typeof p.secret !== 'string' || p.secret === '') {
      throw new TypeError(`createSandbox: each project needs an integer id and a non-empty secret`);
    }
  }
  if (!/^https?:\/\//.test(options.publicUrl))
    throw new TypeError('createSandbox: publicUrl must be an http(s) URL');
  if (options.timeScale !== undefined && !(options.timeScale >= 0 && Number.isFinite(options.timeScale))) {
    throw new TypeError('createSandbox: timeScale must be a finite number ≥ 0');
  }
}
