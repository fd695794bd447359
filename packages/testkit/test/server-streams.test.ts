import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/index.js';
import { send } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('/delay', () => {
  it('answers after the delay with an echo document, fractions allowed', async () => {
    const started = performance.now();
    const res = await send(`${server.url}/delay/0.2?x=1`, { method: 'POST', body: 'b' });
    // Timers may fire a millisecond early; a generous lower bound keeps this from being flaky.
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ args: { x: '1' }, data: 'b', url: `${server.url}/delay/0.2?x=1` });
  });

  it('refuses a delay that is not a number', async () => {
    expect((await send(`${server.url}/delay/soon`)).status).toBe(400);
  });

  it('stops waiting (clears its timer) when the client disconnects', async () => {
    const req = request(`${server.url}/delay/10`);
    req.on('error', () => {});
    req.end();
    await vi.waitFor(() => expect(server.activeRequests).toBe(1));
    req.destroy();
    // With the 10 s timer still pending, idle() would outlast this test's 5 s limit.
    await server.idle();
    expect(server.activeRequests).toBe(0);
  }, 5000);
});

describe('/stream and bytes', () => {
  it('/stream/N sends N JSON lines, chunked', async () => {
    const res = await send(`${server.url}/stream/3?q=v`);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    const lines = res.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; args: unknown });
    expect(lines.map((l) => l.id)).toEqual([0, 1, 2]);
    expect(lines[0]?.args).toEqual({ q: 'v' });
    expect(res.text.endsWith('\n')).toBe(true);
  });

  it('/stream caps N at 100', async () => {
    const res = await send(`${server.url}/stream/500`);
    expect(res.text.trimEnd().split('\n')).toHaveLength(100);
  });

  it('/bytes/N sends N bytes, the same ones for the same seed', async () => {
    const a = await send(`${server.url}/bytes/1000?seed=7`);
    const b = await send(`${server.url}/bytes/1000?seed=7`);
    const c = await send(`${server.url}/bytes/1000?seed=8`);
    expect(a.headers['content-type']).toBe('application/octet-stream');
    expect(a.body.byteLength).toBe(1000);
    expect(a.body.equals(b.body)).toBe(true);
    expect(a.body.equals(c.body)).toBe(false);
    expect(new Set(a.body).size).toBeGreaterThan(100);
  });

  it('/bytes without a seed differs between calls', async () => {
    const a = await send(`${server.url}/bytes/64`);
    const b = await send(`${server.url}/bytes/64`);
    expect(a.body.equals(b.body)).toBe(false);
  });

  it('/stream-bytes/N sends N bytes chunked, matching /bytes for a seed', async () => {
    const res = await send(`${server.url}/stream-bytes/5000?seed=3&chunk_size=1000`);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.body.equals((await send(`${server.url}/bytes/5000?seed=3`)).body)).toBe(true);
  });

  it('/range/N honours a single byte range', async () => {
    const full = await send(`${server.url}/range/30`);
    expect(full.status).toBe(200);
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.text).toBe('abcdefghijklmnopqrstuvwxyzabcd');
    const part = await send(`${server.url}/range/30`, { headers: { Range: 'bytes=2-4' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 2-4/30');
    expect(part.text).toBe('cde');
    const tail = await send(`${server.url}/range/30`, { headers: { Range: 'bytes=-3' } });
    expect(tail.text).toBe('bcd');
    const open = await send(`${server.url}/range/30`, { headers: { Range: 'bytes=28-' } });
    expect(open.text).toBe('cd');
    const bad = await send(`${server.url}/range/30`, { headers: { Range: 'bytes=40-50' } });
    expect(bad.status).toBe(416);
    expect(bad.headers['content-range']).toBe('bytes */30');
  });
});

describe('/drip', () => {
  it('spreads numbytes over duration, with the promised Content-Length', async () => {
    const started = performance.now();
    const res = await send(`${server.url}/drip?numbytes=4&duration=0.4&code=201`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(res.status).toBe(201);
    expect(res.headers['content-length']).toBe('4');
    expect(res.text).toBe('****');
    // The bytes came in separate reads, not one burst at the end.
    expect(res.chunks.length).toBeGreaterThan(1);
  });

  it('waits `delay` seconds before the headers', async () => {
    const started = performance.now();
    const headersAt = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/drip?numbytes=1&duration=0&delay=0.3`, (res) => {
        resolve(performance.now());
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    expect(headersAt - started).toBeGreaterThanOrEqual(250);
  });

  it('stops dripping when the client disconnects', async () => {
    const firstByte = await new Promise<{ destroy(): void }>((resolve, reject) => {
      const req = request(`${server.url}/drip?numbytes=3&duration=9`, (res) => {
        res.once('data', () => resolve(req));
      });
      req.on('error', () => {});
      req.on('timeout', reject);
      req.end();
    });
    expect(server.activeRequests).toBe(1);
    firstByte.destroy();
    await server.idle();
    expect(server.activeRequests).toBe(0);
  }, 5000);

  it('refuses malformed parameters', async () => {
    expect((await send(`${server.url}/drip?numbytes=x`)).status).toBe(400);
    expect((await send(`${server.url}/drip?duration=-1`)).status).toBe(400);
  });
});

describe('compressed responses', () => {
  it('/gzip is gzip-encoded JSON', async () => {
    const res = await send(`${server.url}/gzip`);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.body).toString())).toMatchObject({ gzipped: true, method: 'GET' });
  });

  it('/deflate is zlib-wrapped deflate', async () => {
    const res = await send(`${server.url}/deflate`);
    expect(res.headers['content-encoding']).toBe('deflate');
    expect(JSON.parse(inflateSync(res.body).toString())).toMatchObject({ deflated: true });
  });

  it('/brotli is br-encoded', async () => {
    const res = await send(`${server.url}/brotli`, { headers: { 'X-Probe': '1' } });
    expect(res.headers['content-encoding']).toBe('br');
    const doc = JSON.parse(brotliDecompressSync(res.body).toString()) as {
      brotli: boolean;
      headers: Record<string, string>;
    };
    expect(doc.brotli).toBe(true);
    expect(doc.headers['X-Probe']).toBe('1');
  });

  it('is decoded by fetch, as a client that negotiates would', async () => {
    const res = await fetch(`${server.url}/gzip`);
    expect(((await res.json()) as { gzipped: boolean }).gzipped).toBe(true);
  });
});
