/**
 * Bulk payouts and refunds from a CSV file (merchant API key):
 *
 * - `POST /api/merchant/batches?type=payout|refund[&dry_run=true][&file_name=…]`, body `text/csv`: the
 *   file is parsed and every row validated first. A malformed file, an unknown or missing column or a
 *   repeated row is a 400 and nothing is done. With `dry_run=true` the answer is the validation
 *   (`{rows, valid: [...], errors: [{line, field, message}]}`); without it the valid rows are run as a batch
 *   (201, or 200 with the existing batch when the same file — or the same `Idempotency-Key` — was uploaded
 *   before); rows with errors are listed in the batch and never run.
 * - `GET /api/merchant/batches`, `GET /api/merchant/batches/:id` (progress and each row's result),
 *   `GET /api/merchant/batches/:id/results.csv`, `POST /api/merchant/batches/:id/resume`.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Context, Env, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Catalog } from '../../core/methods/index.ts';
import { csvHeaders, csvLine } from '../csv.ts';
import { payments, refunds } from '../db/schema.ts';
import { ApiError, notFound } from '../errors.ts';
import type { Store } from '../store/index.ts';
import { parseCsv } from './csv-parse.ts';
import { COLUMNS, refuseDuplicates, validatePayouts, validateRefunds, type Validated } from './rows.ts';
import type { BulkRunner } from './runner.ts';
import { bulkBatches, type BatchKind } from './schema.ts';
import { batchView, RESULT_COLUMNS, resultCells } from './view.ts';

/** A file of 10,000 rows fits; the general body limit does not apply to these routes. */
export const BULK_BODY_LIMIT = 4 * 1024 * 1024;
export const BULK_PATH = '/api/merchant/batches';

export interface BulkRoutesDeps {
  store: Store;
  catalog: Catalog;
  runner: BulkRunner;
  merchantOnly: MiddlewareHandler;
  clientIp(c: Context): string;
  newId(prefix: string): string;
}

const CSV_TYPE =
  /^(text\/csv|text\/plain|application\/csv|application\/vnd\.ms-excel|application\/octet-stream)\s*(;|$)/i;

function kindOf(c: Context): BatchKind {
  const t = c.req.query('type');
  if (t === 'payout' || t === 'refund') return t;
  throw new ApiError(400, 'validation_error', 'type: use payout or refund', 'type');
}

async function validate(
  text: string,
  kind: BatchKind,
  deps: BulkRoutesDeps,
): Promise<Validated & { rows: number }> {
  const records = parseCsv(text, COLUMNS[kind]);
  refuseDuplicates(records);
  const v =
    kind === 'payout'
      ? validatePayouts(records, deps.catalog)
      : await validateRefunds(records, deps.catalog, {
          payment: async (id) =>
            (await deps.store.db.select().from(payments).where(eq(payments.id, id)))[0] ?? null,
          refunds: (id) => deps.store.db.select().from(refunds).where(eq(refunds.paymentId, id)),
        });
  return { ...v, rows: records.length };
}

export function registerBulkRoutes<E extends Env>(app: Hono<E>, deps: BulkRoutesDeps): void {
  const { store, runner, merchantOnly } = deps;
  const limit = bodyLimit({
    maxSize: BULK_BODY_LIMIT,
    onError: (c) =>
      c.json(
        {
          error: {
            code: 'body_too_large',
            message: `The file is larger than ${BULK_BODY_LIMIT} bytes; split it`,
          },
        },
        413,
      ),
  });

  app.post(BULK_PATH, merchantOnly, limit, async (c) => {
    const kind = kindOf(c);
    const type = c.req.header('content-type') ?? '';
    if (!CSV_TYPE.test(type))
      throw new ApiError(
        415,
        'unsupported_media_type',
        `Send the file as Content-Type: text/csv (got "${type || 'none'}")`,
      );
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ApiError(400, 'csv_invalid', 'The file is not UTF-8 text (save it as "CSV UTF-8")', 'file');
    }
    const checked = await validate(text, kind, deps);
    const preview = {
      type: kind,
      rows: checked.rows,
      valid: checked.valid.map((r) => ({ line: r.line, summary: r.summary })),
      errors: checked.errors,
    };
    if (c.req.query('dry_run') === 'true') return c.json(preview);
    if (checked.valid.length === 0)
      throw new ApiError(422, 'no_valid_rows', 'No row of the file is valid; nothing was run', 'file');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const key = c.req.header('idempotency-key')?.trim();
    if (key !== undefined && (key === '' || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)))
      throw new ApiError(
        400,
        'validation_error',
        'Idempotency-Key: 1–255 visible ASCII characters',
        'Idempotency-Key',
      );
    const fileName = c.req.query('file_name')?.slice(0, 200) ?? null;
    const { batch, created } = await runner.create({
      id: deps.newId('bat'),
      kind,
      batchKey: key ?? `sha256:${sha}`,
      fileName,
      fileSha256: sha,
      clientIp: deps.clientIp(c),
      totalRows: checked.rows,
      errors: checked.errors,
      valid: checked.valid,
    });
    if (created) void runner.start(batch.id);
    return c.json(await batchView(store, batch, { rows: false }), created ? 201 : 200);
  });

  app.get(BULK_PATH, merchantOnly, async (c) => {
    const list = await runner.list(20);
    return c.json({ data: await Promise.all(list.map((b) => batchView(store, b, { rows: false }))) });
  });

  const load = async (id: string) => {
    const [b] = await store.db.select().from(bulkBatches).where(eq(bulkBatches.id, id));
    if (!b) throw notFound('batch', id);
    return b;
  };

  app.get(`${BULK_PATH}/:id`, merchantOnly, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(
      await batchView(store, await load(c.req.param('id')), { rows: c.req.query('rows') !== 'false' }),
    );
  });

  app.get(`${BULK_PATH}/:id/results.csv`, merchantOnly, async (c) => {
    const b = await load(c.req.param('id'));
    const view = await batchView(store, b, { rows: true });
    const body = csvLine(RESULT_COLUMNS) + resultCells(view).map(csvLine).join('');
    return c.body(body, 200, csvHeaders(`${b.kind}s-${b.id}.csv`));
  });

  app.post(`${BULK_PATH}/:id/resume`, merchantOnly, async (c) => {
    const b = await load(c.req.param('id'));
    await runner.resume(b.id);
    return c.json(await batchView(store, b, { rows: false }), 202);
  });
}
