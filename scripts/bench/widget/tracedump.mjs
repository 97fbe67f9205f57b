// From the Adyen anchor (shared/research/adyen-anchor.md, section 6), verbatim except: pages without a 'bundle:start' mark (the
// embed: a classic script, no banner) use 'bundle:evaluated'. Traces: widget.mjs --trace-runs N --save-traces
// Dump the main-thread tasks of the page renderer between navigationStart and 'widget:ready-frame'.
import fs from 'node:fs';
const ev = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const E = Array.isArray(ev) ? ev : ev.traceEvents;
const mark = (n) => E.find((e) => e.name === n && e.cat?.includes('blink.user_timing'));
const ready = mark('widget:ready'),
  frame = mark('widget:ready-frame'),
  bstart = mark('bundle:start') ?? mark('bundle:evaluated');
const pid = ready.pid;
const tid = E.find(
  (e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain',
).tid;
const nav = E.filter((e) => e.pid === pid && e.name === 'navigationStart')
  .map((e) => e.ts)
  .filter((t) => t <= bstart.ts)
  .sort((a, b) => b - a)[0];
console.log(
  'marks (ms from navStart):',
  Object.fromEntries(
    E.filter((e) => e.pid === pid && e.cat?.includes('blink.user_timing') && e.ts >= nav).map((e) => [
      e.name,
      +((e.ts - nav) / 1000).toFixed(1),
    ]),
  ),
);
const main = E.filter(
  (e) =>
    e.pid === pid &&
    e.tid === tid &&
    e.ph === 'X' &&
    e.ts >= nav - 1000 &&
    e.ts <= (frame?.ts ?? ready.ts) + 1000,
).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
const tasks = main.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
for (const t of tasks) {
  if (t.dur < 3000) continue;
  const kids = main.filter(
    (e) =>
      e !== t &&
      e.ts >= t.ts &&
      e.ts + e.dur <= t.ts + t.dur &&
      e.dur >= 2000 &&
      !['RunTask'].includes(e.name),
  );
  const agg = {};
  for (const k of kids) agg[k.name] = (agg[k.name] || 0) + k.dur / 1000;
  console.log(
    `${((t.ts - nav) / 1000).toFixed(1).padStart(7)} ms  task ${(t.dur / 1000).toFixed(1).padStart(6)} ms :: ` +
      Object.entries(agg)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', '),
  );
}
const names = new Set(main.map((e) => e.name));
console.log('event names:', [...names].join(' | '));
