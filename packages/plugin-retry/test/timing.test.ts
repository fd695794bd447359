import { AbortError } from '@sess/core';
import { RetryError, retry } from '@sess/plugin-retry';
import { afterEach, describe, expect, it } from 'vitest';
import { type FlakyServer, gaps, makeSession, reply, startServer } from './helpers.js';

let server: FlakyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('back-off timing', () => {
  it('gaps between attempts, measured by the server, follow 0, 2f, 4f, 8f', async () => {
    server = await startServer((_hit, res) => reply(res, 503, ''));
    await using s = makeSession();
    const factor = 60;
    s.use(retry({ total: 4, backoffFactor: factor, statusForcelist: [503], raiseOnStatus: false }));
    const res = await s.get(server.url);
    expect(res.retries?.map((e) => e.delay)).toEqual([0, 120, 240, 480]);
    const measured = gaps(server.hits);
    const expected = [0, 2 * factor, 4 * factor, 8 * factor];
    console.log('back-off gaps (ms), expected', expected, 'measured', measured.map(Math.round));
    measured.forEach((gap, i) => {
      const want = expected[i] as number;
      expect(gap).toBeGreaterThanOrEqual(want - 5);
      expect(gap).toBeLessThan(want + 100);
    });
  });

  it('backoffMax caps the wait', async () => {
    server = await startServer((_hit, res) => reply(res, 503, ''));
    await using s = makeSession();
    s.use(
      retry({ total: 3, backoffFactor: 1000, backoffMax: 50, statusForcelist: [503], raiseOnStatus: false }),
    );
    const res = await s.get(server.url);
    expect(res.retries?.map((e) => e.delay)).toEqual([0, 50, 50]);
  });

  it('an abort during a back-off ends it within 50 ms', async () => {
    server = await startServer((_hit, res) => reply(res, 503, '', { 'Retry-After': '5' }));
    await using s = makeSession();
    let waiting!: () => void;
    const started = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    s.use(retry({ beforeRetry: () => waiting() }));
    const ctl = new AbortController();
    const p = s.get(server.url, { signal: ctl.signal }).catch((e: unknown) => e);
    await started;
    const t0 = performance.now();
    ctl.abort();
    const err = await p;
    const took = performance.now() - t0;
    console.log(`abort during back-off: ended ${took.toFixed(1)} ms after abort()`);
    expect(err).toBeInstanceOf(AbortError);
    expect(took).toBeLessThan(50);
    expect(server.hits).toHaveLength(1);
  });

  it('a back-off that would pass timeout.total is not started: gives up at once', async () => {
    server = await startServer((_hit, res) => reply(res, 503, 'wait', { 'Retry-After': '2' }));
    await using s = makeSession();
    s.use(retry());
    const t0 = performance.now();
    const err = (await s
      .get(server.url, { timeout: { total: 1000 } })
      .catch((e: unknown) => e)) as RetryError;
    expect(performance.now() - t0).toBeLessThan(300);
    expect(err).toBeInstanceOf(RetryError);
    expect(err.message).toMatch(/would pass the request's deadline \(timeout\.total\)/);
    expect(err.response?.text).toBe('wait');
    expect(server.hits).toHaveLength(1);
  });

  it('back-offs that fit count against timeout.total and are made', async () => {
    server = await startServer((hit, res) => (hit.n < 3 ? reply(res, 503, '') : reply(res, 200, 'ok')));
    await using s = makeSession();
    s.use(retry({ backoffFactor: 100, statusForcelist: [503] }));
    const res = await s.get(server.url, { timeout: { total: 2000 } });
    expect(res.statusCode).toBe(200);
    expect(res.retries?.map((e) => e.delay)).toEqual([0, 200]);
  });
});
