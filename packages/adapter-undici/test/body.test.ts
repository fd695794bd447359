import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import {
  AbortError,
  ChunkedEncodingError,
  ConnectionError,
  InvalidHeaderError,
  type PreparedRequest,
  type RequestError,
} from '@sess/core';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAdapter } from '../src/index.js';
import {
  httpServer,
  prepare,
  rawServer,
  rejection,
  send,
  sendOptions,
  silentServer,
  type TestServer,
  text,
  timed,
} from './helpers.js';

let servers: TestServer[] = [];
let adapter: UndiciAdapter;
let hanging: ServerResponse[] = [];

afterEach(async () => {
  await adapter?.close();
  for (const res of hanging) res.destroy();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  hanging = [];
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const s = await httpServer(handler);
  servers.push(s);
  return s;
}

async function serveRaw(onSocket: (socket: Socket) => void): Promise<TestServer> {
  const s = await rawServer(onSocket);
  servers.push(s);
  return s;
}

/** What the echo server saw of a request. */
interface Echo {
  method: string;
  rawHeaders: string[];
  body: string;
  sha256: string;
  length: number;
}

async function echoServer(): Promise<TestServer> {
  return serve(async (req, res) => {
    const hash = createHash('sha256');
    let length = 0;
    const parts: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) {
      hash.update(chunk);
      length += chunk.length;
      if (length <= 1024) parts.push(chunk);
    }
    const echo: Echo = {
      method: req.method ?? '',
      rawHeaders: req.rawHeaders,
      body: length <= 1024 ? Buffer.concat(parts).toString() : '',
      sha256: hash.digest('hex'),
      length,
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(echo));
  });
}

function headerValues(echo: Echo, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < echo.rawHeaders.length; i += 2) {
    if (echo.rawHeaders[i]?.toLowerCase() === name) out.push(echo.rawHeaders[i + 1] as string);
  }
  return out;
}

describe('request headers', () => {
  it('go as they are, case and repeats kept; Content-Length is sent once', async () => {
    const s = await echoServer();
    adapter = new UndiciAdapter();
    const req = await prepare(`${s.origin}/`, {
      method: 'POST',
      data: 'hello',
      headers: { 'X-Mixed-Case': 'a' },
    });
    req.headers.append('X-Repeat', '1');
    req.headers.append('X-Repeat', '2');
    const echo = (await send(adapter, req, sendOptions())).json<Echo>();
    expect(echo.body).toBe('hello');
    expect(echo.rawHeaders).toContain('X-Mixed-Case');
    expect(headerValues(echo, 'x-repeat')).toEqual(['1', '2']);
    expect(headerValues(echo, 'content-length')).toEqual(['5']);
    expect(headerValues(echo, 'user-agent')).toEqual(['sess-test']);
    expect(headerValues(echo, 'connection')).toEqual(['keep-alive']);
  });

  it('maps hop-by-hop headers undici would refuse instead of failing', async () => {
    const s = await echoServer();
    adapter = new UndiciAdapter();
    async function* body() {
      yield new TextEncoder().encode('chunked body');
    }
    const req = await prepare(`${s.origin}/`, {
      method: 'PUT',
      data: body(),
      headers: {
        'Transfer-Encoding': 'chunked',
        'Keep-Alive': 'timeout=5',
        Upgrade: 'websocket',
        Expect: '100-continue',
        'Proxy-Connection': 'keep-alive',
      },
    });
    const echo = (await send(adapter, req, sendOptions())).json<Echo>();
    expect(echo.body).toBe('chunked body');
    // undici frames the streamed body itself, once.
    expect(headerValues(echo, 'transfer-encoding')).toEqual(['chunked']);
    for (const name of ['keep-alive', 'upgrade', 'expect', 'proxy-connection']) {
      expect(headerValues(echo, name)).toEqual([]);
    }
  });

  it('Connection: close closes the connection after the response', async () => {
    const s = await echoServer();
    adapter = new UndiciAdapter();
    const echo = (
      await send(adapter, await prepare(`${s.origin}/`, { headers: { Connection: 'close' } }), sendOptions())
    ).json<Echo>();
    expect(headerValues(echo, 'connection')).toEqual(['close']);
    await send(adapter, await prepare(`${s.origin}/`), sendOptions());
    expect(s.sockets).toHaveLength(2);
  });

  it('a Content-Length that does not match a streamed body: InvalidHeaderError', async () => {
    const s = await echoServer();
    adapter = new UndiciAdapter();
    async function* body() {
      yield new TextEncoder().encode('12345');
    }
    const req = await prepare(`${s.origin}/`, {
      method: 'POST',
      data: body(),
      headers: { 'Content-Length': '10' },
    });
    const err = await rejection(send(adapter, req, sendOptions()));
    expect(err).toBeInstanceOf(InvalidHeaderError);
  });
});

