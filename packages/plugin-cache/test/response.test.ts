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

describe('a cached answer', () => {
  it('is a real core Response: fromCache, Age, url, the current request, elapsed, empty history, cookies', async () => {
    const url = origin.route(
      'shape',
      reply({ 'Cache-Control': 'max-age=60', 'Set-Cookie': 'a=1; Path=/' }, '{"n":1}'),
    );
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(7);
    const hit = await s.get(`${url}#fragment`, { headers: { 'X-Request': 'second' } });
    expect(hit).toBeInstanceOf(Response);
    expect(hit.fromCache).toBe(true);
    expect(hit.statusCode).toBe(200);
    expect(hit.reason).toBe('OK');
    expect(hit.ok).toBe(true);
    expect(hit.headers.get('age')).toBe('7');
    expect(hit.url).toBe(`${url}#fragment`);
    expect(hit.request.headers.get('x-request')).toBe('second');
    expect(hit.elapsed).toBeGreaterThanOrEqual(0);
    expect(hit.elapsed).toBeLessThan(50);
    expect(hit.history).toEqual([]);
    expect(hit.isRead).toBe(true);
    expect(hit.json()).toEqual({ n: 1 });
    expect(hit.cookies.get('a')).toBe('1');
    expect(hit.httpVersion).toBe('1.1');
    expect(cacheStatusOf(hit)).toBe('hit');
    await s.close();
  });

  it('a HEAD is answered from the stored GET, without a body', async () => {
    const url = origin.route('head-from-get', reply({ 'Cache-Control': 'max-age=60' }, 'the body'));
    const { s } = cachedSession(clock);
    await s.get(url);
    const head = await s.head(url);
    expect(head.fromCache).toBe(true);
    expect(head.content.byteLength).toBe(0);
    expect(head.headers.get('content-length')).toBe('8');
    expect(origin.hits(url)).toBe(1);
    await s.close();
  });

  it('a HEAD that finds nothing fresh goes to the server; its 200 refreshes or removes the stored GET', async () => {
    let version = 'a';
    const url = origin.route('head-refresh', (_req, res) => {
      res.setHeader('Cache-Control', 'max-age=10');
      res.setHeader('ETag', `"${version}"`);
      res.end(`body ${version}`);
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    clock.advance(20);
    const head = await s.head(url);
    expect(head.fromCache).toBe(false);
    // Same ETag: the HEAD refreshed the stored GET's freshness.
    expect((await s.get(url)).fromCache).toBe(true);
    clock.advance(20);
    version = 'b';
    await s.head(url);
    // Another ETag: the stored GET is outdated and gone.
    const get = await s.get(url);
    expect(get.fromCache).toBe(false);
    expect(get.text).toBe('body b');
    await s.close();
  });

  it('HEAD responses themselves are not stored', async () => {
    const url = origin.route('head-only', reply({ 'Cache-Control': 'max-age=60' }));
    const { s } = cachedSession(clock);
    await s.head(url);
    await s.head(url);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('a 204 is stored', async () => {
    const url = origin.route('no-content', reply({ 'Cache-Control': 'max-age=60' }, '', 204));
    const { s } = cachedSession(clock);
    await s.get(url, { stream: true });
    const hit = await s.get(url);
    expect(hit.statusCode).toBe(204);
    expect(hit.fromCache).toBe(true);
    await s.close();
  });
});
