import { ConnectionError } from '@sess/core';
import { RetryError, retriesOf, retry } from '@sess/plugin-retry';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cache, cacheStatusOf } from '../src/index.js';
import { type Origin, startOrigin, TestClock } from './helpers.js';

const clock = new TestClock();
let origin: Origin;
beforeAll(async () => {
  origin = await startOrigin(clock);
});
afterAll(async () => {
  await origin.close();
});

/** The recommended order: cache outermost, retry inside it. */
function session(retryOptions: Parameters<typeof retry>[0]): Session {
  const s = new Session();
  s.use(cache({ now: clock.now }));
  s.use(retry(retryOptions));
  return s;
}

describe('cache and retry together: s.use(cache()); s.use(retry())', () => {
  it('a hit costs no retry and no origin request; a 503 after retries run out gets the stale entry', async () => {
    const url = origin.route('retry-503', (_req, res, hit) => {
      if (hit === 1) {
        res.setHeader('Cache-Control', 'max-age=10, stale-if-error=600');
        res.end('good');
      } else {
        res.statusCode = 503;
        res.end('down');
      }
    });
    const s = session({ total: 2, statusForcelist: [503], backoffFactor: 0 });
    await s.get(url);
    const hit = await s.get(url);
    expect(hit.fromCache).toBe(true);
    expect(retriesOf(hit)).toEqual([]);
    expect(origin.hits(url)).toBe(1);

    clock.advance(20);
    const rescued = await s.get(url);
    // 1 + 3 attempts (the first and two retries), then RetryError, which the cache answers for.
    expect(origin.hits(url)).toBe(4);
    expect(rescued.statusCode).toBe(200);
    expect(rescued.text).toBe('good');
    expect(rescued.fromCache).toBe(true);
    expect(cacheStatusOf(rescued)).toBe('stale');
    await s.close();
  });

  it('with raiseOnStatus: false the last 503 comes back to the cache, which answers with the stale entry', async () => {
    const url = origin.route('retry-503-no-raise', (_req, res, hit) => {
      res.statusCode = hit === 1 ? 200 : 503;
      if (hit === 1) res.setHeader('Cache-Control', 'max-age=10, stale-if-error=600');
      res.end(hit === 1 ? 'good' : 'down');
    });
    const s = session({ total: 1, statusForcelist: [503], backoffFactor: 0, raiseOnStatus: false });
    await s.get(url);
    clock.advance(20);
    expect((await s.get(url)).text).toBe('good');
    expect(origin.hits(url)).toBe(3);
    await s.close();
  });

  it('connection refused after the retries: the stale entry; past the window, the error', async () => {
    const down = await startOrigin(clock);
    const url = down.route('retry-refused', (_req, res) => {
      res.setHeader('Cache-Control', 'max-age=10, stale-if-error=60');
      res.end('good');
    });
    const s = session({ total: 2, backoffFactor: 0 });
    await s.get(url);
    await down.close();
    clock.advance(20);
    const rescued = await s.get(url);
    expect(rescued.text).toBe('good');
    expect(rescued.fromCache).toBe(true);
    clock.advance(100);
    const err = await s.get(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(retriesOf(err as Error)).toHaveLength(2);
    await s.close();
  });

  it('without stale-if-error the RetryError reaches the caller', async () => {
    const url = origin.route('retry-no-sie', (_req, res, hit) => {
      res.statusCode = hit === 1 ? 200 : 503;
      if (hit === 1) res.setHeader('Cache-Control', 'max-age=10');
      res.end();
    });
    const s = session({ total: 1, statusForcelist: [503], backoffFactor: 0 });
    await s.get(url);
    clock.advance(20);
    await expect(s.get(url)).rejects.toBeInstanceOf(RetryError);
    await s.close();
  });
});