describe('request bodies', () => {
  it('streams a 20 MB async generator with backpressure: intact, and never far ahead of the server', async () => {
    let received = 0;
    const serverHash = createHash('sha256');
    const s = await serve(async (req, res) => {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        received += chunk.length;
        serverHash.update(chunk);
      }
      res.end(String(received));
    });
    adapter = new UndiciAdapter();
    const CHUNK = 64 * 1024;
    const TOTAL = 20 * 1024 * 1024;
    const clientHash = createHash('sha256');
    let produced = 0;
    let maxLead = 0;
    async function* body() {
      for (let i = 0; produced < TOTAL; i++) {
        const chunk = Buffer.alloc(CHUNK, i % 251);
        clientHash.update(chunk);
        produced += chunk.length;
        maxLead = Math.max(maxLead, produced - received);
        yield chunk;
      }
    }
    const res = await send(
      adapter,
      await prepare(`${s.origin}/`, { method: 'POST', data: body() }),
      sendOptions(),
    );
    expect(text(res.content)).toBe(String(TOTAL));
    expect(serverHash.digest('hex')).toBe(clientHash.digest('hex'));
    // Without backpressure the generator would run all 20 MB ahead at once; socket buffers
    // on loopback hold a few MB at most.
    expect(maxLead).toBeLessThan(TOTAL / 2);
  });

  it('sends a Node Readable, a Blob and bytes', async () => {
    const s = await echoServer();
    adapter = new UndiciAdapter();
    const readable = Readable.from([Buffer.from('from '), Buffer.from('a readable')]);
    const a = (
      await send(adapter, await prepare(`${s.origin}/`, { method: 'POST', data: readable }), sendOptions())
    ).json<Echo>();
    expect(a.body).toBe('from a readable');
    const blob = new Blob(['from a blob']);
    const b = (
      await send(adapter, await prepare(`${s.origin}/`, { method: 'POST', data: blob }), sendOptions())
    ).json<Echo>();
    expect(b.body).toBe('from a blob');
    expect(headerValues(b, 'content-length')).toEqual(['11']);
    const bytes = new TextEncoder().encode('raw bytes');
    const c = (
      await send(adapter, await prepare(`${s.origin}/`, { method: 'PATCH', data: bytes }), sendOptions())
    ).json<Echo>();
    expect(c).toMatchObject({ method: 'PATCH', body: 'raw bytes' });
  });
});

describe('responses', () => {
  it('carry status, reason, headers (Set-Cookie repeated), url, version and elapsed', async () => {
    const s = await serve((_req, res) => {
      res.statusMessage = 'Very Custom';
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.setHeader('X-Server-Case', 'yes');
      res.writeHead(201);
      res.end('made');
    });
    adapter = new UndiciAdapter();
    const req = await prepare(`${s.origin}/path?q=1`);
    const res = await send(adapter, req, sendOptions());
    expect(res.statusCode).toBe(201);
    expect(res.reason).toBe('Very Custom');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect([...res.headers.keys()]).toContain('X-Server-Case');
    expect(res.url).toBe(`${s.origin}/path?q=1`);
    expect(res.request).toBe(req);
    expect(res.httpVersion).toBe('1.1');
    expect(res.elapsed).toBeGreaterThan(0);
    expect(res.elapsed).toBeLessThan(5000);
    expect(text(res.content)).toBe('made');
  });

  it('HEAD, 204 and 304 have no body', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/204') return res.writeHead(204).end();
      if (req.url === '/304') return res.writeHead(304, { ETag: '"x"' }).end();
      res.setHeader('Content-Length', 1000);
      res.end(req.method === 'HEAD' ? undefined : 'x'.repeat(1000));
    });
    adapter = new UndiciAdapter();
    const head = await send(adapter, await prepare(`${s.origin}/`, { method: 'HEAD' }), sendOptions());
    expect(head.content).toHaveLength(0);
    expect(head.headers.get('content-length')).toBe('1000');
    for (const path of ['/204', '/304']) {
      const res = await send(adapter, await prepare(`${s.origin}${path}`), sendOptions());
      expect(res.content).toHaveLength(0);
    }
    const streamed = await send(adapter, await prepare(`${s.origin}/204`), sendOptions({ stream: true }));
    expect(await streamed.read()).toHaveLength(0);
  });
});

