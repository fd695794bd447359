import { ConnectionError, RetryError as CoreRetryError } from '@sess/core';
import { RetryError, retriesOf, retry } from '@sess/plugin-retry';
import { afterEach, describe, expect, it } from 'vitest';
import { type FlakyServer, gaps, makeSession, reply, startServer } from './helpers.js';

let server: FlakyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('status retries', () => {
  it('503 twice then 200: three attempts, two entries in response.retries', async () => {
    server = await startServer((hit, res) => (hit.n <= 2 ? reply(res, 503, 'busy') : reply(res, 200, 'ok')));
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503] }));
    const res = await s.get(`${server.url}/flaky`);
    expect(res.statusCode).toBe(200);
    expect(res.text).toBe('ok');
    expect(server.hits).toHaveLength(3);
    expect(res.retries?.map((e) => [e.attempt, e.status, e.delay])).toEqual([
      [1, 503, 0],
      [2, 503, 0],
    ]);
    expect(retriesOf(res)).toBe(res.retries);
  });

  it('a response the first attempt got has an empty history', async () => {
    server = await startServer((_hit, res) => reply(res, 200, 'ok'));
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503] }));
    const res = await s.get(server.url);
    expect(res.retries).toEqual([]);
  });

  it('RetryError when status retries run out: last response (body read) and the history', async () => {
    server = await startServer((hit, res) => reply(res, 503, `busy ${hit.n}`));
    await using s = makeSession();
    s.use(retry({ total: 5, status: 2, statusForcelist: [503] }));
    const err = await s.get(`${server.url}/down`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryError);
    expect(err).toBeInstanceOf(CoreRetryError);
    const e = err as RetryError;
    expect(e.code).toBe('ERR_SESS_RETRY');
    expect(e.message).toMatch(
      /^Max retries exceeded \(status retries ran out\): last status 503 Service Unavailable/,
    );
    expect(e.response?.statusCode).toBe(503);
    expect(e.response?.text).toBe('busy 3');
    expect(e.retries.map((r) => r.status)).toEqual([503, 503]);
    expect(server.hits).toHaveLength(3);
  });

  it('RetryError.cause is the last error met on the way; causes lists every one', async () => {
    server = await startServer((hit, res, req) => (hit.n === 1 ? req.socket.destroy() : reply(res, 503, '')));
    await using s = makeSession();
    s.use(retry({ total: 2, statusForcelist: [503] }));
    const err = (await s.get(server.url).catch((e: unknown) => e)) as RetryError;
    expect(err).toBeInstanceOf(RetryError);
    expect(err.message).toMatch(/\(total retries ran out\): last status 503 Service Unavailable/);
    expect(err.cause).toBeInstanceOf(ConnectionError);
    expect(err.causes).toEqual([err.cause]);
    expect(err.retries.map((e) => [e.attempt, e.status, e.error?.name])).toEqual([
      [1, undefined, 'ConnectionError'],
      [2, 503, undefined],
    ]);
  });

  it('raiseOnStatus: false returns the last response instead', async () => {
    server = await startServer((_hit, res) => reply(res, 502, 'bad gateway'));
    await using s = makeSession();
    s.use(retry({ total: 2, statusForcelist: [502], raiseOnStatus: false }));
    const res = await s.get(server.url);
    expect(res.statusCode).toBe(502);
    expect(res.text).toBe('bad gateway');
    expect(res.retries).toHaveLength(2);
    expect(server.hits).toHaveLength(3);
  });

  it('429 with Retry-After: 1 waits about a second, even without a forcelist', async () => {
    server = await startServer((hit, res) =>
      hit.n === 1 ? reply(res, 429, '', { 'Retry-After': '1' }) : reply(res, 200, 'ok'),
    );
    await using s = makeSession();
    s.use(retry());
    const res = await s.get(server.url);
    expect(res.statusCode).toBe(200);
    const [gap] = gaps(server.hits);
    console.log(`Retry-After: 1 -> gap ${gap?.toFixed(0)} ms`);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(1500);
    expect(res.retries?.[0]?.delay).toBe(1000);
  });

  it('503 with Retry-After as an HTTP-date waits until then', async () => {
    server = await startServer((hit, res) => {
      if (hit.n > 1) return reply(res, 200, 'ok');
      // Whole seconds only: the wait is between 0.5 and 1.5 s.
      const at = new Date(Date.now() + 1500).toUTCString();
      reply(res, 503, '', { 'Retry-After': at });
    });
    await using s = makeSession();
    s.use(retry());
    const res = await s.get(server.url);
    expect(res.statusCode).toBe(200);
    const [gap] = gaps(server.hits);
    console.log(`Retry-After: <HTTP-date now + 1.5 s> -> gap ${gap?.toFixed(0)} ms`);
    expect(gap).toBeGreaterThanOrEqual(450);
    expect(gap).toBeLessThan(1800);
  });

  it('maxRetryAfter: Retry-After: 3600 is not waited for, RetryError at once', async () => {
    server = await startServer((_hit, res) => reply(res, 503, 'later', { 'Retry-After': '3600' }));
    await using s = makeSession();
    s.use(retry({ maxRetryAfter: 60_000 }));
    const t0 = performance.now();
    const err = (await s.get(server.url).catch((e: unknown) => e)) as RetryError;
    console.log(`Retry-After: 3600 -> RetryError after ${(performance.now() - t0).toFixed(0)} ms`);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(err).toBeInstanceOf(RetryError);
    expect(err.message).toMatch(/3600000 ms \(Retry-After\), more than maxRetryAfter/);
    expect(err.response?.statusCode).toBe(503);
    expect(server.hits).toHaveLength(1);
  });

  it('maxRetryAfter with raiseOnStatus: false returns the response at once', async () => {
    server = await startServer((_hit, res) => reply(res, 429, '', { 'Retry-After': '3600' }));
    await using s = makeSession();
    s.use(retry({ raiseOnStatus: false }));
    const t0 = performance.now();
    const res = await s.get(server.url);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(res.statusCode).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3600');
  });

  it('a 307 chain: each hop passes the plugin and is retried on its own', async () => {
    let bTries = 0;
    server = await startServer((hit, res) => {
      if (hit.url === '/a') return reply(res, 307, '', { Location: '/b' });
      if (hit.url === '/b') {
        bTries++;
        return bTries === 1 ? reply(res, 503, '') : reply(res, 307, '', { Location: '/c' });
      }
      reply(res, 200, 'done');
    });
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503] }));
    const res = await s.put(`${server.url}/a`, { data: 'payload' });
    expect(res.statusCode).toBe(200);
    expect(server.hits.map((h) => [h.method, h.url, h.body])).toEqual([
      ['PUT', '/a', 'payload'],
      ['PUT', '/b', 'payload'],
      ['PUT', '/b', 'payload'],
      ['PUT', '/c', 'payload'],
    ]);
    expect(res.history.map((r) => [r.statusCode, r.retries?.length])).toEqual([
      [307, 0],
      [307, 1],
    ]);
    expect(res.retries).toEqual([]);
  });

  it('a 3xx is never retried by the plugin, whatever the forcelist says about other codes', async () => {
    server = await startServer((_hit, res) => reply(res, 302, '', { Location: '/elsewhere' }));
    await using s = makeSession();
    s.use(retry({ statusForcelist: [500] }));
    const res = await s.get(server.url, { allowRedirects: false });
    expect(res.statusCode).toBe(302);
    expect(server.hits).toHaveLength(1);
  });
});
