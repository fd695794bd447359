import { PoolTimeoutError, TimeoutError } from '@sess/core';
import { startTestServer, type TestServer } from '@sess/testkit';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The v2 contract end to end, against the embedded server: queueing for a
 * pooled connection is not connecting, the pool has its own clock, and the
 * session's total covers every hop, hook re-sends (digest) included.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('the pool wait is not connecting', () => {
  it('50 x /delay/0.5 with timeout.connect 1000 all succeed on the default pool (10 per origin)', async () => {
    await using s = new Session();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => s.get(`${server.url}/delay/0.5`, { timeout: { connect: 1000 } })),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toEqual([]);
    expect(results.every((r) => r.status === 'fulfilled' && r.value.statusCode === 200)).toBe(true);
  });

  it('a Promise.all of 100 requests to one origin succeeds (a burst never fails, as in requests)', async () => {
    await using s = new Session();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => s.get(`${server.url}/get?i=${i}`)),
    );
    expect(results.map((r) => (r.json() as { args: { i: string } }).args.i)).toEqual(
      Array.from({ length: 100 }, (_, i) => String(i)),
    );
  });

  it('timeout.pool bounds the wait for a free connection: PoolTimeoutError, a TimeoutError', async () => {
    await using s = new Session({ adapter: { connections: 1 } });
    const busy = s.get(`${server.url}/delay/0.5`);
    const t0 = performance.now();
    const err = await s.get(`${server.url}/get`, { timeout: { pool: 100 } }).catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(PoolTimeoutError);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(400);
    expect((await busy).statusCode).toBe(200);
    // The connection the waiter gave up on serves the next request.
    expect((await s.get(`${server.url}/get`)).statusCode).toBe(200);
  });
});

describe('timeout.total against a real server', () => {
  it('covers a redirect hop: the second hop gets what is left of the budget, not a fresh one', async () => {
    await using s = new Session();
    const t0 = performance.now();
    const err = await s
      .get(`${server.url}/redirect-to?url=${encodeURIComponent('/delay/1')}`, { timeout: { total: 300 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(performance.now() - t0).toBeLessThan(700);
  });

  it('covers the body: a slow drip past the budget is a TimeoutError', async () => {
    await using s = new Session();
    const err = await s
      .get(`${server.url}/drip?numbytes=5&duration=2&delay=0`, { timeout: { total: 300 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
  });
});
