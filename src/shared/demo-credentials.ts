/**
 * The demo credentials the backend and the Gate sandbox share by default (the sandbox stands in for
 * ecommpay, so it imports nothing from the backend, and the backend nothing from it: both read these).
 * The backend refuses them when `APP_ENV=production`. Never imported by browser code.
 */
export const DEMO_PROJECT_ID = 1001;
export const DEMO_SECRET_KEY = 'demo-secret-key-do-not-use-in-production';
export const DEMO_MERCHANT_API_KEY = 'demo-merchant-api-key-do-not-use-in-production';
