/**
 * Runs the backend (`src/server/main.ts`) with a CPU profiler that SIGUSR2 toggles: the first signal starts
 * it, the next one writes `<BENCH_PROFILE_DIR>/<n>.cpuprofile` — so the benchmark profiles one phase, not
 * start-up. Used by `node scripts/bench/backend.mjs --profile`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.BENCH_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
let running = false;
let n = 0;
let busy: Promise<void> = Promise.resolve();

process.on('SIGUSR2', () => {
  busy = busy.then(async () => {
    if (!running) {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      running = true;
    } else {
      const { profile } = await session.post('Profiler.stop');
      running = false;
      writeFileSync(join(dir, `${++n}.cpuprofile`), JSON.stringify(profile));
      process.stdout.write(`${JSON.stringify({ msg: 'bench.profile_written', n })}\n`);
    }
  });
});

const entry = process.env.BENCH_SERVER_ENTRY;
await import(entry ? pathToFileURL(entry).href : '../../src/server/main.ts');
