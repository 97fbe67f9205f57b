/**
 * Creates a batch and runs its valid rows through the same service calls as the single-payout and refund
 * routes, each with the row's idempotency key: a row that was paid before (this batch re-run after a
 * crash, or the same row in another upload) finds its payout or refund and is not paid again.
 *
 * The rows live in the database (`bulk_rows`), claimed a few at a time with `FOR UPDATE SKIP LOCKED`, so a
 * batch survives a restart (`resume`) and two instances never send one row at once — and even if they did,
 * the idempotency key would make the second send find the first.
 */
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import * as z from 'zod/mini';
import { payoutRequestSchema, type PaymentView, type PayoutRequest } from '../../core/api.ts';
import { ApiError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import type { RefundView } from '../views.ts';
import type { RefundRowRequest, ValidRow } from './rows.ts';
import {
  bulkBatches,
  bulkRows,
  type BatchKind,
  type BatchRow,
  type BulkRowRow,
  type RowIssue,
} from './schema.ts';

/** What a batch needs of the service (the backend's Service has these, used by the single routes too). */
export interface BulkOperations {
  createPayout(
    req: PayoutRequest,
    key: string | null,
    ip: string,
  ): Promise<{ view: PaymentView; created: boolean }>;
  createRefund(
    paymentId: string,
    req: { description: string; amount?: number | undefined },
    key: string | null,
  ): Promise<{ view: { refund: RefundView; payment: PaymentView }; created: boolean }>;
}

export interface NewBatch {
  id: string;
  kind: BatchKind;
  batchKey: string;
  fileName: string | null;
  fileSha256: string;
  clientIp: string;
  totalRows: number;
  errors: RowIssue[];
  valid: ValidRow[];
}

/** Failures where the outcome is unknown or the request never got through: worth another try. */
export const RETRYABLE = ['gate_unavailable', 'gate_timeout', 'internal_error'];

/** Rows sent at once: several Gate round trips in flight, few enough to stay polite to the Gate. */
const CONCURRENCY = 8;

export class BulkRunner {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: { store: Store; ops: BulkOperations; log: Logger; now: () => number }) {}

  private get db() {
    return this.deps.store.db;
  }

  /** Inserts the batch and its rows in one transaction; an existing batch with the same key is returned. */
  async create(b: NewBatch): Promise<{ batch: BatchRow; created: boolean }> {
    const now = new Date(this.deps.now());
    return this.db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(bulkBatches)
        .values({
          id: b.id,
          kind: b.kind,
          batchKey: b.batchKey,
          fileName: b.fileName,
          fileSha256: b.fileSha256,
          clientIp: b.clientIp,
          totalRows: b.totalRows,
          errors: b.errors,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!inserted) {
        const [existing] = await tx
          .select()
          .from(bulkBatches)
          .where(and(eq(bulkBatches.kind, b.kind), eq(bulkBatches.batchKey, b.batchKey)));
        if (!existing) throw new Error('batch insert conflicted but no batch has the key');
        if (existing.fileSha256 !== b.fileSha256)
          throw new ApiError(
            422,
            'idempotency_key_reused',
            'This Idempotency-Key was used for a different file',
          );
        return { batch: existing, created: false };
      }
      for (let i = 0; i < b.valid.length; i += 500) {
        await tx.insert(bulkRows).values(
          b.valid.slice(i, i + 500).map((r) => ({
            batchId: b.id,
            line: r.line,
            idempotencyKey: r.key,
            request: r.request as unknown as Record<string, unknown>,
            state: 'queued' as const,
            repeated: 0,
            updatedAt: now,
          })),
        );
      }
      return { batch: inserted, created: true };
    });
  }

  /** Runs the batch's queued rows in the background (once per batch per instance). */
  start(batchId: string): Promise<void> {
    let run = this.running.get(batchId);
    if (!run) {
      run = this.run(batchId)
        .catch((error: unknown) =>
          this.deps.log.error('bulk.run_failed', { batch_id: batchId, error: String(error) }),
        )
        .finally(() => this.running.delete(batchId));
      this.running.set(batchId, run);
    }
    return run;
  }

  /**
   * After a crash or a Gate outage: rows left `sending`, and rows that failed because the Gate did not
   * answer, are queued again — their keys make a re-send find the payout or refund of the first try.
   */
  async resume(batchId: string): Promise<void> {
    if (!this.running.has(batchId)) {
      await this.db
        .update(bulkRows)
        .set({ state: 'queued', code: null, message: null, updatedAt: new Date(this.deps.now()) })
        .where(
          and(
            eq(bulkRows.batchId, batchId),
            or(
              eq(bulkRows.state, 'sending'),
              and(eq(bulkRows.state, 'failed'), inArray(bulkRows.code, RETRYABLE)),
            ),
          ),
        );
    }
    void this.start(batchId);
  }

  isRunning(batchId: string): boolean {
    return this.running.has(batchId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running.values());
  }

  private async claim(batchId: string): Promise<BulkRowRow[]> {
    const now = new Date(this.deps.now()).toISOString();
    const picked = sql`SELECT batch_id, line FROM bulk_rows WHERE batch_id = ${batchId} AND state = 'queued' ORDER BY line LIMIT ${CONCURRENCY} FOR UPDATE SKIP LOCKED`;
    const result = await this.db.execute(
      sql`UPDATE bulk_rows SET state = 'sending', updated_at = ${now}::timestamptz WHERE (batch_id, line) IN (${picked}) RETURNING line`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: { line: number }[] }).rows) as {
      line: number;
    }[];
    if (rows.length === 0) return [];
    return this.db
      .select()
      .from(bulkRows)
      .where(
        and(
          eq(bulkRows.batchId, batchId),
          inArray(
            bulkRows.line,
            rows.map((r) => Number(r.line)),
          ),
        ),
      )
      .orderBy(asc(bulkRows.line));
  }

  private async run(batchId: string): Promise<void> {
    const [batch] = await this.db.select().from(bulkBatches).where(eq(bulkBatches.id, batchId));
    if (!batch) return;
    for (
      let rows = await this.claim(batchId);
      rows.length > 0 && !this.stopped;
      rows = await this.claim(batchId)
    ) {
      await Promise.all(rows.map((r) => this.runRow(batch, r)));
    }
    await this.db
      .update(bulkBatches)
      .set({ updatedAt: new Date(this.deps.now()) })
      .where(eq(bulkBatches.id, batchId));
  }

  private async runRow(batch: BatchRow, row: BulkRowRow): Promise<void> {
    const { ops } = this.deps;
    const set: Partial<BulkRowRow> = { updatedAt: new Date(this.deps.now()) };
    try {
      if (batch.kind === 'payout') {
        // Parsed again so the request has the schema's key order whatever jsonb did to it.
        const req = z.parse(payoutRequestSchema, row.request);
        const r = await ops.createPayout(req, row.idempotencyKey, batch.clientIp);
        Object.assign(set, { state: 'done', paymentId: r.view.id, repeated: r.created ? 0 : 1 });
      } else {
        const req = row.request as unknown as RefundRowRequest;
        const r = await ops.createRefund(
          req.payment_id,
          { description: req.description, ...(req.amount !== undefined ? { amount: req.amount } : {}) },
          row.idempotencyKey,
        );
        Object.assign(set, {
          state: 'done',
          paymentId: req.payment_id,
          refundId: r.view.refund.id,
          repeated: r.created ? 0 : 1,
        });
      }
    } catch (error) {
      const e = error instanceof ApiError ? error : null;
      if (!e)
        this.deps.log.error('bulk.row_failed', { batch_id: batch.id, line: row.line, error: String(error) });
      Object.assign(set, {
        state: 'failed',
        code: e?.code ?? 'internal_error',
        message: e?.message ?? 'Something went wrong on our side',
      });
    }
    await this.db
      .update(bulkRows)
      .set(set)
      .where(and(eq(bulkRows.batchId, row.batchId), eq(bulkRows.line, row.line)));
  }

  async list(limit: number): Promise<BatchRow[]> {
    return this.db
      .select()
      .from(bulkBatches)
      .orderBy(desc(bulkBatches.createdAt), desc(bulkBatches.id))
      .limit(limit);
  }
}
