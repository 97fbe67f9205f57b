#!/usr/bin/env node
// `npm run test:loaded [-- <suite> ...]`: `npm test` (or the named suites) while a CPU hog keeps every core
// busy, as on a shared CI machine. The tests must not need an idle machine (no timing bound that only an
// idle machine meets). The hog is one busy `node -e 'for(;;){}'` per core (HOG_PROCESSES to change), at
// normal priority; it is stopped however the run ends: success, failure, Ctrl-C, SIGTERM or a crash.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const count = Number(process.env.HOG_PROCESSES ?? availableParallelism());
const hogs = Array.from({ length: count }, () =>
  spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }),
);
console.error(`test:loaded: ${count} CPU hog processes (${hogs.map((h) => h.pid).join(', ')})`);

function stopHogs() {
  for (const h of hogs) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
}
process.on('exit', stopHogs);

const started = Date.now();
const run = spawn(process.execPath, ['scripts/test.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // The test run gets the signal too (same process group on Ctrl-C); make sure of it, then leave.
    run.kill(signal);
    stopHogs();
    process.exit(130);
  });
}
run.on('exit', (code, signal) => {
  stopHogs();
  console.error(
    `test:loaded: the run took ${((Date.now() - started) / 1000).toFixed(0)} s under ${count} hogs`,
  );
  process.exit(code ?? (signal ? 1 : 0));
});
run.on('error', (error) => {
  console.error(`test:loaded: ${error.message}`);
  stopHogs();
  process.exit(1);
});
