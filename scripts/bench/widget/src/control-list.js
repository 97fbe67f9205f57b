// From the Adyen anchor (shared/research/adyen-anchor.md, section 6), verbatim.
export const ITEMS = [
  { id: 'grabpay_PH', label: 'GrabPay (PH)' },
  { id: 'grabpay_MY', label: 'GrabPay (MY)' },
  { id: 'kcp_payco', label: 'PAYCO' },
  { id: 'gcash', label: 'GCash' },
];
