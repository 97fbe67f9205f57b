import * as z from 'zod/mini';
import type { MethodId } from '../core/methods/index.ts';
import { providerPages } from './providers/index.ts';
import { isCurrency, type Currency } from '../core/money.ts';
import type { SandboxOptions, SandboxProject } from './types.ts';

export const DEFAULT_SANDBOX_PORT = 8790;
export const DEFAULT_SANDBOX_HOST = '127.0.0.1';

export interface SandboxConfig {
  port: number;
  host: string;
  options: Omit<SandboxOptions, 'fetch' | 'log' | 'now'>;
}

export class SandboxConfigError extends Error {
  override name = 'SandboxConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid sandbox configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const projectsSchema = z
  .array(
    z.object({
      id: z.int().check(z.positive()),
      secret: z.string().check(z.minLength(1)),
      callbackUrl: z.optional(z.url({ protocol: /^https?$/ })),
    }),
  )
  .check(z.minLength(1));

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const blank = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v.trim();

/**
 * Reads the sandbox's environment: SANDBOX_PORT (8790), SANDBOX_HOST (127.0.0.1), SANDBOX_PUBLIC_URL,
 * SANDBOX_PROJECTS (JSON `[{"id":1001,"secret":"…","callbackUrl":"…"}]`, else the demo project),
 * SANDBOX_TIME_SCALE, SANDBOX_REDIRECT_POST (e.g. `grabpay,advcash`), SANDBOX_TEST_PROJECT (1/true),
 * SANDBOX_JETON_CURRENCIES (else JETON_CURRENCIES), SANDBOX_CALLBACK_TRIES. Throws SandboxConfigError
 * listing every problem.
 */
export function loadSandboxConfig(
  env: Record<string, string | undefined>,
  demoProject: SandboxProject,
): SandboxConfig {
  const problems: string[] = [];

  const port = Number(blank(env.SANDBOX_PORT) ?? DEFAULT_SANDBOX_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    problems.push('SANDBOX_PORT must be a port number');
  const host = blank(env.SANDBOX_HOST) ?? DEFAULT_SANDBOX_HOST;
  const publicUrl = (
    blank(env.SANDBOX_PUBLIC_URL) ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  ).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(publicUrl))
    problems.push('SANDBOX_PUBLIC_URL must be an http(s) URL');

  let projects: SandboxProject[] = [demoProject];
  const rawProjects = blank(env.SANDBOX_PROJECTS);
  if (rawProjects !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawProjects);
    } catch {
      problems.push('SANDBOX_PROJECTS must be JSON: [{"id": 1001, "secret": "…", "callbackUrl": "…"}]');
    }
    if (parsed !== undefined) {
      const r = z.safeParse(projectsSchema, parsed);
      if (r.success) projects = r.data;
      else {
        const issue = r.error.issues[0];
        problems.push(
          `SANDBOX_PROJECTS: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`.trim(),
        );
      }
    }
  }

  const timeScale = Number(blank(env.SANDBOX_TIME_SCALE) ?? 1);
  if (!Number.isFinite(timeScale) || timeScale < 0) problems.push('SANDBOX_TIME_SCALE must be a number ≥ 0');

  const redirectMethod: Partial<Record<MethodId, 'GET' | 'POST'>> = {};
  const redirects = providerPages().map((p) => p.method);
  for (const m of list(env.SANDBOX_REDIRECT_POST)) {
    if (redirects.includes(m as MethodId)) redirectMethod[m as MethodId] = 'POST';
    else problems.push(`SANDBOX_REDIRECT_POST: "${m}" is not a redirect method (${redirects.join(', ')})`);
  }

  const testFlag = blank(env.SANDBOX_TEST_PROJECT)?.toLowerCase();
  const testProject = testFlag === '1' || testFlag === 'true' || testFlag === 'yes';

  const jetonList = list(env.SANDBOX_JETON_CURRENCIES ?? env.JETON_CURRENCIES);
  const jetonCurrencies: Currency[] = [];
  for (const c of jetonList) {
    if (isCurrency(c)) jetonCurrencies.push(c);
    else problems.push(`Jeton currency "${c}" is not supported`);
  }

  const triesText = blank(env.SANDBOX_CALLBACK_TRIES);
  const tries = triesText === undefined ? undefined : Number(triesText);
  if (tries !== undefined && (!Number.isInteger(tries) || tries < 1 || tries > 120)) {
    problems.push('SANDBOX_CALLBACK_TRIES must be an integer 1–120');
  }

  if (problems.length > 0) throw new SandboxConfigError(problems);
  return {
    port,
    host,
    options: {
      projects,
      publicUrl,
      timeScale,
      testProject,
      redirectMethod,
      ...(jetonCurrencies.length > 0 ? { jetonCurrencies } : {}),
      ...(tries !== undefined ? { callbackRetry: { maxAttempts: tries } } : {}),
    },
  };
}
