/**
 * The embed's stage one (loaded by `./loader.ts`): `mount` renders `<Checkout>` with Preact. The forms are
 * stage two, `import()`ed by `<Checkout>` (`src/react/useLazy.ts`) and already preloaded by the loader.
 */
export { mount } from './mount.tsx';
