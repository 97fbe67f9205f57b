// From the Adyen anchor (shared/research/adyen-anchor.md, section 6), verbatim.
// Adyen Drop-in, redirect wallets only (grabpay_PH, grabpay_MY, kcp_payco, gcash -> Redirect component)
import { AdyenCheckout, Dropin, Redirect } from '@adyen/adyen-web';
import '@adyen/adyen-web/styles/adyen.css';
import { REDIRECT_METHODS, mountDropin } from './adyen-common.js';
performance.mark('bundle:evaluated');
mountDropin({ AdyenCheckout, Dropin, components: [Redirect], paymentMethods: REDIRECT_METHODS });
