import { ConnectionError } from '@sess/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStatusOf } from '../src/index.js';
import { cachedSession, type Origin, startOrigin, TestClock } from './helpers.js';

const clock = new TestClock();
let origin: Origin;
beforeAll(async () => {
  origin = await startOrigin(clock);
});
afterAll(async () => {
  await origin.close();
});

/** A gate a handler waits on until the test opens it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe('serving stale (RFC 9111 §4.2.4, RFC 5861)', () => {
  it('must-revalidate: with the origin down, the stale entry is not served (the error is)', async () => {
    const down = await startOrigin(clock);
    const url = down.route('must-revalidate', (_req, res) => {
      res.setHeader('Cache-Control', 'max-age=10, must-revalidate, stale-if-error=600');
      res.end('x');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(5);
    expect((await s.get(url)).fromCache).toBe(true);
    await down.close();
    clock.advance(20);
    await expect(s.get(url)).rejects.toBeInstanceOf(ConnectionError);
    await s.close();
  });

  it('must-revalidate: a 503 from the origin is passed on, not hidden behind the stale entry', async () => {
    const url = origin.route('must-revalidate-503', (_req, res, hit) => {
      res.setHeader('Cache-Control', 'max-age=10, must-revalidate, stale-if-error=600');
      res.statusCode = hit === 1 ? 200 : 503;
      res.end(hit === 1 ? 'good' : 'down');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(20);
    const res = await s.get(url);
    expect(res.statusCode).toBe(503);
    expect(res.text).toBe('down');
    await s.close();
  });

  it('proxy-revalidate forbids stale in shared mode only', async () => {
    const url = origin.route('proxy-revalidate', (_req, res, hit) => {
      res.setHeader('Cache-Control', 'public, max-age=10, proxy-revalidate');
      res.end(`v${hit}`);
    });
    const priv = cachedSession(clock);
    const shared = cachedSession(clock, { shared: true });
    await priv.s.get(url);
    await shared.s.get(url);
    clock.advance(20);
    const maxStale = { headers: { 'Cache-Control': 'max-stale=600' } };
    expect((await priv.s.get(url, maxStale)).fromCache).toBe(true);
    expect((await shared.s.get(url, maxStale)).fromCache).toBe(false);
    await priv.s.close();
    await shared.s.close();
  });

  it('stale-while-revalidate: served stale at once, validated once in the background', async () => {
    const slow = gate();
    const url = origin.route('swr', async (_req, res, hit) => {
      if (hit === 2) await slow.wait;
      res.setHeader('Cache-Control', 'max-age=1, stale-while-revalidate=60');
      res.setHeader('ETag', `"v${hit}"`);
      res.end(`version ${hit}`);
    });
    const { s, plugin } = cachedSession(clock);
    expect((await s.get(url)).text).toBe('version 1');
    clock.advance(10);
    const stale = await s.get(url);
    expect(stale.text).toBe('version 1');
    expect(stale.fromCache).toBe(true);
    expect(cacheStatusOf(stale)).toBe('stale');
    // While that validation is in flight, others get the stale entry too, and start none of their own.
    const again = await s.get(url);
    expect(again.text).toBe('version 1');
    slow.open();
    await plugin.idle();
    expect(origin.hits(url)).toBe(2);
    expect(origin.lastHeaders(url)?.['if-none-match']).toBe('"v1"');
    const fresh = await s.get(url);
    expect(fresh.text).toBe('version 2');
    expect(cacheStatusOf(fresh)).toBe('hit');
    expect(origin.hits(url)).toBe(2);
    // Past the window: validated before answering.
    clock.advance(120);
    expect((await s.get(url)).text).toBe('version 3');
    await s.close();
  });

  it('stale-if-error: a 503 gets the stale entry within the window, and the 503 after it', async () => {
    const url = origin.route('sie-503', (_req, res, hit) => {
      if (hit === 1) {
        res.setHeader('Cache-Control', 'max-age=10, stale-if-error=60');
        res.end('good');
      } else {
        res.statusCode = 503;
        res.end('unavailable');
      }
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(40);
    const rescued = await s.get(url);
    expect(rescued.statusCode).toBe(200);
    expect(rescued.text).toBe('good');
    expect(rescued.fromCache).toBe(true);
    expect(cacheStatusOf(rescued)).toBe('stale');
    expect(origin.hits(url)).toBe(2);
    clock.advance(60); // 90 s stale > 60
    const failed = await s.get(url);
    expect(failed.statusCode).toBe(503);
    expect(failed.text).toBe('unavailable');
    await s.close();
  });

  it('stale-if-error: connection refused gets the stale entry within the window, the error after it', async () => {
    const down = await startOrigin(clock);
    const url = down.route('sie-refused', (_req, res) => {
      res.setHeader('Cache-Control', 'max-age=10, stale-if-error=60');
      res.end('good');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    await down.close();
    clock.advance(40);
    const rescued = await s.get(url);
    expect(rescued.text).toBe('good');
    expect(rescued.fromCache).toBe(true);
    clock.advance(60);
    await expect(s.get(url)).rejects.toBeInstanceOf(ConnectionError);
    await s.close();
  });

  it('stale-if-error on the request works the same', async () => {
    const url = origin.route('sie-request', (_req, res, hit) => {
      res.statusCode = hit === 1 ? 200 : 500;
      // (A 500 with max-age would be stored in place of the good entry: RFC 9111 allows it.)
      if (hit === 1) res.setHeader('Cache-Control', 'max-age=10');
      res.end(hit === 1 ? 'good' : 'bad');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(30);
    expect((await s.get(url)).statusCode).toBe(500);
    expect((await s.get(url, { headers: { 'Cache-Control': 'stale-if-error=60' } })).text).toBe('good');
    await s.close();
  });
});
