// Tiny static server for dist/ on 127.0.0.1. gzip -9 (precomputed, cached) when the client accepts it.
// Usage: node server.mjs [port]   (prints "listening <port>")
// From the Adyen anchor's server.mjs (shared/research/adyen-anchor.md, section 6), plus one route for the Adyen page's
// Pay phase: POST /adyen/payments?sandbox=<origin> stands in for the merchant server's /payments call and answers
// at once with a GET redirect action to <origin>/health (no Adyen API behind it: a lower bound for Adyen's server leg).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const ROOT = path.join(path.dirname(new URL(import.meta.url).pathname), 'dist');
const PORT = Number(process.argv[2] || 4599);
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};
const cache = new Map(); // path -> {raw, gz, mtime}

function load(file) {
  const st = fs.statSync(file);
  let c = cache.get(file);
  if (!c || c.mtime !== st.mtimeMs) {
    const raw = fs.readFileSync(file);
    c = { raw, gz: zlib.gzipSync(raw, { level: 9 }), mtime: st.mtimeMs };
    cache.set(file, c);
  }
  return c;
}

http
  .createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'POST' && url.pathname === '/adyen/payments') {
      req.resume();
      req.on('end', () => {
        const target = `${url.searchParams.get('sandbox') || 'http://127.0.0.1:1'}/health?adyen=1`;
        const body = JSON.stringify({
          resultCode: 'RedirectShopper',
          pspReference: 'BENCH0000000000',
          action: { type: 'redirect', method: 'GET', url: target, paymentMethodType: 'grabpay_PH' },
        });
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'cache-control': 'no-store',
        });
        res.end(body);
      });
      return;
    }
    let p = path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = path.join(ROOT, p);
    if (!file.startsWith(ROOT)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    } catch {
      // not there: the 404 below answers
    }
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const c = load(file);
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    const body = gzip ? c.gz : c.raw;
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  })
  .listen(PORT, '127.0.0.1', () => console.log(`listening ${PORT}`));