describe('broken responses', () => {
  it('a body shorter than Content-Length, connection dropped: ChunkedEncodingError', async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('only part', () => req.socket.destroy());
    });
    adapter = new UndiciAdapter();
    const err = await rejection(send(adapter, await prepare(`${s.origin}/`), sendOptions()));
    expect(err).toBeInstanceOf(ChunkedEncodingError);
    expect((err as ChunkedEncodingError).request?.url).toBe(`${s.origin}/`);
    const streamed = await send(adapter, await prepare(`${s.origin}/`), sendOptions({ stream: true }));
    const chunks: string[] = [];
    const late = await rejection(
      (async () => {
        for await (const c of streamed.iterContent()) chunks.push(text(c));
      })(),
    );
    expect(late).toBeInstanceOf(ChunkedEncodingError);
    expect(chunks.join('')).toBe('only part');
  });

  it('a body shorter than Content-Length on a Connection: close response: ChunkedEncodingError', async () => {
    const s = await serveRaw((socket) => {
      socket.once('data', () => {
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nshort');
      });
    });
    adapter = new UndiciAdapter();
    expect(await rejection(send(adapter, await prepare(`${s.origin}/`), sendOptions()))).toBeInstanceOf(
      ChunkedEncodingError,
    );
  });

  it('a chunked body without its last chunk: ChunkedEncodingError', async () => {
    const s = await serveRaw((socket) => {
      socket.once('data', () => {
        socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
      });
    });
    adapter = new UndiciAdapter();
    expect(await rejection(send(adapter, await prepare(`${s.origin}/`), sendOptions()))).toBeInstanceOf(
      ChunkedEncodingError,
    );
  });

  it('a connection reset mid-body fails, never hangs', async () => {
    const s = await serveRaw((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n', () => {
          socket.write('x'.repeat(1000), () => socket.resetAndDestroy());
        });
      });
    });
    adapter = new UndiciAdapter();
    const { error, ms } = await timed(send(adapter, await prepare(`${s.origin}/`), sendOptions()));
    expect(error instanceof ChunkedEncodingError || error instanceof ConnectionError).toBe(true);
    expect(ms).toBeLessThan(2000);
  });

  it('a connection closed before any response: ConnectionError', async () => {
    const s = await serveRaw((socket) => {
      socket.once('data', () => socket.end());
    });
    adapter = new UndiciAdapter();
    const err = await rejection(send(adapter, await prepare(`${s.origin}/`), sendOptions()));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).not.toBeInstanceOf(ChunkedEncodingError);
  });

  it('a refused connection: ConnectionError with the request', async () => {
    const s = await silentServer();
    await s.close();
    adapter = new UndiciAdapter();
    const req = await prepare(`http://127.0.0.1:${s.port}/`);
    const err = await rejection(send(adapter, req, sendOptions()));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect((err as RequestError).request).toBe(req);
  });
});

