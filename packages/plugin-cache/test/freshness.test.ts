import { Response } from '@sess/core';
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

describe('freshness (RFC 9111 §4.2)', () => {
  it('max-age: a fresh hit costs no origin request (1 origin hit for 2 requests)', async () => {
    const url = origin.route('max-age', reply({ 'Cache-Control': 'max-age=60' }, 'fresh body'));
    const { s } = cachedSession(clock);
    const first = await s.get(url);
    expect(first.fromCache).toBe(false);
    expect(cacheStatusOf(first)).toBe('miss');
    clock.advance(30);
    const second = await s.get(url);
    expect(origin.hits(url)).toBe(1);
    expect(second).toBeInstanceOf(Response);
    expect(second.fromCache).toBe(true);
    expect(cacheStatusOf(second)).toBe('hit');
    expect(second.text).toBe('fresh body');
    expect(second.headers.get('age')).toBe('30');
    await s.close();
  });

  it('a stale entry is not served once max-age has passed', async () => {
    const url = origin.route('max-age-expired', reply({ 'Cache-Control': 'max-age=60' }));
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(61);
    const again = await s.get(url);
    expect(again.fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('max-age=0 with an ETag: every use is validated (304), the body comes from the cache', async () => {
    const url = origin.route('max-age-0', (req, res) => {
      res.setHeader('Cache-Control', 'max-age=0');
      res.setHeader('ETag', '"v1"');
      if (req.headers['if-none-match'] === '"v1"') {
        res.statusCode = 304;
        res.end();
      } else res.end('validated body');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    const second = await s.get(url);
    expect(origin.hits(url)).toBe(2);
    expect(origin.lastHeaders(url)?.['if-none-match']).toBe('"v1"');
    expect(second.statusCode).toBe(200);
    expect(second.text).toBe('validated body');
    expect(cacheStatusOf(second)).toBe('revalidated');
    await s.close();
  });

  it('s-maxage counts in shared mode only', async () => {
    const url = origin.route('s-maxage', reply({ 'Cache-Control': 'max-age=0, s-maxage=60' }));
    const priv = cachedSession(clock);
    await priv.s.get(url);
    await priv.s.get(url);
    expect(origin.hits(url)).toBe(2);
    const shared = cachedSession(clock, { shared: true });
    await shared.s.get(url);
    const hit = await shared.s.get(url);
    expect(origin.hits(url)).toBe(3);
    expect(hit.fromCache).toBe(true);
    await priv.s.close();
    await shared.s.close();
  });

  it('Expires minus Date is the lifetime; an invalid Expires is already stale', async () => {
    const url = origin.route('expires', (_req, res) => {
      res.setHeader('Expires', clock.httpDate(60));
      res.end('x');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(50);
    expect((await s.get(url)).fromCache).toBe(true);
    clock.advance(20);
    expect((await s.get(url)).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);

    const invalid = origin.route('expires-invalid', reply({ Expires: '0' }));
    await s.get(invalid);
    expect((await s.get(invalid)).fromCache).toBe(false);
    expect(origin.hits(invalid)).toBe(2);
    await s.close();
  });

  it('max-age wins over Expires', async () => {
    const url = origin.route('max-age-over-expires', (_req, res) => {
      res.setHeader('Cache-Control', 'max-age=10');
      res.setHeader('Expires', clock.httpDate(3600));
      res.end('x');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(20);
    expect((await s.get(url)).fromCache).toBe(false);
    await s.close();
  });

  it('the Age header is subtracted: Age 50 with max-age=60 leaves 10 s', async () => {
    const url = origin.route('age', reply({ 'Cache-Control': 'max-age=60', Age: '50' }));
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(8);
    const hit = await s.get(url);
    expect(hit.fromCache).toBe(true);
    expect(hit.headers.get('age')).toBe('58');
    clock.advance(4);
    expect((await s.get(url)).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('apparent age: a Date in the past makes the response older than its Age says', async () => {
    const url = origin.route('apparent-age', (_req, res) => {
      res.setHeader('Date', clock.httpDate(-55));
      res.setHeader('Cache-Control', 'max-age=60');
      res.end('x');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(3);
    expect((await s.get(url)).headers.get('age')).toBe('58');
    clock.advance(3);
    expect((await s.get(url)).fromCache).toBe(false);
    await s.close();
  });

  it('heuristic freshness: 10% of the Last-Modified age, for heuristically cacheable codes only', async () => {
    const lastModified = () => clock.httpDate(-1000);
    const ok = origin.route('heuristic-200', (_req, res) => {
      res.setHeader('Last-Modified', lastModified());
      res.end('x');
    });
    const gone = origin.route('heuristic-404', (_req, res) => {
      res.statusCode = 404;
      res.setHeader('Last-Modified', lastModified());
      res.end('x');
    });
    const forbidden = origin.route('heuristic-403', (_req, res) => {
      res.statusCode = 403;
      res.setHeader('Last-Modified', lastModified());
      res.end('x');
    });
    const { s } = cachedSession(clock);
    for (const url of [ok, gone, forbidden]) await s.get(url);
    clock.advance(90);
    expect((await s.get(ok)).fromCache).toBe(true);
    expect((await s.get(gone)).fromCache).toBe(true);
    expect((await s.get(forbidden)).fromCache).toBe(false);
    clock.advance(20); // 110 s > 10% of 1000 s
    expect((await s.get(ok)).fromCache).toBe(false);
    expect(origin.hits(ok)).toBe(2);
    expect(origin.hits(forbidden)).toBe(2);
    await s.close();
  });

  it('heuristics never apply next to explicit freshness, and heuristicFraction: 0 turns them off', async () => {
    const url = origin.route('heuristic-explicit', (_req, res) => {
      res.setHeader('Last-Modified', clock.httpDate(-100_000));
      res.setHeader('Cache-Control', 'max-age=5');
      res.end('x');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(10);
    expect((await s.get(url)).fromCache).toBe(false);
    await s.close();

    const off = origin.route('heuristic-off', (_req, res) => {
      res.setHeader('Last-Modified', clock.httpDate(-100_000));
      res.end('x');
    });
    const none = cachedSession(clock, { heuristicFraction: 0 });
    await none.s.get(off);
    expect((await none.s.get(off)).fromCache).toBe(false);
    await none.s.close();
  });

  it('a redirect with no freshness is not stored; a 301 with max-age is, and is followed from the cache', async () => {
    const target = origin.route('redirect-target', reply({ 'Cache-Control': 'max-age=60' }, 'target'));
    const moved = origin.route('moved', reply({ Location: target, 'Cache-Control': 'max-age=60' }, '', 301));
    const found = origin.route('found', reply({ Location: target }, '', 302));
    const { s } = cachedSession(clock);
    await s.get(moved);
    await s.get(found);
    const again = await s.get(moved);
    await s.get(found);
    expect(again.text).toBe('target');
    expect(again.history[0]?.fromCache).toBe(true);
    expect(origin.hits(moved)).toBe(1);
    expect(origin.hits(found)).toBe(2);
    expect(origin.hits(target)).toBe(1);
    await s.close();
  });
});
