import type { ServerResponse } from 'node:http';
import {
  ConnectionError,
  ConnectTimeoutError,
  PoolTimeoutError,
  ReadTimeoutError,
  SSLError,
  TimeoutError,
} from '@sess/core';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAdapter } from '../src/index.js';
import {
  allClosed,
  httpServer,
  httpsServer,
  nextRequest,
  prepare,
  rejection,
  send,
  sendOptions,
  silentServer,
  type TestServer,
  text,
  timed,
  tlsFiles,
  within,
} from './helpers.js';

let servers: TestServer[] = [];
let adapter: UndiciAdapter | undefined;
/** Responses a test left hanging on purpose; ended before the server closes. */
let hanging: ServerResponse[] = [];

afterEach(async () => {
  await adapter?.close();
  for (const res of hanging) res.destroy();
  await Promise.all(servers.map((s) => s.close()));
  adapter = undefined;
  servers = [];
  hanging = [];
});

async function serve<T extends TestServer>(p: Promise<T>): Promise<T> {
  const s = await p;
  servers.push(s);
  return s;
}

/** An https URL on a server that accepts TCP and never answers the TLS handshake. */
async function blackHoleHttps(): Promise<{ url: string; server: TestServer }> {
  const server = await serve(silentServer());
  return { url: `https://127.0.0.1:${server.port}/`, server };
}

