import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedSession, type Origin, reply, startOrigin, TestClock } from './helpers.js';

const clock = new TestClock();
let origin: Origin;
beforeAll(async () => {
  origin = await startOrigin(clock);
});
afterAll(async () => {
  await origin.close();
});

describe('what is stored (RFC 9111 §3)', () => {
  it('no-store on the response: never stored', async () => {
    const url = origin.route('res-no-store', reply({ 'Cache-Control': 'no-store, max-age=60' }));
    const { s } = cachedSession(clock);
    await s.get(url);
    expect((await s.get(url)).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('no-cache on the response: stored, but validated on every use', async () => {
    const url = origin.route('res-no-cache', (req, res) => {
      res.setHeader('Cache-Control', 'no-cache, max-age=600');
      res.setHeader('ETag', '"n"');
      if (req.headers['if-none-match'] === '"n"') {
        res.statusCode = 304;
        res.end();
      } else res.end('no-cache body');
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    const second = await s.get(url);
    const third = await s.get(url);
    expect(origin.hits(url)).toBe(3);
    expect(second.text).toBe('no-cache body');
    expect(third.text).toBe('no-cache body');
    await s.close();
  });

  it('private: stored by a private cache, not by a shared one', async () => {
    const url = origin.route('private', reply({ 'Cache-Control': 'private, max-age=60' }));
    const priv = cachedSession(clock);
    await priv.s.get(url);
    expect((await priv.s.get(url)).fromCache).toBe(true);
    expect(origin.hits(url)).toBe(1);
    const shared = cachedSession(clock, { shared: true });
    await shared.s.get(url);
    expect((await shared.s.get(url)).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(3);
    await priv.s.close();
    await shared.s.close();
  });

  it('Authorization in a shared cache: not stored unless public, must-revalidate or s-maxage allow it', async () => {
    const plain = origin.route('auth-plain', reply({ 'Cache-Control': 'max-age=60' }));
    const pub = origin.route('auth-public', reply({ 'Cache-Control': 'public, max-age=60' }));
    const mr = origin.route('auth-mr', reply({ 'Cache-Control': 'max-age=60, must-revalidate' }));
    const smax = origin.route('auth-smaxage', reply({ 'Cache-Control': 's-maxage=60' }));
    const { s } = cachedSession(clock, { shared: true });
    s.auth = ['alice', 'secret'];
    for (const url of [plain, pub, mr, smax]) {
      await s.get(url);
      await s.get(url);
    }
    expect(origin.hits(plain)).toBe(2);
    expect(origin.hits(pub)).toBe(1);
    expect(origin.hits(mr)).toBe(1);
    expect(origin.hits(smax)).toBe(1);
    await s.close();

    // A private cache stores it: it is this user's own cache.
    const priv = cachedSession(clock);
    priv.s.auth = ['alice', 'secret'];
    await priv.s.get(plain);
    expect((await priv.s.get(plain)).fromCache).toBe(true);
    await priv.s.close();
  });

  it('Vary: one variant per value of the named request fields', async () => {
    const url = origin.route('vary', (req, res) => {
      res.setHeader('Cache-Control', 'max-age=60');
      res.setHeader('Vary', 'Accept-Language');
      res.end(`lang=${req.headers['accept-language'] ?? 'none'}`);
    });
    const { s } = cachedSession(clock);
    const en = { headers: { 'Accept-Language': 'en' } };
    const fr = { headers: { 'Accept-Language': 'fr' } };
    expect((await s.get(url, en)).text).toBe('lang=en');
    expect((await s.get(url, fr)).text).toBe('lang=fr');
    expect((await s.get(url)).text).toBe('lang=none');
    expect(origin.hits(url)).toBe(3);
    const enHit = await s.get(url, en);
    const frHit = await s.get(url, fr);
    const noneHit = await s.get(url);
    expect([enHit.text, frHit.text, noneHit.text]).toEqual(['lang=en', 'lang=fr', 'lang=none']);
    expect([enHit.fromCache, frHit.fromCache, noneHit.fromCache]).toEqual([true, true, true]);
    // Whitespace in a list does not make another variant.
    const list = await s.get(url, { headers: { 'Accept-Language': 'de,en' } });
    const spaced = await s.get(url, { headers: { 'Accept-Language': 'de, en' } });
    expect(list.fromCache).toBe(false);
    expect(spaced.fromCache).toBe(true);
    expect(origin.hits(url)).toBe(4);
    await s.close();
  });

  it('Vary: * never matches: not stored', async () => {
    const url = origin.route('vary-star', reply({ 'Cache-Control': 'max-age=60', Vary: '*' }));
    const { s } = cachedSession(clock);
    await s.get(url);
    expect((await s.get(url)).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('Set-Cookie in a private cache: stored; a hit does not store the cookie in the jar again', async () => {
    const url = origin.route(
      'set-cookie',
      reply({ 'Cache-Control': 'max-age=60', 'Set-Cookie': 'token=abc; Path=/' }),
    );
    const { s } = cachedSession(clock);
    await s.get(url);
    expect(s.cookies.get('token')).toBe('abc');
    expect(s.cookies.items()).toHaveLength(1);
    const hit = await s.get(url);
    expect(hit.fromCache).toBe(true);
    expect(s.cookies.items()).toHaveLength(1);
    // The response still shows the cookies it carried.
    expect(hit.cookies.get('token')).toBe('abc');
    s.cookies.clear();
    const afterClear = await s.get(url);
    expect(afterClear.fromCache).toBe(true);
    expect(s.cookies.get('token')).toBeUndefined();
    expect(s.cookies.items()).toHaveLength(0);
    expect(origin.hits(url)).toBe(1);
    await s.close();
  });

  it('Set-Cookie in a shared cache: never stored', async () => {
    const url = origin.route(
      'set-cookie-shared',
      reply({ 'Cache-Control': 'public, max-age=60', 'Set-Cookie': 'id=1' }),
    );
    const { s } = cachedSession(clock, { shared: true });
    await s.get(url);
    expect((await s.get(url)).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('a 304 that sets a cookie: the jar gets the new cookie, not the stored one again', async () => {
    const url = origin.route('cookie-304', (req, res) => {
      res.setHeader('Cache-Control', 'max-age=0');
      res.setHeader('ETag', '"c"');
      if (req.headers['if-none-match'] === '"c"') {
        res.setHeader('Set-Cookie', 'fresh=2; Path=/');
        res.statusCode = 304;
        res.end();
      } else {
        res.setHeader('Set-Cookie', 'first=1; Path=/');
        res.end('x');
      }
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    s.cookies.clear();
    const validated = await s.get(url);
    expect(validated.headers.getSetCookie()).toEqual(['fresh=2; Path=/']);
    expect(s.cookies.getDict()).toEqual({ fresh: '2' });
    await s.close();
  });

  it('a Range request and an unknown status with must-understand are not cached', async () => {
    const url = origin.route('range', reply({ 'Cache-Control': 'max-age=60' }));
    const odd = origin.route(
      'odd',
      reply({ 'Cache-Control': 'max-age=60, must-understand, no-store' }, 'x', 299),
    );
    const { s } = cachedSession(clock);
    await s.get(url, { headers: { Range: 'bytes=0-1' } });
    await s.get(url, { headers: { Range: 'bytes=0-1' } });
    expect(origin.hits(url)).toBe(2);
    await s.get(odd);
    await s.get(odd);
    expect(origin.hits(odd)).toBe(2);
    await s.close();
  });

  it('must-understand on an understood status overrides no-store', async () => {
    const url = origin.route(
      'must-understand',
      reply({ 'Cache-Control': 'max-age=60, must-understand, no-store' }),
    );
    const { s } = cachedSession(clock);
    await s.get(url);
    expect((await s.get(url)).fromCache).toBe(true);
    await s.close();
  });
});
