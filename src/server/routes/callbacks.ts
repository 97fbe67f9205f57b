/** ecommpay's callbacks: verified before anything is stored, then stored and applied atomically (200 after commit). */
import type { Hono } from 'hono';
import { verifyCallbackText } from '../../core/signature.ts';
import { ApiError } from '../errors.ts';
import { parseGateMessage } from '../service/gate-messages.ts';
import type { Guards } from './guards.ts';
import { unstorableText, unstorableTextPath, type Env, type RouteParts } from './request.ts';

export function callbackRoutes(
  app: Hono<Env>,
  { config, service, log }: RouteParts,
  { failures }: Guards,
): void {
  app.post('/api/callbacks/ecommpay', async (c) => {
    // A source that keeps sending unsigned or forged callbacks is refused before any work (the Gate's
    // callbacks are always signed, so they never count).
    failures.callbacks.check(c);
    const raw = await c.req.text();
    // The signature is checked before anything is stored.
    const verified = await verifyCallbackText(raw, config.secretKey);
    if (!verified.ok) {
      failures.callbacks.fail(c);
      log.warn('callback.rejected', {
        request_id: c.var.requestId,
        reason: verified.reason,
        bytes: raw.length,
      });
      if (verified.reason === 'bad_signature')
        throw new ApiError(403, 'invalid_signature', 'The callback signature is not valid');
      if (verified.reason === 'missing_signature')
        throw new ApiError(400, 'missing_signature', 'The callback is not signed');
      throw new ApiError(400, 'invalid_json', 'The callback body is not a JSON object');
    }
    // Genuine Gate messages never carry these; stored, they would fail the transaction on every retry.
    const bad = unstorableTextPath(verified.data);
    if (bad !== null) {
      log.warn('callback.rejected', { request_id: c.var.requestId, reason: 'unstorable_text', field: bad });
      throw unstorableText(bad);
    }
    const update = parseGateMessage(verified.data);
    if (update.projectId !== undefined && update.projectId !== config.projectId) {
      log.warn('callback.wrong_project', { project_id: update.projectId });
      throw new ApiError(400, 'wrong_project', `The callback is for project ${update.projectId}`);
    }
    const result = await service.recordGateMessage(raw, verified.data, 'callback');
    return c.json({ status: 'ok', duplicate: result.duplicate });
  });
}
