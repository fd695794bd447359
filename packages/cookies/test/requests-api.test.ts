import { CookieConflictError } from '@sess/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cookie, CookieJar, cookiejarFromDict, mergeCookies } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

/** example.com: a=1 (/), b=2 (/api); other.org: a=3 (/). */
function sample(): CookieJar {
  const jar = new CookieJar();
  jar.setCookiesFromResponse(['a=1; Path=/', 'b=2; Path=/api'], 'http://example.com/');
  jar.setCookiesFromResponse(['a=3; Path=/'], 'http://other.org/');
  return jar;
}

describe('get', () => {
  it('returns the value, or undefined', () => {
    const jar = sample();
    expect(jar.get('b')).toBe('2');
    expect(jar.get('missing')).toBeUndefined();
  });

  it('throws CookieConflictError when several cookies match, as requests does', () => {
    const jar = sample();
    expect(() => jar.get('a')).toThrow(CookieConflictError);
    expect(() => jar.get('a')).toThrow(/multiple cookies with name "a"/);
    try {
      jar.get('a');
    } catch (e) {
      expect((e as CookieConflictError).code).toBe('ERR_SESS_COOKIE_CONFLICT');
    }
  });

  it('narrows by domain and path', () => {
    const jar = sample();
    expect(jar.get('a', { domain: 'example.com' })).toBe('1');
    expect(jar.get('a', { domain: '.OTHER.org' })).toBe('3');
    expect(jar.get('a', { path: '/api' })).toBeUndefined();
    jar.setCookiesFromResponse(['a=4; Path=/x'], 'http://example.com/');
    expect(() => jar.get('a', { domain: 'example.com' })).toThrow(CookieConflictError);
    expect(jar.get('a', { domain: 'example.com', path: '/x' })).toBe('4');
  });
});

describe('set', () => {
  it('requires a domain, and says why', () => {
    const jar = new CookieJar();
    // @ts-expect-error domain is required
    expect(() => jar.set('token', 'x')).toThrow(/needs options.domain/);
    // @ts-expect-error domain is required
    expect(() => jar.set('token', 'x', { path: '/' })).toThrow(TypeError);
    expect(() => jar.set('token', 'x', { domain: '' })).toThrow(TypeError);
    expect(jar.size).toBe(0);
  });

  it('stores a cookie for the domain and its subdomains, as Domain=<domain> would', () => {
    const jar = new CookieJar();
    jar.set('token', 'x', { domain: 'example.com' });
    expect(jar.getCookieHeader('https://example.com/')).toBe('token=x');
    expect(jar.getCookieHeader('https://api.example.com/v1')).toBe('token=x');
    expect(jar.getCookieHeader('https://example.org/')).toBe('');
  });

  it('stores a host-only cookie with hostOnly: true, for an IP, or for a public suffix', () => {
    const jar = new CookieJar();
    jar.set('h', '1', { domain: 'example.com', hostOnly: true });
    jar.set('ip', '1', { domain: '10.0.0.1' });
    jar.set('ps', '1', { domain: 'github.io' });
    expect(jar.getCookieHeader('http://example.com/')).toBe('h=1');
    expect(jar.getCookieHeader('http://www.example.com/')).toBe('');
    expect(jar.getCookieHeader('http://10.0.0.1/')).toBe('ip=1');
    expect(jar.getCookieHeader('http://github.io/')).toBe('ps=1');
    expect(jar.getCookieHeader('http://victim.github.io/')).toBe('');
  });

  it('applies path, secure, expires and httpOnly', () => {
    const jar = new CookieJar();
    const expires = new Date('2099-01-01T00:00:00Z');
    jar.set('s', 'v', {
      domain: 'example.com',
      path: '/app',
      secure: true,
      expires,
      httpOnly: true,
      sameSite: 'lax',
    });
    expect(jar.getCookieHeader('http://example.com/app')).toBe('');
    expect(jar.getCookieHeader('https://example.com/')).toBe('');
    expect(jar.getCookieHeader('https://example.com/app/x')).toBe('s=v');
    expect(jar.toJSON().cookies[0]).toMatchObject({
      key: 's',
      path: '/app',
      secure: true,
      httpOnly: true,
      sameSite: 'lax',
      expires: '2099-01-01T00:00:00.000Z',
      hostOnly: false,
    });
  });

  it('replaces a namesake on the same domain and path', () => {
    const jar = new CookieJar();
    jar.set('a', '1', { domain: 'example.com' });
    jar.set('a', 2, { domain: '.example.com' });
    expect(jar.items()).toEqual([['a', '2']]);
  });

  it('deletes with a null value, like requests', () => {
    const jar = sample();
    jar.set('a', null, { domain: 'example.com' });
    expect(jar.getDict({ domain: 'example.com' })).toEqual({ b: '2' });
    jar.set('a', null);
    expect(jar.keys()).toEqual(['b']);
  });

  it('deletes with a past expiry', () => {
    const jar = new CookieJar();
    jar.set('a', '1', { domain: 'example.com' });
    jar.set('a', '1', { domain: 'example.com', expires: 0 });
    expect(jar.size).toBe(0);
  });

  it('rejects bad names, values, paths and prefix violations', () => {
    const jar = new CookieJar();
    expect(() => jar.set('a;b', '1', { domain: 'example.com' })).toThrow(TypeError);
    expect(() => jar.set('', '1', { domain: 'example.com' })).toThrow(TypeError);
    expect(() => jar.set('a', 'x;y', { domain: 'example.com' })).toThrow(TypeError);
    expect(() => jar.set('a', 'x\r\nSet-Cookie: z=1', { domain: 'example.com' })).toThrow(TypeError);
    expect(() => jar.set('a', '1', { domain: 'example.com', path: 'relative' })).toThrow(TypeError);
    expect(() => jar.set('__Secure-a', '1', { domain: 'example.com' })).toThrow(/__Secure/);
    expect(() => jar.set('__Host-a', '1', { domain: 'example.com', secure: true })).toThrow(/__Host/);
    expect(() => jar.set('a', 'x'.repeat(5000), { domain: 'example.com' })).toThrow(/maxCookieSize/);
    jar.set('__Host-a', '1', { domain: 'example.com', secure: true, hostOnly: true });
    expect(jar.keys()).toEqual(['__Host-a']);
  });
});

