import fs from 'node:fs';
import { decode } from '@jridgewell/sourcemap-codec';
const js = fs.readFileSync(process.argv[2], 'utf8');
const map = JSON.parse(fs.readFileSync(process.argv[2] + '.map', 'utf8'));
const lines = js.split('\n');
const dec = decode(map.mappings);
const agg = {};
dec.forEach((segs, li) => {
  const line = lines[li] ?? '';
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const next = segs[i + 1];
    const len = (next ? next[0] : line.length) - s[0];
    const src = s.length > 1 ? map.sources[s[1]] : '(none)';
    const m = src.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const key = m
      ? m[1]
      : src
          .replace(/^.*\/src\//, 'src/')
          .split('/')
          .slice(0, 3)
          .join('/');
    agg[key] = (agg[key] ?? 0) + len;
  }
});
Object.entries(agg)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 30)
  .forEach(([k, v]) => console.log(String(v).padStart(8), k));
