import { MemoryCookieStore } from 'tough-cookie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cookie, CookieJar, MemoryStore, resolveLimits, selectEvictions, siteOf } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

function namesOf(jar: CookieJar): string[] {
  return jar.keys().sort();
}

describe('a hostile server cannot grow the jar past its bounds', () => {
  it('10,000 Set-Cookie values from one host leave at most 180 cookies, the newest', () => {
    const jar = new CookieJar();
    const flood = Array.from({ length: 10_000 }, (_, i) => `c${i}=${'x'.repeat(64)}; Path=/; Max-Age=86400`);
    const started = performance.now();
    jar.setCookiesFromResponse(flood, 'https://evil.example.com/');
    const elapsed = performance.now() - started;
    const size = jar.size;
    expect(size).toBeLessThanOrEqual(180);
    expect(size).toBeGreaterThanOrEqual(162);
    expect(jar.store.size).toBe(size);
    const kept = jar.keys().map((k) => Number(k.slice(1)));
    expect(kept.sort((a, b) => a - b)).toEqual(Array.from({ length: size }, (_, i) => 10_000 - size + i));
    // Purging a tenth at a time keeps a flood cheap (one sort per 18 cookies, not a scan per cookie).
    expect(elapsed).toBeLessThan(5_000);
  });

  it('spreading them over subdomains and paths does not help: the bound is per registrable domain', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['victim=1; Path=/'], 'https://www.example.com/');
    for (let i = 0; i < 10_000; i++) {
      jar.setCookiesFromResponse([`c${i}=1; Path=/p${i % 50}`], `https://h${i % 97}.example.com/`);
    }
    expect(jar.size).toBeLessThanOrEqual(180);
    expect(jar.getDict({ domain: 'www.example.com' })).toEqual({});
    const other = new CookieJar();
    other.setCookiesFromResponse(['mine=1'], 'https://example.org/');
    expect(other.size).toBe(1);
  });

  it('10,000 cookies over 100 registrable domains leave at most 3000 in total', () => {
    const jar = new CookieJar();
    for (let s = 0; s < 100; s++) {
      const flood = Array.from({ length: 100 }, (_, i) => `c${i}=1`);
      jar.setCookiesFromResponse(flood, `https://site${s}.example/`);
    }
    expect(jar.size).toBeLessThanOrEqual(3000);
    expect(jar.size).toBeGreaterThanOrEqual(2700);
    expect(Object.keys(jar.getDict({ domain: 'site99.example' }))).toHaveLength(100);
    expect(jar.getDict({ domain: 'site0.example' })).toEqual({});
    for (const domain of jar.listDomains()) {
      expect(Object.keys(jar.getDict({ domain })).length).toBeLessThanOrEqual(100);
    }
  });

  it('keeps cookies of other domains when one domain floods', () => {
    const jar = new CookieJar({ maxCookiesPerDomain: 5, maxCookies: 100 });
    jar.setCookiesFromResponse(['keep=1'], 'https://good.com/');
    jar.setCookiesFromResponse(
      Array.from({ length: 500 }, (_, i) => `c${i}=1`),
      'https://evil.com/',
    );
    expect(jar.getDict({ domain: 'good.com' })).toEqual({ keep: '1' });
    expect(jar.getDict({ domain: 'evil.com' })).toEqual({
      c495: '1',
      c496: '1',
      c497: '1',
      c498: '1',
      c499: '1',
    });
  });
});

describe('eviction order', () => {
  it('evicts the least recently used cookie: reading one protects it', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const jar = new CookieJar({ maxCookiesPerDomain: 3 });
    jar.setCookiesFromResponse(['a=1; Path=/a'], 'https://example.com/');
    vi.setSystemTime(new Date('2030-01-01T00:00:01Z'));
    jar.setCookiesFromResponse(['b=1; Path=/b'], 'https://example.com/');
    vi.setSystemTime(new Date('2030-01-01T00:00:02Z'));
    jar.setCookiesFromResponse(['c=1; Path=/c'], 'https://example.com/');
    vi.setSystemTime(new Date('2030-01-01T00:00:03Z'));
    expect(jar.getCookieHeader('https://example.com/a')).toBe('a=1');
    vi.setSystemTime(new Date('2030-01-01T00:00:04Z'));
    jar.setCookiesFromResponse(['d=1; Path=/d'], 'https://example.com/');
    expect(namesOf(jar)).toEqual(['a', 'c', 'd']);
  });

  it('evicts expired cookies first', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const jar = new CookieJar({ maxCookiesPerDomain: 3 });
    jar.setCookiesFromResponse(['old=1', 'mid=1'], 'https://example.com/');
    vi.setSystemTime(new Date('2030-01-01T00:00:01Z'));
    jar.setCookiesFromResponse(['brief=1; Max-Age=5'], 'https://example.com/');
    vi.setSystemTime(new Date('2030-01-01T00:01:00Z'));
    jar.setCookiesFromResponse(['new=1'], 'https://example.com/');
    expect(namesOf(jar)).toEqual(['mid', 'new', 'old']);
    expect(jar.store.size).toBe(3);
  });

  it('replacing a cookie does not count twice', () => {
    const jar = new CookieJar({ maxCookiesPerDomain: 2 });
    for (let i = 0; i < 50; i++) jar.setCookiesFromResponse([`a=${i}`, `b=${i}`], 'https://example.com/');
    expect(jar.getDict()).toEqual({ a: '49', b: '49' });
  });
});

