/** A merchant's webhook receiver for tests: a node:http server on 127.0.0.1:0 that records what it gets. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when the body had arrived. */
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers a request (default 200); may wait (a slow merchant). */
  respond: (r: Received, index: number) => number | Promise<number>;
  /** How many requests were being answered at once, at most. */
  maxConcurrent: number;
  close(): Promise<void>;
}

export async function startReceiver(path = '/webhooks'): Promise<Receiver> {
  let active = 0;
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: () => 200,
    maxConcurrent: 0,
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      active++;
      receiver.maxConcurrent = Math.max(receiver.maxConcurrent, active);
      const r: Received = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      const index = receiver.received.push(r) - 1;
      void Promise.resolve(receiver.respond(r, index))
        .catch(() => 500)
        .then((status) => {
          active--;
          res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
        });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const close = receiver.close;
  receiver.close = () => {
    server.closeAllConnections();
    return close();
  };
  return receiver;
}
