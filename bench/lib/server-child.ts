/**
 * The loopback servers, run in their own process by `server-process.ts` so
 * that their CPU time is not counted against the client being measured:
 * node:http with keep-alive, and a node:http2 TLS server (h2 only, no
 * HTTP/1.1 fallback) with the same routes. Every answer is prepared once, so
 * each request costs the server the same for every client.
 *
 *   GET  /json     a small JSON document
 *   GET  /bytes    1 MiB of application/octet-stream
 *   GET  /cookie   the small JSON document plus one Set-Cookie
 *   GET  /headers  the request's headers as JSON (to check what each client sends; no pseudo-headers)
 *   POST /json     parses the JSON body, answers with the small document
 *
 * The first IPC message to the parent gives both ports. The parent may then
 * send `'stats'`; the answer counts the HTTP/2 sessions (connections) opened so far.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { serverKeyAndCert } from './tls.js';

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
const JSON_TYPE = 'application/json';

/** What to answer, whichever protocol asked. */
interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: Buffer;
  readonly setCookie?: string;
}

const ok = (body: Buffer, type: string): Answer => ({ status: 200, type, body });
const fail = (status: number, message: string): Answer => ({
  status,
  type: 'text/plain',
  body: Buffer.from(message),
});

/** Whether the request's body has to be read before answering. */
const takesBody = (method: string | undefined, path: string | undefined): boolean =>
  method === 'POST' && path === '/json';

function answer(
  method: string | undefined,
  path: string | undefined,
  headers: IncomingHttpHeaders,
  body?: Buffer,
): Answer {
  if (takesBody(method, path)) {
    try {
      JSON.parse((body ?? Buffer.alloc(0)).toString('utf8'));
    } catch {
      return fail(400, 'body is not JSON');
    }
    return ok(SMALL, JSON_TYPE);
  }
  if (method !== 'GET') return fail(405, 'method not allowed');
  switch (path) {
    case '/json':
      return ok(SMALL, JSON_TYPE);
    case '/bytes':
      return ok(BIG, 'application/octet-stream');
    case '/cookie':
      return { ...ok(SMALL, JSON_TYPE), setCookie: SET_COOKIE };
    case '/headers': {
      // HTTP/2's pseudo-headers (:method, :path, ...) are not headers the client chose.
      const fields = Object.entries(headers).filter(([name]) => !name.startsWith(':'));
      return ok(Buffer.from(JSON.stringify(Object.fromEntries(fields))), JSON_TYPE);
    }
    default:
      return fail(404, 'not found');
  }
}

function readBody(stream: Readable, then: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => then(Buffer.concat(chunks)));
}

// HTTP/1.1

function reply1(res: ServerResponse, a: Answer): void {
  if (a.setCookie) res.setHeader('Set-Cookie', a.setCookie);
  res.writeHead(a.status, { 'Content-Type': a.type, 'Content-Length': a.body.length });
  res.end(a.body);
}

const server = createServer((req: IncomingMessage, res) => {
  if (takesBody(req.method, req.url))
    return readBody(req, (body) => reply1(res, answer(req.method, req.url, req.headers, body)));
  reply1(res, answer(req.method, req.url, req.headers));
});
// Idle connections must survive while the other clients take their turn in a round.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;

// HTTP/2

function reply2(stream: ServerHttp2Stream, a: Answer): void {
  if (stream.destroyed) return;
  stream.respond({
    ':status': a.status,
    'content-type': a.type,
    'content-length': a.body.length,
    ...(a.setCookie ? { 'set-cookie': a.setCookie } : {}),
  });
  stream.end(a.body);
}

let h2Sessions = 0;
// No timeout: idle sessions stay open while the other clients take their turn.
const h2 = createSecureServer({ ...serverKeyAndCert(), allowHTTP1: false });
h2.on('session', () => h2Sessions++);
h2.on('stream', (stream, headers) => {
  // A client closing while a stream is open resets it: nothing to report.
  stream.on('error', () => {});
  const method = headers[':method'];
  const path = headers[':path'];
  if (takesBody(method, path))
    return readBody(stream, (body) => reply2(stream, answer(method, path, headers, body)));
  reply2(stream, answer(method, path, headers));
});

const listening = (s: { listen(port: number, host: string, cb: () => void): unknown }): Promise<void> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
await Promise.all([listening(server), listening(h2)]);
process.send?.({
  port: (server.address() as AddressInfo).port,
  h2Port: (h2.address() as AddressInfo).port,
});
process.on('message', (m) => {
  if (m === 'stats') process.send?.({ h2Sessions });
});
// The parent going away (even killed) closes the IPC channel: never outlive it.
process.on('disconnect', () => process.exit(0));
