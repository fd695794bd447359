import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStatusOf } from '../src/index.js';
import { cachedSession, type Origin, reply, startOrigin, TestClock } from './helpers.js';

const clock = new TestClock();
let origin: Origin;
beforeAll(async () => {
  origin = await startOrigin(clock);
});
afterAll(async () => {
  await origin.close();
});

const cc = (value: string) => ({ headers: { 'Cache-Control': value } });

describe('request directives (RFC 9111 §5.2.1)', () => {
  it('max-age: an entry older than the request allows is not used', async () => {
    const url = origin.route('req-max-age', reply({ 'Cache-Control': 'max-age=600' }));
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(30);
    expect((await s.get(url, cc('max-age=60'))).fromCache).toBe(true);
    expect((await s.get(url, cc('max-age=10'))).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('min-fresh: the entry must stay fresh that much longer', async () => {
    const url = origin.route('req-min-fresh', reply({ 'Cache-Control': 'max-age=100' }));
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(50);
    expect((await s.get(url, cc('min-fresh=40'))).fromCache).toBe(true);
    expect((await s.get(url, cc('min-fresh=60'))).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('max-stale: a stale entry within the allowance is served; bare max-stale takes any staleness', async () => {
    const url = origin.route('req-max-stale', reply({ 'Cache-Control': 'max-age=10' }));
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(40); // 30 s stale
    const stale = await s.get(url, cc('max-stale=60'));
    expect(stale.fromCache).toBe(true);
    expect(cacheStatusOf(stale)).toBe('stale');
    expect((await s.get(url, cc('max-stale'))).fromCache).toBe(true);
    expect(origin.hits(url)).toBe(1);
    expect((await s.get(url, cc('max-stale=20'))).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('max-stale does not override must-revalidate', async () => {
    const url = origin.route('req-max-stale-mr', reply({ 'Cache-Control': 'max-age=10, must-revalidate' }));
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(20);
    expect((await s.get(url, cc('max-stale=600'))).fromCache).toBe(false);
    await s.close();
  });

  it('no-cache (and Pragma: no-cache without Cache-Control): a fresh entry is validated first', async () => {
    const url = origin.route('req-no-cache', (req, res) => {
      res.setHeader('Cache-Control', 'max-age=600');
      res.setHeader('ETag', '"a"');
      if (req.headers['if-none-match'] === '"a"') {
        res.statusCode = 304;
        res.end();
      } else res.end('body');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    const validated = await s.get(url, cc('no-cache'));
    expect(origin.hits(url)).toBe(2);
    expect(cacheStatusOf(validated)).toBe('revalidated');
    expect(validated.text).toBe('body');
    const pragma = await s.get(url, { headers: { Pragma: 'no-cache' } });
    expect(origin.hits(url)).toBe(3);
    expect(pragma.text).toBe('body');
    expect((await s.get(url)).fromCache).toBe(true);
    expect(origin.hits(url)).toBe(3);
    await s.close();
  });

  it('only-if-cached: the stored response when it is usable, else a 504 made by the cache', async () => {
    const url = origin.route('req-only-if-cached', reply({ 'Cache-Control': 'max-age=60' }, 'cached'));
    const { s } = cachedSession(clock);
    const miss = await s.get(url, cc('only-if-cached'));
    expect(miss.statusCode).toBe(504);
    expect(miss.reason).toBe('Gateway Timeout');
    expect(miss.fromCache).toBe(true);
    expect(origin.hits(url)).toBe(0);
    await s.get(url);
    const hit = await s.get(url, cc('only-if-cached'));
    expect(hit.statusCode).toBe(200);
    expect(hit.text).toBe('cached');
    clock.advance(120);
    // Stale, and the request did not say max-stale: nothing usable, and the server is not asked.
    expect((await s.get(url, cc('only-if-cached'))).statusCode).toBe(504);
    expect((await s.get(url, cc('only-if-cached, max-stale'))).statusCode).toBe(200);
    expect(origin.hits(url)).toBe(1);
    await s.close();
  });

  it('no-store on the request: the response is not stored', async () => {
    const url = origin.route('req-no-store', reply({ 'Cache-Control': 'max-age=60' }));
    const { s } = cachedSession(clock);
    await s.get(url, cc('no-store'));
    expect((await s.get(url)).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });
});
