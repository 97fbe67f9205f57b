// The benchmark's pages (shared by build.mjs and measure.mjs).
// kind 'esbuild': entry bundled to app.js with the anchor's settings; kind 'embed': the script-tag embed's two files
// and an inline mount() call. paySelector: the button whose click starts the Pay measurement (none: no Pay phase).
// payMethod: what the driver selects before Pay. session: the page needs a fresh checkout session per run.
export const PAGES = {
  'adyen-redirect': {
    kind: 'esbuild',
    entry: 'src/adyen-redirect.js',
    paySelector: '.adyen-checkout__button--pay',
  },
  'react-control': { kind: 'esbuild', entry: 'src/react-control.jsx', jsxImportSource: 'react' },
  'preact-control': { kind: 'esbuild', entry: 'src/preact-control.jsx', jsxImportSource: 'preact' },
  'ecp-spa': {
    kind: 'esbuild',
    entry: 'src/ecp-spa.jsx',
    jsxImportSource: 'react',
    lazyLocalesExternal: true,
    session: true,
    payMethod: 'input[type=radio][value=grabpay]',
    paySelector: '.ecp-button--primary',
  },
  'ecp-embed': {
    kind: 'embed',
    session: true,
    payMethod: 'input[type=radio][value=grabpay]',
    paySelector: '.ecp-button--primary',
  },
  // The same two pages given the session as the merchant's server got it back from POST /api/sessions (the
  // documented `session` option), as Adyen's page is given its paymentMethodsResponse: no session request.
  // Same build as the page above; the driver passes the session's JSON in the query (`inline`).
  'ecp-spa-inline': {
    kind: 'esbuild',
    entry: 'src/ecp-spa.jsx',
    jsxImportSource: 'react',
    lazyLocalesExternal: true,
    session: true,
    inlineSession: true,
    payMethod: 'input[type=radio][value=grabpay]',
    paySelector: '.ecp-button--primary',
  },
  'ecp-embed-inline': {
    kind: 'embed',
    session: true,
    inlineSession: true,
    payMethod: 'input[type=radio][value=grabpay]',
    paySelector: '.ecp-button--primary',
  },
};