describe('limits', () => {
  it('purges an exceeded bound to 90% of the limit, like browsers', () => {
    const jar = new CookieJar({ maxCookiesPerDomain: 20 });
    jar.setCookiesFromResponse(
      Array.from({ length: 20 }, (_, i) => `c${i}=1`),
      'https://example.com/',
    );
    expect(jar.size).toBe(20);
    jar.setCookiesFromResponse(['c20=1'], 'https://example.com/');
    expect(jar.size).toBe(18);
    expect(jar.get('c20')).toBe('1');
    expect(jar.get('c0')).toBeUndefined();
    expect(jar.get('c2')).toBeUndefined();
    expect(jar.get('c3')).toBe('1');
  });

  it('defaults to Chromium’s 180 per domain and 3000 in total', () => {
    expect(new CookieJar().limits).toEqual({ maxCookiesPerDomain: 180, maxCookies: 3000 });
    expect(new MemoryStore().limits).toEqual({ maxCookiesPerDomain: 180, maxCookies: 3000 });
  });

  it('rejects limits that are not positive integers', () => {
    expect(() => resolveLimits({ maxCookies: 0 })).toThrow(RangeError);
    expect(() => new CookieJar({ maxCookiesPerDomain: 1.5 })).toThrow(RangeError);
    expect(() => new CookieJar({ maxCookieSize: -1 })).toThrow(RangeError);
  });

  it('refuses jar limits on a store that has its own', () => {
    expect(() => new CookieJar({ store: new MemoryStore(), maxCookies: 5 })).toThrow(/own limits/);
    const jar = new CookieJar({ store: new MemoryStore({ maxCookies: 7 }) });
    expect(jar.limits.maxCookies).toBe(7);
  });

  it('enforces the limits itself on a store that has none', () => {
    const store = new MemoryCookieStore();
    const jar = new CookieJar({ store, maxCookies: 5, maxCookiesPerDomain: 3 });
    jar.setCookiesFromResponse(
      Array.from({ length: 10 }, (_, i) => `c${i}=1`),
      'https://a.com/',
    );
    jar.setCookiesFromResponse(['x=1', 'y=1', 'z=1'], 'https://b.com/');
    const all = store.getAllCookies();
    return all.then((cookies) => {
      expect(cookies).toHaveLength(5);
      expect(cookies.filter((c) => c.domain === 'a.com').map((c) => c.key)).toEqual(['c8', 'c9']);
      expect(cookies.filter((c) => c.domain === 'b.com')).toHaveLength(3);
    });
  });

  it('selectEvictions() picks the excess of each site, then of the whole, oldest first', () => {
    const make = (key: string, domain: string, t: number) =>
      new Cookie({ key, value: '1', domain, path: '/', creation: new Date(t), lastAccessed: new Date(t) });
    const cookies = [
      make('a1', 'a.com', 1),
      make('a2', 'www.a.com', 2),
      make('a3', 'a.com', 3),
      make('b1', 'b.com', 4),
      make('c1', 'c.com', 0),
    ];
    const victims = selectEvictions(cookies, { maxCookiesPerDomain: 2, maxCookies: 3 }, 10);
    expect(victims.map((c) => c.key).sort()).toEqual(['a1', 'c1']);
    expect(siteOf('www.a.com')).toBe('a.com');
    expect(siteOf('shop.example.co.uk')).toBe('example.co.uk');
    expect(siteOf('127.0.0.1')).toBe('127.0.0.1');
  });
});
