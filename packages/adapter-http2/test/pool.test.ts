import type { ServerHttp2Stream } from 'node:http2';
import * as net from 'node:net';
import { ConnectionError, PoolTimeoutError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { respond } from './support/h2-server.js';
import { harness } from './support/harness.js';
import { prepare, rejection, sendOptions, settle, text, timed, until } from './support/send.js';

const h = harness();

async function getAll(adapter: ReturnType<typeof h.adapter>, urls: string[]) {
  return Promise.all(
    urls.map(async (url) => {
      const res = await adapter.send(await prepare(url), sendOptions());
      return text(await res.read());
    }),
  );
}

describe('pool', () => {
  it('serves 200 concurrent requests on a cold pool over ONE connection when the peer allows 250 streams', async () => {
    const server = await h.serve(
      (stream, headers) => setTimeout(() => respond(stream, headers[':path']), 20),
      {
        settings: { maxConcurrentStreams: 250 },
      },
    );
    const adapter = h.adapter();
    const urls = Array.from({ length: 200 }, (_, i) => `${server.origin}/r${i}`);
    const t0 = performance.now();
    const bodies = await getAll(adapter, urls);
    const ms = performance.now() - t0;
    expect(bodies).toEqual(urls.map((u) => new URL(u).pathname));
    expect(server.connections).toBe(1);
    expect(server.handshakes).toBe(1);
    expect(server.maxConcurrentPerSession).toBeGreaterThan(100);
    console.info(`cold burst: 200 requests, ${server.connections} connection, ${Math.round(ms)} ms`);
  });

  it('with the peer at 10 streams and maxSessionsPerOrigin 4: at most 4 connections, never more than 10 streams each', async () => {
    const server = await h.serve(
      (stream, headers) => setTimeout(() => respond(stream, headers[':path']), 15),
      {
        settings: { maxConcurrentStreams: 10 },
      },
    );
    const adapter = h.adapter({ maxSessionsPerOrigin: 4 });
    const urls = Array.from({ length: 200 }, (_, i) => `${server.origin}/r${i}`);
    let maxQueued = 0;
    let maxStreams = 0;
    const watch = setInterval(() => {
      const s = adapter.poolStats()[server.origin];
      if (s) {
        maxQueued = Math.max(maxQueued, s.queued);
        maxStreams = Math.max(maxStreams, s.streams);
      }
    }, 1);
    const bodies = await getAll(adapter, urls);
    clearInterval(watch);
    expect(bodies).toHaveLength(200);
    expect(server.connections).toBeLessThanOrEqual(4);
    expect(server.connections).toBeGreaterThan(1);
    expect(server.maxConcurrentPerSession).toBeLessThanOrEqual(10);
    expect(maxStreams).toBeLessThanOrEqual(40);
    expect(maxQueued).toBeGreaterThan(0);
    console.info(
      `capped peer: ${server.connections} connections, max ${server.maxConcurrentPerSession} streams/session, max queued ${maxQueued}`,
    );
  });

  it('applies its own maxConcurrentStreams cap below the peer limit', async () => {
    const server = await h.serve((stream) => setTimeout(() => respond(stream), 10));
    const adapter = h.adapter({ maxConcurrentStreams: 5, maxSessionsPerOrigin: 1 });
    await getAll(
      adapter,
      Array.from({ length: 40 }, (_, i) => `${server.origin}/${i}`),
    );
    expect(server.connections).toBe(1);
    expect(server.maxConcurrentPerSession).toBeLessThanOrEqual(5);
  });

  it('reuses the session for sequential requests and reports poolStats', async () => {
    let hold: ServerHttp2Stream | undefined;
    const server = await h.serve((stream, headers) => {
      if (headers[':path'] === '/hold') hold = stream;
      else respond(stream, 'ok');
    });
    const adapter = h.adapter();
    for (let i = 0; i < 5; i++) expect(await getAll(adapter, [`${server.origin}/`])).toEqual(['ok']);
    const held = adapter.send(await prepare(`${server.origin}/hold`), sendOptions());
    await until(() => hold !== undefined);
    expect(adapter.poolStats()[server.origin]).toEqual({ sessions: 1, streams: 1, queued: 0, connecting: 0 });
    respond(hold as ServerHttp2Stream, 'late');
    expect(text(await (await held).read())).toBe('late');
    await until(() => adapter.poolStats()[server.origin]?.streams === 0);
    expect(server.connections).toBe(1);
  });

  it('times out a queued request with PoolTimeoutError within 2x timeout.pool; the session lives on', async () => {
    let hold: ServerHttp2Stream | undefined;
    const server = await h.serve(
      (stream, headers) => {
        if (headers[':path'] === '/hold') hold = stream;
        else respond(stream, 'ok');
      },
      { settings: { maxConcurrentStreams: 1 } },
    );
    const adapter = h.adapter({ maxSessionsPerOrigin: 1 });
    const held = adapter.send(await prepare(`${server.origin}/hold`), sendOptions());
    await until(() => hold !== undefined);
    const { ms, error } = await timed(
      adapter.send(await prepare(`${server.origin}/queued`), sendOptions({ timeout: { pool: 150 } })),
    );
    expect(error).toBeInstanceOf(PoolTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(130);
    expect(ms).toBeLessThan(300);
    expect(adapter.poolStats()[server.origin]?.queued).toBe(0);
    respond(hold as ServerHttp2Stream, 'held');
    expect(text(await (await held).read())).toBe('held');
    expect(await getAll(adapter, [`${server.origin}/after`])).toEqual(['ok']);
    expect(server.connections).toBe(1);
    expect(server.streams).toBe(2);
    console.info(`pool timeout 150 ms -> PoolTimeoutError after ${Math.round(ms)} ms`);
  });

  it('a cold burst to a server that drops the connection shares ONE attempt and fails every request with ConnectionError', async () => {
    let accepted = 0;
    const server = net.createServer((s) => {
      accepted++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    h.track({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const port = (server.address() as net.AddressInfo).port;
    const adapter = h.adapter();
    const results = await Promise.all(
      Array.from({ length: 20 }, async () =>
        settle(adapter.send(await prepare(`https://127.0.0.1:${port}/`), sendOptions())),
      ),
    );
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toBeInstanceOf(ConnectionError);
    }
    expect(accepted).toBe(1);
  });

  it('opens a fresh session when the only one died', async () => {
    const server = await h.serve((stream) => respond(stream, 'ok'));
    const adapter = h.adapter();
    expect(await getAll(adapter, [`${server.origin}/a`])).toEqual(['ok']);
    for (const s of server.sessions) s.destroy();
    await until(() => (adapter.poolStats()[server.origin]?.sessions ?? 0) === 0);
    expect(await getAll(adapter, [`${server.origin}/b`])).toEqual(['ok']);
    expect(server.connections).toBe(2);
  });

  it('when the session dies, requests queued behind it move to a new session; its own stream fails', async () => {
    const held: ServerHttp2Stream[] = [];
    const server = await h.serve(
      (stream, headers) => {
        if (headers[':path'] === '/hold') held.push(stream);
        else respond(stream, 'moved');
      },
      { settings: { maxConcurrentStreams: 1 } },
    );
    const adapter = h.adapter({ maxSessionsPerOrigin: 1 });
    const first = settle(adapter.send(await prepare(`${server.origin}/hold`), sendOptions()));
    await until(() => held.length === 1);
    const queued = adapter.send(await prepare(`${server.origin}/next`), sendOptions());
    await until(() => adapter.poolStats()[server.origin]?.queued === 1);
    held[0]?.session?.destroy();
    const r = await first;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBeInstanceOf(ConnectionError);
    expect(text(await (await queued).read())).toBe('moved');
    expect(server.connections).toBe(2);
  });

  it('a queued request honours the deadline (its signal firing with TimeoutError)', async () => {
    let hold: ServerHttp2Stream | undefined;
    const server = await h.serve(
      (stream) => {
        hold = stream;
      },
      { settings: { maxConcurrentStreams: 1 } },
    );
    const adapter = h.adapter({ maxSessionsPerOrigin: 1 });
    void settle(adapter.send(await prepare(`${server.origin}/hold`), sendOptions()));
    await until(() => hold !== undefined);
    const { error, ms } = await timed(
      adapter.send(
        await prepare(`${server.origin}/queued`),
        sendOptions({ signal: AbortSignal.timeout(100) }),
      ),
    );
    // AbortSignal.timeout's reason is a DOMException, so this is the caller's abort: AbortError.
    expect((error as Error).name).toBe('AbortError');
    expect(ms).toBeLessThan(250);
    expect(adapter.poolStats()[server.origin]?.queued).toBe(0);
  });

  it('rejects invalid options', async () => {
    expect(() => h.adapter({ maxSessionsPerOrigin: 0 })).toThrow(TypeError);
    expect(() => h.adapter({ pingInterval: 0 })).toThrow(TypeError);
    expect(() => h.adapter({ idleTimeout: -1 })).toThrow(TypeError);
    const err = await rejection(h.adapter().send(await prepare('ftp://x/'), sendOptions()));
    expect(err.name).toBe('InvalidSchemaError');
  });
});