describe('connect timeout', () => {
  it('raises ConnectTimeoutError within twice the budget (TLS handshake never completes)', async () => {
    const { url } = await blackHoleHttps();
    adapter = new UndiciAdapter();
    const budget = 300;
    const { ms, error } = await timed(
      send(adapter, await prepare(url), sendOptions({ timeout: { connect: budget } })),
    );
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as ConnectTimeoutError).request).toBeDefined();
    expect((error as Error).cause).toMatchObject({ code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(ms).toBeGreaterThanOrEqual(budget - 20);
    expect(ms).toBeLessThan(2 * budget);
  });

  it('applies a single number to connecting', async () => {
    const { url } = await blackHoleHttps();
    adapter = new UndiciAdapter();
    const { ms, error } = await timed(send(adapter, await prepare(url), sendOptions({ timeout: 250 })));
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(ms).toBeLessThan(500);
  });

  it('retries a connection that could not be made, connectRetries times', async () => {
    const { url, server } = await blackHoleHttps();
    adapter = new UndiciAdapter({ connectRetries: 2 });
    const { ms, error } = await timed(
      send(adapter, await prepare(url), sendOptions({ timeout: { connect: 150 } })),
    );
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(server.sockets).toHaveLength(3);
    expect(ms).toBeLessThan(2 * 3 * 150);
  });

  it('a retried connection then succeeds, even for a POST with a one-shot body', async () => {
    let refused = 0;
    const server = await serve(
      httpsServer(async (req, res) => {
        let body = '';
        for await (const chunk of req) body += chunk;
        res.end(`${req.method} ${body}`);
      }),
    );
    // The first two connections are cut before the TLS handshake: nothing of the request got out.
    server.server.prependListener('connection', (socket) => {
      if (refused < 2) {
        refused += 1;
        socket.destroy();
      }
    });
    async function* body() {
      yield new TextEncoder().encode('once');
    }
    adapter = new UndiciAdapter({ connectRetries: 2 });
    const res = await send(
      adapter,
      await prepare(`${server.origin}/`, { method: 'POST', data: body() }),
      sendOptions({ verify: tlsFiles.ca }),
    );
    expect(text(res.content)).toBe('POST once');
    expect(refused).toBe(2);
  });

  it('gives the connection attempt up with the request: it does not linger until close()', async () => {
    const { url, server } = await blackHoleHttps();
    adapter = new UndiciAdapter();
    const error = await rejection(
      send(adapter, await prepare(url), sendOptions({ timeout: { connect: 200 } })),
    );
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(server.sockets).toHaveLength(1);
    // The server's end closes once ours is closed; the adapter is still open.
    expect(await allClosed(server.sockets, 1000)).toBe(true);
  });

  it('never counts time queued for a pooled connection as connecting', async () => {
    let release: () => void = () => {};
    const server = await serve(
      httpServer((req, res) => {
        if (req.url === '/slow') release = () => res.end('slow');
        else res.end('fast');
      }),
    );
    adapter = new UndiciAdapter({ connections: 1 });
    const arrived = nextRequest(server.server);
    const slow = send(adapter, await prepare(`${server.origin}/slow`), sendOptions());
    await arrived;
    const queued = send(
      adapter,
      await prepare(`${server.origin}/queued`),
      sendOptions({ timeout: { connect: 100 } }),
    );
    // Well past the connect budget, the request is still waiting, not failed.
    expect(await within(queued, 300)).toBe('pending');
    release();
    expect(text((await slow).content)).toBe('slow');
    expect(text((await queued).content)).toBe('fast');
    expect(server.sockets).toHaveLength(1);
  });

  it('timeout.pool bounds the wait for a pooled connection: PoolTimeoutError, the request dropped unwritten, the connection kept', async () => {
    const seen: string[] = [];
    let release: () => void = () => {};
    const server = await serve(
      httpServer((req, res) => {
        seen.push(req.url ?? '');
        if (req.url === '/slow') release = () => res.end('slow');
        else res.end('fast');
      }),
    );
    adapter = new UndiciAdapter({ connections: 1 });
    const arrived = nextRequest(server.server);
    const slow = send(adapter, await prepare(`${server.origin}/slow`), sendOptions());
    await arrived;
    const budget = 200;
    const { ms, error } = await timed(
      send(
        adapter,
        await prepare(`${server.origin}/queued`),
        sendOptions({ timeout: { pool: budget, connect: 5000 } }),
      ),
    );
    expect(error).toBeInstanceOf(PoolTimeoutError);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain('timeout.pool');
    expect(ms).toBeGreaterThanOrEqual(budget - 20);
    expect(ms).toBeLessThan(2 * budget);
    release();
    expect(text((await slow).content)).toBe('slow');
    const next = await send(adapter, await prepare(`${server.origin}/next`), sendOptions());
    expect(text(next.content)).toBe('fast');
    // The request that gave up was never written, and the connection it waited for lives on.
    expect(seen).toEqual(['/slow', '/next']);
    expect(server.sockets).toHaveLength(1);
  });

  it('a request queued on a busy connection (pipelining) is pool time too; given up, it is dropped unwritten', async () => {
    const seen: string[] = [];
    let release: () => void = () => {};
    const server = await serve(
      httpServer((req, res) => {
        seen.push(`${req.method} ${req.url}`);
        if (req.url === '/slow') release = () => res.end('slow');
        else res.end('fast');
      }),
    );
    // With pipelining the POST is handed to the busy connection itself, where undici holds it
    // (a non-idempotent request is not pipelined) until the GET is done.
    adapter = new UndiciAdapter({ connections: 1, pipelining: 2 });
    const arrived = nextRequest(server.server);
    const slow = send(adapter, await prepare(`${server.origin}/slow`), sendOptions());
    await arrived;
    const error = await rejection(
      send(
        adapter,
        await prepare(`${server.origin}/queued`, { method: 'POST', data: 'x' }),
        sendOptions({ timeout: { connect: 50, pool: 150 } }),
      ),
    );
    expect(error).toBeInstanceOf(PoolTimeoutError);
    release();
    expect(text((await slow).content)).toBe('slow');
    const next = await send(adapter, await prepare(`${server.origin}/next`), sendOptions());
    expect(text(next.content)).toBe('fast');
    expect(seen).toEqual(['GET /slow', 'GET /next']);
    expect(server.sockets).toHaveLength(1);
  });

  it('does not retry without connectRetries, nor certificate failures', async () => {
    let cut = 0;
    const server = await serve(httpsServer((_req, res) => res.end('ok')));
    server.server.prependListener('connection', (socket) => {
      if (cut++ === 0) socket.destroy();
    });
    adapter = new UndiciAdapter();
    const err = await rejection(
      send(adapter, await prepare(`${server.origin}/`), sendOptions({ verify: tlsFiles.ca })),
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect(cut).toBe(1);

    await adapter.close();
    adapter = new UndiciAdapter({ connectRetries: 3 });
    const before = server.sockets.length;
    const ssl = await rejection(send(adapter, await prepare(`${server.origin}/`), sendOptions()));
    expect(ssl).toBeInstanceOf(SSLError);
    expect(server.sockets.length - before).toBe(1);
  });
});

describe('read timeout', () => {
  it('raises ReadTimeoutError when the headers do not come, within twice the budget', async () => {
    const server = await serve(httpServer((_req, res) => hanging.push(res)));
    adapter = new UndiciAdapter();
    const budget = 300;
    const { ms, error } = await timed(
      send(adapter, await prepare(`${server.origin}/`), sendOptions({ timeout: { read: budget } })),
    );
    expect(error).toBeInstanceOf(ReadTimeoutError);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect((error as Error).cause).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(ms).toBeGreaterThanOrEqual(budget - 20);
    expect(ms).toBeLessThan(2 * budget);
  });

  it('raises ReadTimeoutError when the body stalls, within twice the budget', async () => {
    let headersSent: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      headersSent = resolve;
    });
    const server = await serve(
      httpServer((_req, res) => {
        hanging.push(res);
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('x'.repeat(10), () => headersSent());
      }),
    );
    adapter = new UndiciAdapter();
    const budget = 300;
    const res = await send(
      adapter,
      await prepare(`${server.origin}/`),
      sendOptions({ stream: true, timeout: { read: budget } }),
    );
    await started;
    const { ms, error } = await timed(res.read());
    expect(error).toBeInstanceOf(ReadTimeoutError);
    expect((error as Error).cause).toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
    expect(ms).toBeLessThan(2 * budget);
  });
});