describe('reading', () => {
  it('getDict() returns every cookie, or those on a domain / path', () => {
    const jar = sample();
    expect(jar.getDict()).toEqual({ a: '3', b: '2' });
    expect(jar.getDict({ domain: 'example.com' })).toEqual({ a: '1', b: '2' });
    expect(jar.getDict({ path: '/api' })).toEqual({ b: '2' });
    expect(jar.getDict({ domain: 'other.org', path: '/' })).toEqual({ a: '3' });
  });

  it('getDict() is safe for a cookie called __proto__', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['__proto__=x'], 'http://example.com/');
    const dict = jar.getDict();
    expect(Object.getPrototypeOf(dict)).toBe(Object.prototype);
    expect(Object.keys(dict)).toEqual(['__proto__']);
  });

  it('keys(), values() and items() list every cookie in creation order', () => {
    const jar = sample();
    expect(jar.keys()).toEqual(['a', 'b', 'a']);
    expect(jar.values()).toEqual(['1', '2', '3']);
    expect(jar.items()).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ]);
  });

  it('listDomains(), listPaths() and multipleDomains()', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['a=1; Path=/', 'b=1; Path=/'], 'http://example.com/');
    expect(jar.listDomains()).toEqual(['example.com']);
    expect(jar.multipleDomains()).toBe(false);
    jar.setCookiesFromResponse(['c=1; Path=/x'], 'http://other.org/');
    expect(jar.listDomains()).toEqual(['example.com', 'other.org']);
    expect(jar.listPaths()).toEqual(['/', '/x']);
    expect(jar.multipleDomains()).toBe(true);
  });

  it('iterates over copies of the cookies, and counts them', () => {
    const jar = sample();
    const cookies = [...jar];
    expect(cookies.map((c) => `${c.key}@${c.domain}`)).toEqual([
      'a@example.com',
      'b@example.com',
      'a@other.org',
    ]);
    expect(cookies[0]).toBeInstanceOf(Cookie);
    const first = cookies[0] as Cookie;
    first.value = 'changed';
    expect(jar.get('a', { domain: 'example.com' })).toBe('1');
    expect(jar.size).toBe(3);
    expect(jar.toArray()).toHaveLength(3);
  });
});

