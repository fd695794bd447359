import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ConnectionError, Session } from '@sess/core';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAdapter } from '../src/index.js';
import {
  httpServer,
  prepare,
  rawServer,
  rejection,
  send,
  sendOptions,
  type TestServer,
  text,
} from './helpers.js';

let server: TestServer | undefined;
let adapter: UndiciAdapter | undefined;

afterEach(async () => {
  await adapter?.close();
  await server?.close();
  adapter = undefined;
  server = undefined;
});

describe('connection pooling', () => {
  it('sends 100 sequential requests to one origin over one connection', async () => {
    server = await httpServer((req, res) => res.end(`hello ${req.url}`));
    adapter = new UndiciAdapter();
    for (let i = 0; i < 100; i++) {
      const res = await send(adapter, await prepare(`${server.origin}/n/${i}`), sendOptions());
      expect(text(res.content)).toBe(`hello /n/${i}`);
    }
    expect(server.sockets).toHaveLength(1);
  });

  it('opens at most `connections` sockets for parallel requests', async () => {
    // Hold the first answers until 4 requests wait at once, so the pool is really under pressure.
    let held: ServerResponse[] | undefined = [];
    server = await httpServer((_req, res) => {
      if (!held) return res.end('ok');
      held.push(res);
      if (held.length === 4) {
        for (const r of held) r.end('ok');
        held = undefined;
      }
    });
    adapter = new UndiciAdapter({ connections: 4 });
    const a = adapter;
    const origin = server.origin;
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        text((await send(a, await prepare(`${origin}/${i}`), sendOptions())).content),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, () => 'ok'));
    expect(server.sockets).toHaveLength(4);
  });

  it('shares one connection between requests with different connect timeouts', async () => {
    server = await httpServer((req, res) => res.end(`hello ${req.url}`));
    adapter = new UndiciAdapter();
    for (let i = 0; i < 50; i++) {
      const res = await send(
        adapter,
        await prepare(`${server.origin}/n/${i}`),
        sendOptions({ timeout: { connect: 10_000 + i } }),
      );
      expect(text(res.content)).toBe(`hello /n/${i}`);
    }
    // Counted on the server: every TCP connection it accepted.
    expect(server.sockets).toHaveLength(1);
  });

  it('shares it when every budget differs per request (a session spending its total budget)', async () => {
    server = await httpServer((_req, res) => res.end('ok'));
    adapter = new UndiciAdapter();
    for (let i = 0; i < 20; i++) {
      const timeout = { connect: 5000 - i, read: 5000 + i, total: 10_000 - 3 * i };
      const res = await send(adapter, await prepare(`${server.origin}/`), sendOptions({ timeout }));
      expect(res.statusCode).toBe(200);
    }
    for (let i = 0; i < 5; i++) {
      await send(adapter, await prepare(`${server.origin}/`), sendOptions({ timeout: 1000 + i }));
      await send(adapter, await prepare(`${server.origin}/`), sendOptions());
    }
    expect(server.sockets).toHaveLength(1);
  });

  it('shares it for a core Session with timeout.total (each hop gets what is left of it)', async () => {
    server = await httpServer((req, res) => {
      if (req.url?.startsWith('/hop')) res.writeHead(302, { Location: '/done' }).end();
      else res.end('done');
    });
    adapter = new UndiciAdapter();
    const session = new Session();
    session.mount('http://', adapter);
    session.timeout = { connect: 5000, read: 5000, total: 10_000 };
    for (let i = 0; i < 25; i++) {
      const res = await session.get(`${server.origin}/hop/${i}`);
      expect(res.text).toBe('done');
      expect(res.history).toHaveLength(1);
    }
    expect(server.sockets).toHaveLength(1);
    await session.close();
  });

  it("applies `connections` per origin, whatever the requests' connect timeouts", async () => {
    let held: ServerResponse[] | undefined = [];
    server = await httpServer((_req, res) => {
      if (!held) return res.end('ok');
      held.push(res);
      if (held.length === 3) {
        for (const r of held) r.end('ok');
        held = undefined;
      }
    });
    adapter = new UndiciAdapter({ connections: 3 });
    const a = adapter;
    const origin = server.origin;
    const results = await Promise.all(
      Array.from({ length: 12 }, async (_, i) =>
        text(
          (await send(a, await prepare(`${origin}/${i}`), sendOptions({ timeout: { connect: 10_000 + i } })))
            .content,
        ),
      ),
    );
    expect(results).toEqual(Array.from({ length: 12 }, () => 'ok'));
    expect(server.sockets).toHaveLength(3);
  });

  it('defaults to 100 connections per origin (httpx max_connections)', async () => {
    let hold = true;
    const waiting: ServerResponse[] = [];
    let onFull: () => void = () => {};
    const full = new Promise<void>((resolve) => {
      onFull = resolve;
    });
    server = await httpServer((_req, res) => {
      if (!hold) return res.end('x');
      waiting.push(res);
      if (waiting.length === 100) onFull();
    });
    adapter = new UndiciAdapter();
    const a = adapter;
    const origin = server.origin;
    const all = Promise.all(
      Array.from({ length: 105 }, async (_, i) =>
        text((await send(a, await prepare(`${origin}/${i}`), sendOptions())).content),
      ),
    );
    // A hundred requests reach the server at once; the other five wait for a free connection.
    await full;
    expect(server.sockets).toHaveLength(100);
    hold = false;
    for (const res of waiting) res.end('x');
    expect(await all).toEqual(Array.from({ length: 105 }, () => 'x'));
    // The five that waited went over connections already open.
    expect(server.sockets).toHaveLength(100);
  });
});

