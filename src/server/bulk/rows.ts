/**
 * Every row of a bulk file checked before anything runs, with the method's own rules from the core
 * (src/core/methods): the payout request schema (GrabPay 09 + 9 digits and the holder's name, ADVCash's
 * wallet e-mail, Jeton's optional e-mail), the method's payout currencies and limits, Jeton's split into
 * vouchers of at most 500.00, and for refunds the method's refund support and what is left of the payment.
 *
 * Each valid row gets an idempotency key derived from its content (or from its `reference`, when the file
 * has one): the same row uploaded again — the same file twice, or a corrected file — finds the payout or
 * refund it made the first time instead of paying again. To pay the same payee the same amount twice on
 * purpose, give the rows distinct references.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { payoutRequestSchema, toFieldIssues, type PayoutRequest } from '../../core/api.ts';
import { splitIntoVouchers, type Catalog, type MethodId } from '../../core/methods/index.ts';
import { isCurrency, toMajorString, toMinor, type Currency } from '../../core/money.ts';
import type { PaymentRow, RefundRow } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { ColumnSpec, CsvRecord } from './csv-parse.ts';
import type { BatchKind, RowIssue } from './schema.ts';

export const COLUMNS: Record<BatchKind, ColumnSpec> = {
  payout: {
    required: ['method', 'currency', 'amount', 'customer_id'],
    optional: ['account', 'name', 'email', 'description', 'reference'],
  },
  refund: { required: ['payment_id', 'description'], optional: ['amount', 'reference'] },
};

export interface RefundRowRequest {
  payment_id: string;
  description: string;
  amount?: number;
}

export interface ValidRow {
  line: number;
  key: string;
  request: PayoutRequest | RefundRowRequest;
  /** What the row will do, for the preview: "GrabPay PHP 1,500.00 to 09171234567", the voucher split. */
  summary: string;
}

export interface Validated {
  valid: ValidRow[];
  errors: RowIssue[];
}

/** What validation needs from the store: the payment a refund row names, and refunds already made. */
export interface RefundLookup {
  payment(id: string): Promise<PaymentRow | null>;
  refunds(paymentId: string): Promise<RefundRow[]>;
}

/** Where a request field is in the file. */
const PAYOUT_COLUMN: Record<string, string> = {
  'account.number': 'account',
  'account.customer_name': 'name',
  'account.email': 'email',
  'customer.id': 'customer_id',
  amount: 'amount',
  currency: 'currency',
  description: 'description',
  method: 'method',
};

export function rowKey(kind: BatchKind, content: unknown, reference: string | undefined): string {
  const basis = reference ? `ref:${reference}` : JSON.stringify(content);
  return `bulk_${kind}_${createHash('sha256').update(`${kind}\n${basis}`).digest('hex').slice(0, 40)}`;
}

/** A file that repeats a row is refused as a whole: which row was meant twice is for the merchant to say. */
export function refuseDuplicates(records: CsvRecord[]): void {
  const seen = new Map<string, number>();
  for (const r of records) {
    const { reference, ...rest } = r.cells;
    const id = reference
      ? `ref:${reference}`
      : JSON.stringify(Object.entries(rest).map(([k, v]) => [k, v.toLowerCase()]));
    const first = seen.get(id);
    if (first !== undefined)
      throw new ApiError(
        400,
        'csv_duplicate_row',
        reference
          ? `line ${r.line}: the reference "${reference}" is already on line ${first}`
          : `line ${r.line} repeats line ${first}; give each row a distinct reference to pay it twice`,
        'file',
      );
    seen.set(id, r.line);
  }
}

function money(minor: number, currency: Currency): string {
  return `${currency} ${toMajorString(minor, currency)}`;
}

