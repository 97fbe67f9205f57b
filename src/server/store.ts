// The store moved to `./store/` (one file per aggregate). This re-export keeps old import paths working
// (tests/faults/kill.test.ts, owned by another branch); import `./store/index.ts` in new code.
export * from './store/index.ts';
