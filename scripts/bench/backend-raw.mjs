#!/usr/bin/env node
// The baseline of the backend benchmark: a raw node:http server that only signs the JSON it is sent —
// collect the body, JSON.parse, JSON.stringify, HMAC-SHA512 (node:crypto), answer 200 with the signature.
// No framework, no store, no Gate. BENCH_RAW_PORT (0 = any), BENCH_SECRET. Prints `{"port": n}`.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.BENCH_SECRET ?? 'secret';
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let payload;
    try {
      payload = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_json"}');
      return;
    }
    const signature = createHmac('sha512', secret).update(payload).digest('base64');
    const body = JSON.stringify({ signature });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(Number(process.env.BENCH_RAW_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
