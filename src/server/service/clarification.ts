/** Clarification: the fields the Gate asked for, sent back to it. */
import type { ClarificationRequest, PaymentView } from '../../core/api.ts';
import { ApiError } from '../errors.ts';
import { buildClarificationRequest, CLARIFICATION_PATH } from '../gate.ts';
import type { ServiceContext } from './context.ts';
import { getPayment } from './purchase.ts';
import { gateFailure } from './send.ts';

export async function clarify(
  ctx: ServiceContext,
  id: string,
  req: ClarificationRequest,
): Promise<PaymentView> {
  const { store, gate } = ctx.deps;
  const p = await getPayment(ctx, id);
  if (p.status !== 'awaiting_clarification' || !p.clarificationFields || p.clarificationSent) {
    throw new ApiError(
      409,
      'not_awaiting_clarification',
      `Payment ${id} is ${p.status}; no clarification is requested`,
    );
  }
  const additional: Record<string, Record<string, string>> = {};
  const given = req as Record<string, Record<string, string | undefined> | undefined>;
  for (const [group, fields] of Object.entries(p.clarificationFields)) {
    const values = given[group] ?? {};
    const out: Record<string, string> = {};
    for (const field of fields) {
      const v = values[field];
      if (typeof v !== 'string' || v.trim() === '') {
        throw new ApiError(
          400,
          'validation_error',
          `${group}.${field}: This field is required`,
          `${group}.${field}`,
        );
      }
      out[field] = v.trim();
    }
    additional[group] = out;
  }
  const answer = await gate.send(
    CLARIFICATION_PATH,
    buildClarificationRequest(gate.context, p.id, additional),
  );
  if (answer.kind === 'refused') {
    const field =
      typeof answer.data.field === 'string' ? answer.data.field.replace(/^additional_data\./, '') : undefined;
    throw new ApiError(
      422,
      'clarification_refused',
      `The Gate refused the clarification: ${answer.message}`,
      field,
    );
  }
  if (answer.kind !== 'accepted')
    throw gateFailure(answer, 'The clarification was not confirmed; send it again.');
  const updated = await store.mutatePayment(p.id, ctx.date(), (cur) =>
    cur.status === 'awaiting_clarification' && !cur.clarificationSent
      ? { changes: { clarificationSent: true }, visible: true }
      : null,
  );
  return ctx.view(updated ?? p);
}