describe('streamed responses', () => {
  /** A server that sends 1 MB of a 100 MB body and then waits, recording when each connection closes. */
  async function endlessServer() {
    const closed: Socket[] = [];
    const s = await serve((req, res) => {
      req.socket.once('close', () => closed.push(req.socket));
      if (req.url === '/small') return res.end('small');
      hanging.push(res);
      res.writeHead(200, { 'Content-Length': String(100 * 1024 * 1024) });
      res.write(Buffer.alloc(1024 * 1024));
    });
    return { s, closed };
  }

  it('close() on an unread response releases its connection', async () => {
    const { s, closed } = await endlessServer();
    adapter = new UndiciAdapter({ connections: 1 });
    const big = await send(adapter, await prepare(`${s.origin}/big`), sendOptions({ stream: true }));
    expect(big.statusCode).toBe(200);
    await big.close();
    // With one connection per origin, this would wait forever if the first were still held.
    const small = await send(adapter, await prepare(`${s.origin}/small`), sendOptions());
    expect(text(small.content)).toBe('small');
    expect(s.sockets).toHaveLength(2);
    expect(closed).toContain(s.sockets[0]);
  });

  it('breaking out of iterContent releases the connection too', async () => {
    const { s } = await endlessServer();
    adapter = new UndiciAdapter({ connections: 1 });
    const big = await send(adapter, await prepare(`${s.origin}/big`), sendOptions({ stream: true }));
    for await (const chunk of big.iterContent()) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    const small = await send(adapter, await prepare(`${s.origin}/small`), sendOptions());
    expect(text(small.content)).toBe('small');
  });

  it('a response read to the end gives its connection back for reuse', async () => {
    const s = await serve((_req, res) => res.end('x'.repeat(200_000)));
    adapter = new UndiciAdapter({ connections: 1 });
    for (let i = 0; i < 3; i++) {
      const res = await send(adapter, await prepare(`${s.origin}/`), sendOptions({ stream: true }));
      expect(await res.read()).toHaveLength(200_000);
    }
    expect(s.sockets).toHaveLength(1);
  });
});

describe('abort', () => {
  async function partialServer() {
    let wrote: () => void = () => {};
    const partWritten = new Promise<void>((resolve) => {
      wrote = resolve;
    });
    const s = await serve((_req, res) => {
      hanging.push(res);
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('first part', () => wrote());
    });
    return { s, partWritten };
  }

  function expectAbort(err: unknown, reason: unknown, req?: PreparedRequest) {
    expect(err).toBeInstanceOf(AbortError);
    expect((err as AbortError).cause).toBe(reason);
    if (req) expect((err as AbortError).request).toBe(req);
  }

  it('mid-body, while streaming: the next read fails with AbortError (cause = reason)', async () => {
    const { s } = await partialServer();
    adapter = new UndiciAdapter();
    const controller = new AbortController();
    const req = await prepare(`${s.origin}/`);
    const res = await send(adapter, req, sendOptions({ stream: true, signal: controller.signal }));
    const it = res.iterContent()[Symbol.asyncIterator]();
    const first = await it.next();
    expect(text(first.value as Uint8Array)).toBe('first part');
    const reason = new Error('user gave up');
    controller.abort(reason);
    expectAbort(await rejection(it.next()), reason, req);
  });

  it('mid-body, while send() reads the body: AbortError', async () => {
    const { s, partWritten } = await partialServer();
    adapter = new UndiciAdapter();
    const controller = new AbortController();
    const sending = send(adapter, await prepare(`${s.origin}/`), sendOptions({ signal: controller.signal }));
    await partWritten;
    controller.abort('stop');
    expectAbort(await rejection(sending), 'stop');
  });

  it('before sending: AbortError at once, nothing reaches the server', async () => {
    const s = await echoServer();
    adapter = new UndiciAdapter();
    const controller = new AbortController();
    controller.abort('early');
    expectAbort(
      await rejection(
        send(adapter, await prepare(`${s.origin}/`), sendOptions({ signal: controller.signal })),
      ),
      'early',
    );
    expect(s.sockets).toHaveLength(0);
  });

  it('while connecting: AbortError at once', async () => {
    const s = await silentServer();
    servers.push(s);
    adapter = new UndiciAdapter();
    const controller = new AbortController();
    const sending = send(
      adapter,
      await prepare(`https://127.0.0.1:${s.port}/`),
      sendOptions({ signal: controller.signal }),
    );
    await new Promise<void>((resolve) => s.server.once('connection', () => resolve()));
    controller.abort('cancelled');
    const { error, ms } = await timed(sending);
    expectAbort(error, 'cancelled');
    expect(ms).toBeLessThan(100);
  });

  it('while waiting for the headers: AbortError, and the connection is closed', async () => {
    let arrived: () => void = () => {};
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let socketClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      socketClosed = resolve;
    });
    const s = await serve((req, res) => {
      hanging.push(res);
      req.socket.once('close', () => socketClosed());
      arrived();
    });
    adapter = new UndiciAdapter();
    const controller = new AbortController();
    const sending = send(adapter, await prepare(`${s.origin}/`), sendOptions({ signal: controller.signal }));
    await requestArrived;
    controller.abort('enough');
    expectAbort(await rejection(sending), 'enough');
    await closed;
  });
});
