/**
 * The loopback server, run in its own process by `server-process.ts` so that
 * its CPU time is not counted against the client being measured. Plain
 * node:http with keep-alive; every answer is prepared once, so each request
 * costs the server the same for every client.
 *
 *   GET  /json     a small JSON document
 *   GET  /bytes    1 MiB of application/octet-stream
 *   GET  /cookie   the small JSON document plus one Set-Cookie
 *   GET  /headers  the request's headers as JSON (to check what each client sends)
 *   POST /json     parses the JSON body, answers with the small document
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const SMALL = Buffer.from(
  JSON.stringify({
    ok: true,
    id: 12345,
    name: 'sess-bench',
    tags: ['a', 'b', 'c'],
    nested: { x: 1, y: [1, 2] },
  }),
);
const BIG = Buffer.alloc(1024 * 1024, 'x');
// The same value every time: the jar replaces one cookie instead of growing.
const SET_COOKIE = 'sid=0123456789abcdef; Path=/; HttpOnly';

function send(res: ServerResponse, body: Buffer, type: string): void {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
  res.end(body);
}

function fail(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(message) });
  res.end(message);
}

function receiveJson(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      fail(res, 400, 'body is not JSON');
      return;
    }
    send(res, SMALL, 'application/json');
  });
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/json') return receiveJson(req, res);
  if (req.method !== 'GET') return fail(res, 405, 'method not allowed');
  switch (req.url) {
    case '/json':
      return send(res, SMALL, 'application/json');
    case '/bytes':
      return send(res, BIG, 'application/octet-stream');
    case '/cookie':
      res.setHeader('Set-Cookie', SET_COOKIE);
      return send(res, SMALL, 'application/json');
    case '/headers':
      return send(res, Buffer.from(JSON.stringify(req.headers)), 'application/json');
    default:
      return fail(res, 404, 'not found');
  }
});
// Idle connections must survive while the other clients take their turn in a round.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
// The parent going away (even killed) closes the IPC channel: never outlive it.
process.on('disconnect', () => process.exit(0));