export function validatePayouts(records: CsvRecord[], catalog: Catalog): Validated {
  const valid: ValidRow[] = [];
  const errors: RowIssue[] = [];
  for (const { line, cells } of records) {
    const issues: RowIssue[] = [];
    const method = cells.method?.toLowerCase() ?? '';
    const currency = cells.currency?.toUpperCase() ?? '';
    let amount: number | undefined;
    if (!isCurrency(currency))
      issues.push({ line, field: 'currency', message: `Unknown currency "${currency}"` });
    else {
      try {
        amount = toMinor(cells.amount ?? '', currency);
        if (amount <= 0)
          issues.push({ line, field: 'amount', message: 'The amount must be greater than zero' });
      } catch (error) {
        issues.push({ line, field: 'amount', message: (error as Error).message });
      }
    }
    const account: Record<string, string> = {};
    if (method === 'grabpay')
      Object.assign(account, { number: cells.account ?? '', customer_name: cells.name ?? '' });
    else if (method === 'advcash') account.number = cells.account ?? '';
    else if (method === 'jeton' && (cells.email || cells.account))
      account.email = cells.email || cells.account || '';
    const body = {
      method,
      currency,
      amount: amount ?? 1,
      customer: { id: cells.customer_id ?? '' },
      ...(method === 'jeton' && !account.email ? {} : { account }),
      ...(cells.description ? { description: cells.description } : {}),
    };
    const known = catalog.methods.find((m) => m.id === method);
    if (!known)
      issues.push({
        line,
        field: 'method',
        message: `Unknown method "${cells.method}"; use grabpay, advcash or jeton`,
      });
    else if (!known.payout) issues.push({ line, field: 'method', message: `${known.name} has no payouts` });
    let request: PayoutRequest | null = null;
    if (known?.payout) {
      const r = z.safeParse(payoutRequestSchema, body);
      if (!r.success) {
        for (const i of toFieldIssues(r.error))
          if (!(i.field === 'amount' && amount === undefined) && i.field !== 'currency')
            issues.push({ line, field: PAYOUT_COLUMN[i.field] ?? i.field, message: i.message });
      } else request = r.data;
    }
    if (request && amount !== undefined && issues.length === 0) {
      const reason = catalog.checkPayout(method as MethodId, amount, currency as Currency);
      if (reason)
        issues.push({
          line,
          field: reason.code === 'below_minimum' || reason.code === 'above_maximum' ? 'amount' : 'currency',
          message: reason.message,
        });
    }
    if (issues.length > 0 || !request) {
      errors.push(...issues);
      continue;
    }
    let summary = `${known?.name} ${money(request.amount, request.currency)}`;
    if (request.method === 'jeton') {
      const parts = splitIntoVouchers(request.amount, request.currency);
      summary += ` as ${parts.length} voucher${parts.length > 1 ? 's' : ''} (${parts.map((p) => toMajorString(p, request.currency)).join(' + ')})`;
    } else {
      summary += ` to ${(request.account as { number: string }).number}`;
    }
    valid.push({ line, key: rowKey('payout', request, cells.reference), request, summary });
  }
  return { valid, errors };
}

/** Refund rows: Payco payments that are paid, each amount within what is left after the rows above it. */
export async function validateRefunds(
  records: CsvRecord[],
  catalog: Catalog,
  lookup: RefundLookup,
): Promise<Validated> {
  const valid: ValidRow[] = [];
  const errors: RowIssue[] = [];
  const left = new Map<string, number>();
  for (const { line, cells } of records) {
    const id = cells.payment_id ?? '';
    const p = id ? await lookup.payment(id) : null;
    const fail = (field: string, message: string) => errors.push({ line, field, message });
    if (!cells.description) {
      fail('description', 'A description is required');
      continue;
    }
    if (cells.description.length > 255) {
      fail('description', 'This text is too long');
      continue;
    }
    if (!p || p.type !== 'purchase') {
      fail('payment_id', id ? `No payment ${id}` : 'A payment id is required');
      continue;
    }
    const currency = p.currency as Currency;
    let amount: number | undefined;
    if (cells.amount) {
      try {
        amount = toMinor(cells.amount, currency);
      } catch (error) {
        fail('amount', (error as Error).message);
        continue;
      }
      if (amount <= 0) {
        fail('amount', 'The amount must be greater than zero');
        continue;
      }
    }
    const request: RefundRowRequest = {
      payment_id: p.id,
      description: cells.description,
      ...(amount !== undefined ? { amount } : {}),
    };
    const key = rowKey('refund', request, cells.reference);
    const refunds = await lookup.refunds(p.id);
    const done = refunds.find((r) => r.idempotencyKey === key);
    const method = p.method ? catalog.get(p.method) : null;
    if (!done) {
      if (!method || method.refunds === 'none') {
        fail('payment_id', `${method?.name ?? 'This'} payments cannot be refunded through the API`);
        continue;
      }
      if (p.status !== 'success' && p.status !== 'partially_refunded') {
        fail(
          'payment_id',
          `The payment is ${p.status.replace(/_/g, ' ')}; only paid payments can be refunded`,
        );
        continue;
      }
      const taken = refunds
        .filter((r) => ['success', 'sending', 'pending', 'unknown'].includes(r.status))
        .reduce((sum, r) => sum + r.amount, 0);
      const remaining = left.get(p.id) ?? p.amount - taken;
      const wanted = amount ?? remaining;
      if (remaining <= 0 || wanted > remaining) {
        fail(
          'amount',
          remaining <= 0
            ? `Nothing is left to refund of ${p.id}`
            : `${money(wanted, currency)} is more than the ${money(remaining, currency)} left to refund`,
        );
        continue;
      }
      left.set(p.id, remaining - wanted);
    }
    const what = amount === undefined ? 'everything left' : money(amount, currency);
    valid.push({
      line,
      key,
      request,
      summary: `Refund ${what} of ${p.id}${done ? ' (made before: not sent again)' : ''}`,
    });
  }
  return { valid, errors };
}
