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

describe('validation (RFC 9111 §4.3)', () => {
  it('ETag: a stale entry is validated with If-None-Match; the 304 updates the stored headers', async () => {
    const url = origin.route('etag', (req, res, hit) => {
      res.setHeader('ETag', '"v1"');
      res.setHeader('Cache-Control', 'max-age=10');
      res.setHeader('X-Version', String(hit));
      if (req.headers['if-none-match'] === '"v1"') {
        res.statusCode = 304;
        res.setHeader('Cache-Control', 'max-age=100');
        res.end();
      } else {
        res.setHeader('Content-Type', 'text/plain');
        res.end('etag body');
      }
    });
    const { s } = cachedSession(clock);
    const first = await s.get(url);
    expect(first.headers.get('x-version')).toBe('1');
    clock.advance(20);
    const second = await s.get(url);
    expect(origin.hits(url)).toBe(2);
    expect(origin.lastHeaders(url)?.['if-none-match']).toBe('"v1"');
    expect(second.statusCode).toBe(200);
    expect(second.text).toBe('etag body');
    expect(second.fromCache).toBe(false);
    expect(cacheStatusOf(second)).toBe('revalidated');
    // Replaced by the 304's fields; the ones it did not send are kept.
    expect(second.headers.get('x-version')).toBe('2');
    expect(second.headers.get('cache-control')).toBe('max-age=100');
    expect(second.headers.get('content-type')).toBe('text/plain');
    expect(second.headers.get('content-length')).toBe('9');
    // The new lifetime (100 s) counts from the validation.
    clock.advance(90);
    const third = await s.get(url);
    expect(third.fromCache).toBe(true);
    expect(third.headers.get('x-version')).toBe('2');
    expect(third.text).toBe('etag body');
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('Last-Modified: validated with If-Modified-Since', async () => {
    let lastModified = '';
    const url = origin.route('last-modified', (req, res, hit) => {
      if (hit === 1) lastModified = clock.httpDate(-3600);
      res.setHeader('Last-Modified', lastModified);
      res.setHeader('Cache-Control', 'max-age=10');
      if (req.headers['if-modified-since'] === lastModified) {
        res.statusCode = 304;
        res.end();
      } else res.end('lm body');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(20);
    const again = await s.get(url);
    expect(origin.lastHeaders(url)?.['if-modified-since']).toBe(lastModified);
    expect(again.statusCode).toBe(200);
    expect(again.text).toBe('lm body');
    expect(cacheStatusOf(again)).toBe('revalidated');
    await s.close();
  });

  it('a changed resource answers the validation with 200: the new response replaces the entry', async () => {
    const url = origin.route('changed', (req, res, hit) => {
      const tag = hit < 2 ? '"one"' : '"two"';
      res.setHeader('ETag', tag);
      res.setHeader('Cache-Control', 'max-age=10');
      if (req.headers['if-none-match'] === tag) {
        res.statusCode = 304;
        res.end();
      } else res.end(tag);
    });
    const { s } = cachedSession(clock);
    expect((await s.get(url)).text).toBe('"one"');
    clock.advance(20);
    const changed = await s.get(url);
    expect(changed.text).toBe('"two"');
    expect(cacheStatusOf(changed)).toBe('miss');
    expect((await s.get(url)).fromCache).toBe(true);
    expect((await s.get(url)).text).toBe('"two"');
    await s.close();
  });

  it("a 304 to the caller's own conditional request passes through", async () => {
    const url = origin.route('user-conditional', (req, res) => {
      res.setHeader('ETag', '"u"');
      res.setHeader('Cache-Control', 'max-age=60');
      if (req.headers['if-none-match'] === '"u"') {
        res.statusCode = 304;
        res.end();
      } else res.end('full');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    const mine = await s.get(url, { headers: { 'If-None-Match': '"u"' } });
    expect(mine.statusCode).toBe(304);
    expect(mine.content.byteLength).toBe(0);
    expect(cacheStatusOf(mine)).toBe('bypass');
    // Not an extra header added by the cache for a plain conditional request.
    expect(origin.lastHeaders(url)?.['cache-control']).toBeUndefined();
    expect((await s.get(url)).text).toBe('full');
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('a 304 naming another ETag cannot refresh the entry: the request is made again unconditionally', async () => {
    const url = origin.route('other-etag', (_req, res, hit) => {
      res.setHeader('Cache-Control', 'max-age=10');
      if (hit === 2) {
        res.statusCode = 304;
        res.setHeader('ETag', '"other"');
        res.end();
        return;
      }
      res.setHeader('ETag', '"mine"');
      res.end(`body ${hit}`);
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(20);
    const res = await s.get(url);
    expect(res.statusCode).toBe(200);
    expect(res.text).toBe('body 3');
    expect(origin.lastHeaders(url)?.['if-none-match']).toBeUndefined();
    await s.close();
  });
});
