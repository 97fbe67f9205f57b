/**
 * Result and error codes the sandbox answers with. Those marked "seeds" or "protocol" come from
 * ../shared/seeds and ../shared/spec/protocol.md; the others are the sandbox's own choice, because the
 * public material names no code for that refusal (keep them easy to change when the real ones are known).
 */
export const CODES = {
  /** seeds: operation.code of a success. */
  success: { code: '0', message: 'Success' },
  /** seeds (GrabPay payout, Payco): the provider declined. */
  generalDecline: { code: '20000', message: 'General decline' },
  /** seeds (GrabPay): outside the method's amount limits. */
  amountLimit: { code: '20101', message: 'Decline due to amount or frequency limit' },
  /** protocol: interim code of a callback that is not the result yet (sandbox's use: awaiting redirect). */
  awaiting: { code: '9999', message: 'Awaiting processing' },
  /** protocol: the platform asks for more data. */
  clarification: { code: '3191', message: 'Clarification needed' },
  /** protocol. */
  duplicatePayment: { code: '3041', message: 'Payment ID already exists' },
  /** protocol. */
  notFound: { code: '3061', message: 'Transaction not found' },
  /** protocol. */
  invalidSignature: { code: '3261', message: 'Invalid signature' },
  /** sandbox's choice: the body is not a JSON object. */
  malformed: { code: '3001', message: 'Request is not a well-formed JSON object' },
  /** sandbox's choice: general.project_id names no project the sandbox knows. */
  unknownProject: { code: '3002', message: 'Project not found' },
  /** sandbox's choice: a required object or field is missing or invalid (the answer names it in `field`). */
  invalidField: { code: '3003', message: 'Missing or invalid parameter' },
  /** sandbox's choice: the method does not take this currency (here, or in the test project). */
  currency: { code: '3004', message: 'Currency is not supported by the payment method' },
  /** sandbox's choice: the payment is not in a state that allows this request (refund, clarification). */
  notAllowed: { code: '3005', message: 'Operation is not allowed for the payment in its current status' },
  /** sandbox's choice: no such Gate endpoint. */
  unknownEndpoint: { code: '3006', message: 'Unknown endpoint' },
} as const;

export type CodeName = keyof typeof CODES;
