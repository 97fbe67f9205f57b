/**
 * Change notifications: a transaction that changes a payment visibly calls `pg_notify` (delivered at
 * commit, so a listener never sees uncommitted data). On PostgreSQL every instance LISTENs, so a callback
 * stored by one instance wakes the long-polls held by another. PGlite has one process by nature: the
 * in-process emitter is enough. Every instance also emits locally after commit; a waiter that is woken
 * twice just reads the row again.
 */
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { Logger } from '../logger.ts';
import type { Exec } from './driver.ts';

export const NOTIFY_CHANNEL = 'ecp_payment_changed';

export class Notifier {
  private readonly emitter = new EventEmitter();
  private listener: { close(): Promise<void> } | null = null;
  private closed = false;

  constructor(
    readonly kind: 'pglite' | 'postgres',
    private readonly log: Logger | undefined,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Calls `fn` when payment `id` changes (here or, on PostgreSQL, in another instance). */
  subscribe(id: string, fn: () => void): () => void {
    this.emitter.on(id, fn);
    return () => this.emitter.off(id, fn);
  }

  /** Inside the transaction that changes payment `id` (PostgreSQL: delivered to every instance at commit). */
  async notify(tx: Exec, id: string): Promise<void> {
    if (this.kind === 'postgres') await tx.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, ${id})`);
  }

  /** After commit, in this instance. */
  emitLocal(id: string): void {
    // On PostgreSQL the LISTEN connection echoes our own notifications too; emitting now saves the round trip.
    queueMicrotask(() => this.emitter.emit(id));
  }

  /** LISTENs on one dedicated PostgreSQL connection, reconnecting after an error. */
  async listen(url: string): Promise<void> {
    const { default: pg } = await import('pg');
    let client: InstanceType<typeof pg.Client> | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: url });
      c.on('notification', (msg) => {
        if (msg.channel === NOTIFY_CHANNEL && msg.payload) this.emitter.emit(msg.payload);
      });
      c.on('error', (error) => {
        // Long-polls still end at their timeout and read the row, so a lost listener costs latency only.
        this.log?.warn('db.listener_error', { error: error.message });
        void c.end().catch(() => undefined);
        if (client === c) client = null;
        if (!this.closed && !retry) {
          retry = setTimeout(() => {
            retry = null;
            void connect().catch((e: unknown) =>
              this.log?.warn('db.listener_reconnect_failed', { error: String(e) }),
            );
          }, 1000);
          retry.unref();
        }
      });
      await c.connect();
      await c.query(`LISTEN ${NOTIFY_CHANNEL}`);
      client = c;
    };
    await connect();
    this.listener = {
      close: async () => {
        if (retry) clearTimeout(retry);
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.close();
  }
}