describe('total timeout', () => {
  it('covers reading the body: TimeoutError (not a read timeout) within twice the budget', async () => {
    const server = await serve(
      httpServer((_req, res) => {
        hanging.push(res);
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('partial');
      }),
    );
    adapter = new UndiciAdapter();
    const budget = 300;
    const { ms, error } = await timed(
      send(adapter, await prepare(`${server.origin}/`), sendOptions({ timeout: { total: budget } })),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).not.toBeInstanceOf(ReadTimeoutError);
    expect(error).not.toBeInstanceOf(ConnectTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(budget - 20);
    expect(ms).toBeLessThan(2 * budget);
  });

  it('keeps running after a streamed response is handed over', async () => {
    const server = await serve(
      httpServer((_req, res) => {
        hanging.push(res);
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('partial');
      }),
    );
    adapter = new UndiciAdapter();
    const t0 = performance.now();
    const res = await send(
      adapter,
      await prepare(`${server.origin}/`),
      sendOptions({ stream: true, timeout: { total: 300 } }),
    );
    const chunks: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const chunk of res.iterContent()) chunks.push(text(chunk));
      })(),
    );
    expect(err).toBeInstanceOf(TimeoutError);
    expect(chunks.join('')).toBe('partial');
    expect(performance.now() - t0).toBeLessThan(600);
  });

  it('covers connecting', async () => {
    const { url } = await blackHoleHttps();
    adapter = new UndiciAdapter();
    const { ms, error } = await timed(
      send(adapter, await prepare(url), sendOptions({ timeout: { total: 250 } })),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).not.toBeInstanceOf(ConnectTimeoutError);
    expect(ms).toBeLessThan(500);
  });

  it('leaves no timer behind when the request is fast', async () => {
    const server = await serve(httpServer((_req, res) => res.end('quick')));
    adapter = new UndiciAdapter();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const res = await send(
      adapter,
      await prepare(`${server.origin}/`),
      sendOptions({ timeout: { total: 60_000 } }),
    );
    expect(text(res.content)).toBe('quick');
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
  });
});
