import { CookieJar as ToughCookieJar } from 'tough-cookie';
import { describe, expect, it } from 'vitest';
import { CookieJar, cookieFromJSON, cookieToJSON } from '../src/index.js';

function sample(): CookieJar {
  const jar = new CookieJar();
  jar.setCookiesFromResponse(
    ['host=1; Path=/; HttpOnly; SameSite=Lax', 'dom=2; Domain=example.com; Path=/app; Max-Age=3600'],
    'http://www.example.com/',
  );
  jar.setCookiesFromResponse(
    ['sec=3; Secure; Expires=Fri, 01 Jan 2100 00:00:00 GMT'],
    'https://example.org/a/b',
  );
  return jar;
}

describe('toJSON / fromJSON', () => {
  it('round-trips every attribute that matters', () => {
    const jar = sample();
    const text = JSON.stringify(jar);
    const back = CookieJar.fromJSON(text);
    expect(back.toJSON()).toEqual(jar.toJSON());
    expect(back.getCookieHeader('http://www.example.com/app/x')).toBe('dom=2; host=1');
    expect(back.getCookieHeader('http://api.example.com/app')).toBe('dom=2');
    expect(back.getCookieHeader('http://example.org/a/')).toBe('');
    expect(back.getCookieHeader('https://example.org/a/')).toBe('sec=3');
  });

  it('writes a documented, plain shape', () => {
    const json = sample().toJSON();
    expect(json.version).toBe(1);
    expect(json.cookies[0]).toMatchObject({
      key: 'host',
      value: '1',
      domain: 'www.example.com',
      path: '/',
      hostOnly: true,
      httpOnly: true,
      sameSite: 'lax',
    });
    expect(json.cookies[0]?.expires).toBeUndefined();
    expect(json.cookies[1]).toMatchObject({ key: 'dom', domain: 'example.com', hostOnly: false });
    expect(json.cookies[2]).toMatchObject({ key: 'sec', secure: true, expires: '2100-01-01T00:00:00.000Z' });
  });

  it('applies the jar’s rules to what it loads', () => {
    const jar = new CookieJar();
    const result = jar.loadJSON({
      cookies: [
        { key: 'ok', value: '1', domain: 'example.com', path: '/', hostOnly: false },
        { key: 'evil', value: '1', domain: 'com', path: '/', hostOnly: false },
        { key: 'bad', value: 'a;b', domain: 'example.com', path: '/' },
        { key: '__Host-x', value: '1', domain: 'example.com', path: '/', hostOnly: true },
        { key: 'nopath', value: '1', domain: 'example.com', path: 'x' },
        { key: 'old', value: '1', domain: 'example.com', path: '/', expires: '2000-01-01T00:00:00Z' },
        { nonsense: true },
      ],
    });
    expect(jar.getDict()).toEqual({ ok: '1' });
    expect(result.loaded).toBe(1);
    expect(result.skipped.map((s) => s.cookie)).toEqual([
      'evil (com/)',
      'bad (example.com/)',
      '__Host-x (example.com/)',
      'nopath (example.comx)',
      '#6',
    ]);
    expect(result.skipped[0]?.reason).toMatch(/public suffix/);
  });

  it('treats a cookie without hostOnly as host-only, the narrower choice', () => {
    const jar = CookieJar.fromJSON({ cookies: [{ key: 'a', value: '1', domain: 'example.com', path: '/' }] });
    expect(jar.getCookieHeader('http://example.com/')).toBe('a=1');
    expect(jar.getCookieHeader('http://www.example.com/')).toBe('');
  });

  it('reads tough-cookie’s own serialization, Max-Age included', () => {
    const tough = new ToughCookieJar();
    tough.setCookieSync('t=1; Max-Age=3600; Domain=example.com', 'http://www.example.com/');
    tough.setCookieSync('h=2', 'http://www.example.com/');
    const jar = CookieJar.fromJSON(tough.serializeSync() ?? { cookies: [] });
    expect(jar.getCookieHeader('http://api.example.com/')).toBe('t=1');
    expect(jar.getCookieHeader('http://www.example.com/')).toBe('t=1; h=2');
    const t = jar.toJSON().cookies.find((c) => c.key === 't');
    expect(Date.parse(t?.expires ?? '') - Date.now()).toBeGreaterThan(3_500_000);
  });

  it('rejects input that is not a jar', () => {
    expect(() => CookieJar.fromJSON('{"nope":1}')).toThrow(/cookies/);
    expect(() => CookieJar.fromJSON('not json')).toThrow(SyntaxError);
  });

  it('cookieToJSON / cookieFromJSON are inverse', () => {
    const [cookie] = sample().toArray();
    expect(cookie).toBeDefined();
    if (!cookie) return;
    const again = cookieFromJSON(cookieToJSON(cookie));
    expect(again && cookieToJSON(again)).toEqual(cookieToJSON(cookie));
    expect(cookieFromJSON({ key: 'a' })).toBeUndefined();
    expect(
      cookieFromJSON({ key: 'a', value: 'b', domain: 'x.com', path: '/', expires: 'garbage' }),
    ).toBeUndefined();
  });
});