describe('removing', () => {
  it('delete() removes every cookie of a name, narrowed by domain / path', () => {
    const jar = sample();
    expect(jar.delete('a', { domain: 'other.org' })).toBe(true);
    expect(jar.keys()).toEqual(['a', 'b']);
    expect(jar.delete('a')).toBe(true);
    expect(jar.delete('a')).toBe(false);
    expect(jar.keys()).toEqual(['b']);
  });

  it('clear() removes all, a domain, a domain and path, or one cookie', () => {
    const jar = sample();
    jar.setCookiesFromResponse(['c=1; Path=/api'], 'http://example.com/');
    jar.clear('example.com', '/api', 'c');
    expect(jar.keys()).toEqual(['a', 'b', 'a']);
    jar.clear('example.com', '/api');
    expect(jar.keys()).toEqual(['a', 'a']);
    jar.clear('.Example.COM');
    expect(jar.getDict()).toEqual({ a: '3' });
    jar.clear();
    expect(jar.size).toBe(0);
  });

  it('clear() needs a domain for a path and both for a name, as http.cookiejar', () => {
    const jar = sample();
    expect(() => jar.clear(undefined, '/')).toThrow(/domain must be given/);
    expect(() => jar.clear('example.com', undefined, 'a')).toThrow(/domain and path/);
    expect(jar.size).toBe(3);
  });

  it('clearExpiredCookies() removes the cookies whose time has passed', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const jar = new CookieJar();
    jar.setCookiesFromResponse(
      ['short=1; Max-Age=10', 'long=1; Max-Age=1000', 'session=1'],
      'http://example.com/',
    );
    vi.setSystemTime(new Date('2030-01-01T00:01:00Z'));
    expect(jar.store.size).toBe(3);
    jar.clearExpiredCookies();
    expect(jar.store.size).toBe(2);
    expect(jar.keys()).toEqual(['long', 'session']);
  });

  it('clearSessionCookies() removes the cookies without an expiry', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['session=1', 'persistent=1; Max-Age=1000'], 'http://example.com/');
    jar.clearSessionCookies();
    expect(jar.keys()).toEqual(['persistent']);
  });
});

describe('update and copy', () => {
  it('update() copies another jar in, replacing namesakes', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['a=old; Path=/', 'keep=1'], 'http://example.com/');
    jar.update(sample());
    expect(jar.getDict({ domain: 'example.com' })).toEqual({ a: '1', keep: '1', b: '2' });
    expect(jar.get('a', { domain: 'other.org' })).toBe('3');
  });

  it('update() checks what it is given', () => {
    const jar = new CookieJar();
    const evil = new Cookie({ key: 'evil', value: '1', domain: 'com', path: '/' });
    evil.hostOnly = false;
    const fine = new Cookie({ key: 'fine', value: '1', domain: 'example.com', path: '/' });
    expect(() => jar.update([fine, evil])).toThrow(/public suffix/);
    expect(jar.size).toBe(0);
    jar.update([fine]);
    expect(jar.getCookieHeader('http://example.com/')).toBe('fine=1');
    expect(jar.getCookieHeader('http://www.example.com/')).toBe('');
  });

  it('copy() is independent of the original', () => {
    const jar = sample();
    const copy = jar.copy();
    copy.set('new', '1', { domain: 'example.com' });
    jar.delete('b');
    expect(copy.keys()).toEqual(['a', 'b', 'a', 'new']);
    expect(jar.keys()).toEqual(['a', 'a']);
    expect(copy.getCookieHeader('http://example.com/api')).toBe('b=2; a=1; new=1');
  });
});

describe('cookiejarFromDict and mergeCookies', () => {
  it('cookiejarFromDict() needs a domain', () => {
    // @ts-expect-error domain is required
    expect(() => cookiejarFromDict({ a: '1' }, {})).toThrow(/needs \{ domain \}/);
  });

  it('cookiejarFromDict() puts every cookie on the domain and path', () => {
    const jar = cookiejarFromDict({ a: '1', n: 2 }, { domain: 'example.com', path: '/app', maxCookies: 50 });
    expect(jar.getDict()).toEqual({ a: '1', n: '2' });
    expect(jar.getCookieHeader('http://www.example.com/app')).toBe('a=1; n=2');
    expect(jar.getCookieHeader('http://example.com/')).toBe('');
    expect(jar.limits.maxCookies).toBe(50);
  });

  it('mergeCookies() from a dict does not overwrite names the jar holds, as requests', () => {
    const jar = sample();
    const out = mergeCookies(jar, { a: 'x', c: '9' }, { domain: 'example.com' });
    expect(out).toBe(jar);
    expect(jar.get('a', { domain: 'example.com' })).toBe('1');
    expect(jar.get('c')).toBe('9');
    expect(() => mergeCookies(jar, { d: '1' })).toThrow(TypeError);
  });

  it('mergeCookies() from a jar copies every cookie', () => {
    const jar = new CookieJar();
    mergeCookies(jar, sample());
    expect(jar.size).toBe(3);
  });
});
