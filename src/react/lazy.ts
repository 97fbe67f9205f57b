/**
 * What `<Checkout>` needs only once the session is there: the method forms and the clarification form,
 * with react-hook-form behind them. `<Checkout>` loads this module with `import()`, so bundlers put it in
 * a chunk of its own and the page's first load stays small; it starts loading when `<Checkout>` mounts,
 * alongside the session request. (The same forms are exported by the package entry for custom layouts.)
 */
export { METHOD_FORMS } from './forms/index.ts';
export { ClarificationForm } from './components/ClarificationForm.tsx';
