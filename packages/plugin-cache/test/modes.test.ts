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

/** max-age=10 with an ETag; answers 304 to its own tag; the body counts full answers. */
function validatable(name: string): string {
  let full = 0;
  return origin.route(name, (req, res) => {
    res.setHeader('Cache-Control', 'max-age=10');
    res.setHeader('ETag', '"m"');
    if (req.headers['if-none-match'] === '"m"') {
      res.statusCode = 304;
      res.end();
    } else res.end(`full ${++full}`);
  });
}

const mode = (cache: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached') => ({
  extensions: { cache },
});

describe("extensions.cache: fetch's cache modes", () => {
  it("'default' is RFC 9111", async () => {
    const url = validatable('mode-default');
    const { s } = cachedSession(clock);
    await s.get(url, mode('default'));
    expect((await s.get(url, mode('default'))).fromCache).toBe(true);
    await s.close();
  });

  it("'no-store': the cache is not consulted and not updated; no-cache headers go out", async () => {
    const url = validatable('mode-no-store');
    const { s } = cachedSession(clock);
    const first = await s.get(url, mode('no-store'));
    expect(cacheStatusOf(first)).toBe('bypass');
    expect(origin.lastHeaders(url)?.['cache-control']).toBe('no-cache');
    expect(origin.lastHeaders(url)?.pragma).toBe('no-cache');
    expect((await s.get(url)).text).toBe('full 2');
    expect((await s.get(url, mode('no-store'))).text).toBe('full 3');
    expect((await s.get(url)).text).toBe('full 2');
    await s.close();
  });

  it("'reload': goes to the server without looking, and stores the answer", async () => {
    const url = validatable('mode-reload');
    const { s } = cachedSession(clock);
    await s.get(url);
    const reloaded = await s.get(url, mode('reload'));
    expect(reloaded.text).toBe('full 2');
    expect(origin.lastHeaders(url)?.['if-none-match']).toBeUndefined();
    expect((await s.get(url)).text).toBe('full 2');
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it("'no-cache': a fresh entry is validated first", async () => {
    const url = validatable('mode-no-cache');
    const { s } = cachedSession(clock);
    await s.get(url);
    const res = await s.get(url, mode('no-cache'));
    expect(origin.hits(url)).toBe(2);
    expect(origin.lastHeaders(url)?.['if-none-match']).toBe('"m"');
    expect(origin.lastHeaders(url)?.['cache-control']).toBe('max-age=0');
    expect(res.text).toBe('full 1');
    expect(cacheStatusOf(res)).toBe('revalidated');
    await s.close();
  });

  it("'force-cache': any stored response, however stale; else the server", async () => {
    const url = validatable('mode-force-cache');
    const { s } = cachedSession(clock);
    const miss = await s.get(url, mode('force-cache'));
    expect(miss.fromCache).toBe(false);
    clock.advance(3600);
    const stale = await s.get(url, mode('force-cache'));
    expect(stale.fromCache).toBe(true);
    expect(stale.text).toBe('full 1');
    expect(cacheStatusOf(stale)).toBe('stale');
    expect(origin.hits(url)).toBe(1);
    await s.close();
  });

  it("'only-if-cached': any stored response, however stale; else a 504, and the server is never asked", async () => {
    const url = validatable('mode-only-if-cached');
    const { s } = cachedSession(clock);
    const none = await s.get(url, mode('only-if-cached'));
    expect(none.statusCode).toBe(504);
    expect(origin.hits(url)).toBe(0);
    await s.get(url);
    clock.advance(3600);
    const stale = await s.get(url, mode('only-if-cached'));
    expect(stale.statusCode).toBe(200);
    expect(stale.text).toBe('full 1');
    expect(origin.hits(url)).toBe(1);
    await s.close();
  });

  it('an unknown mode is a TypeError naming the modes', async () => {
    const url = validatable('mode-unknown');
    const { s } = cachedSession(clock);
    await expect(s.get(url, { extensions: { cache: 'sometimes' as never } })).rejects.toThrow(
      /extensions.cache must be one of 'default', 'no-store'/,
    );
    await s.close();
  });
});