/**
 * A server that answers the first request on each connection and destroys the
 * connection when a second request arrives on it, without a byte of answer:
 * exactly what a client sees when the server closes an idle keep-alive
 * connection just as the client reuses it.
 */
async function dropsReusedConnections() {
  const perSocket = new Map<Socket, number>();
  const seen: Array<{ method: string; url: string; body: string; reused: boolean }> = [];
  const s = await httpServer(async (req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method ?? '', url: req.url ?? '', body, reused: n > 1 });
    if (n > 1) {
      req.socket.destroy();
      return;
    }
    res.end(`${req.method} ${req.url} ${body}`);
  });
  return { server: s, seen };
}

describe('connection churn', () => {
  it('a Connection: close response (or a GET with a body) costs one connection, not one per later request', async () => {
    const s = await httpServer((req, res) => {
      if (req.url === '/close') res.setHeader('Connection', 'close');
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    server = s;
    adapter = new UndiciAdapter();
    await send(adapter, await prepare(`${s.origin}/a`), sendOptions());
    await send(adapter, await prepare(`${s.origin}/close`), sendOptions());
    for (let i = 0; i < 100; i++) await send(adapter, await prepare(`${s.origin}/x`), sendOptions());
    // One before the close, one after it: raw undici's count too.
    expect(s.sockets.length).toBeLessThanOrEqual(3);
    const before = s.sockets.length;
    await send(adapter, await prepare(`${s.origin}/a`, { data: 'a GET with a body' }), sendOptions());
    for (let i = 0; i < 100; i++) await send(adapter, await prepare(`${s.origin}/x`), sendOptions());
    expect(s.sockets.length - before).toBeLessThanOrEqual(2);
  });
});

describe('keep-alive connection closed by the server', () => {
  it('re-sends an idempotent request once on a fresh connection', async () => {
    const { server: s, seen } = await dropsReusedConnections();
    server = s;
    adapter = new UndiciAdapter();
    const first = await send(adapter, await prepare(`${s.origin}/a`), sendOptions());
    expect(text(first.content)).toBe('GET /a ');
    // (Only PUT carries a body: undici closes the connection after a GET or DELETE with one.)
    for (const [method, data] of [['GET'], ['PUT', 'x'], ['DELETE']] as const) {
      const res = await send(adapter, await prepare(`${s.origin}/b`, { method, data }), sendOptions());
      expect(text(res.content)).toBe(`${method} /b ${data ?? ''}`);
    }
    // Each reuse met a dropped connection and was sent once more, on a new one (a connection of
    // its own, closed after it: the next request then opens a fresh pooled one).
    const log = seen.map((r) => `${r.method}:${r.reused}`);
    expect(log.slice(0, 3)).toEqual(['GET:false', 'GET:true', 'GET:false']);
    for (let i = 0; i < log.length; i++) {
      if (log[i]?.endsWith(':true')) expect(log[i + 1]).toBe(log[i]?.replace(':true', ':false'));
    }
    expect(seen.filter((r) => !r.reused).map((r) => r.method)).toEqual(['GET', 'GET', 'PUT', 'DELETE']);
  });

  it('re-sends on a fresh connection, never on another reused one', async () => {
    const { server: s, seen } = await dropsReusedConnections();
    server = s;
    const a = new UndiciAdapter();
    adapter = a;
    // Two connections warm and idle: a re-send through the pool could land on the other stale one.
    const warm = await Promise.all(
      [1, 2].map(async (i) => send(a, await prepare(`${s.origin}/w${i}`), sendOptions())),
    );
    expect(warm.map((r) => text(r.content))).toEqual(['GET /w1 ', 'GET /w2 ']);
    expect(s.sockets).toHaveLength(2);
    const res = await send(a, await prepare(`${s.origin}/b`), sendOptions());
    expect(text(res.content)).toBe('GET /b ');
    expect(seen.filter((r) => r.url === '/b').map((r) => r.reused)).toEqual([true, false]);
  });

  it('does not re-send a POST or PATCH: ConnectionError', async () => {
    const { server: s, seen } = await dropsReusedConnections();
    server = s;
    for (const method of ['POST', 'PATCH']) {
      // A new adapter each time: one fresh request leaves one pooled connection idle, to be reused.
      await adapter?.close();
      adapter = new UndiciAdapter();
      await send(adapter, await prepare(`${s.origin}/warm`), sendOptions());
      const before = seen.length;
      const err = await rejection(
        send(adapter, await prepare(`${s.origin}/b`, { method, data: 'x' }), sendOptions()),
      );
      expect(err).toBeInstanceOf(ConnectionError);
      expect(seen.slice(before).filter((r) => r.method === method)).toHaveLength(1);
    }
  });

  it('does not re-send a request whose fresh connection was dropped', async () => {
    const seen: string[] = [];
    server = await httpServer((req) => {
      seen.push(req.url ?? '');
      req.socket.destroy();
    });
    adapter = new UndiciAdapter();
    const err = await rejection(send(adapter, await prepare(`${server.origin}/x`), sendOptions()));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(seen).toEqual(['/x']);
  });

  it('does not re-send a one-shot streamed body', async () => {
    const { server: s, seen } = await dropsReusedConnections();
    server = s;
    adapter = new UndiciAdapter();
    await send(adapter, await prepare(`${s.origin}/a`), sendOptions());
    async function* body() {
      yield new TextEncoder().encode('streamed');
    }
    const err = await rejection(
      send(adapter, await prepare(`${s.origin}/b`, { method: 'PUT', data: body() }), sendOptions()),
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect(seen.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('opens a new connection when the server closed the idle one earlier', async () => {
    server = await httpServer((req, res) => {
      // Answer as keep-alive, then close the connection once the answer is out.
      const socket = req.socket;
      res.end('bye', () => socket.end());
    });
    adapter = new UndiciAdapter();
    const s = server;
    const first = await send(adapter, await prepare(`${s.origin}/1`), sendOptions());
    expect(text(first.content)).toBe('bye');
    // undici checks an idle connection before reusing it; if the FIN arrives only after the
    // request went out, the keep-alive re-send covers it. Either way: success on a new connection.
    const second = await send(adapter, await prepare(`${s.origin}/2`), sendOptions());
    expect(text(second.content)).toBe('bye');
    expect(s.sockets).toHaveLength(2);
  });
});

describe('pool options', () => {
  it('pipelining sends the next request on the connection while a response is still arriving', async () => {
    // The first answer stops after its headers until the second request is there: without
    // pipelining the second would wait for the first to finish, and neither would.
    server = await rawServer((socket) => {
      let seen = '';
      socket.on('data', (d) => {
        seen += d;
        const requests = (seen.match(/GET \//g) ?? []).length;
        if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n');
        if (requests === 2) socket.write('aHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb');
      });
    });
    adapter = new UndiciAdapter({ connections: 1, pipelining: 2 });
    const a = adapter;
    const origin = server.origin;
    const bodies = await Promise.all(
      ['/1', '/2'].map(async (p) =>
        text((await send(a, await prepare(`${origin}${p}`), sendOptions())).content),
      ),
    );
    expect(bodies).toEqual(['a', 'b']);
    expect(server.sockets).toHaveLength(1);
  });

  it('keepAliveTimeout closes an idle connection', async () => {
    server = await httpServer((_req, res) => res.end('x'));
    adapter = new UndiciAdapter({ keepAliveTimeout: 100 });
    await send(adapter, await prepare(`${server.origin}/`), sendOptions());
    const socket = server.sockets[0] as Socket;
    const t0 = performance.now();
    // Resolves when our side closes the idle connection (undici ticks its idle timer coarsely).
    await new Promise((resolve) => socket.once('close', resolve));
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('rejects nonsensical options', () => {
    expect(() => new UndiciAdapter({ connections: 0 })).toThrow(TypeError);
    expect(() => new UndiciAdapter({ pipelining: 1.5 })).toThrow(TypeError);
    expect(() => new UndiciAdapter({ connectRetries: -1 })).toThrow(TypeError);
    // Core bounds every body now: the old adapter option is refused with a pointer to the new one.
    expect(() => new UndiciAdapter({ maxResponseSize: 10 } as never)).toThrow(/session.maxResponseSize/);
    expect(() => new UndiciAdapter({ keepAliveTimeout: 0 })).toThrow(TypeError);
  });
});
