import { afterEach, describe, expect, it, vi } from 'vitest';
import { CookieJar, type CookieRejection, type MemoryJarOptions } from '../src/index.js';

function jarWithLog(options: MemoryJarOptions = {}) {
  const rejected: CookieRejection[] = [];
  const jar = new CookieJar({ ...options, onRejected: (r) => rejected.push(r) });
  return { jar, rejected };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the SessionCookieJar contract', () => {
  it('stores the httpbin session cookie and reports it in getDict()', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(
      ['sessioncookie=123456789; Path=/'],
      'http://127.0.0.1:8000/cookies/set/sessioncookie/123456789',
    );
    expect(jar.getDict()).toEqual({ sessioncookie: '123456789' });
    expect(jar.getCookieHeader('http://127.0.0.1:8000/cookies')).toBe('sessioncookie=123456789');
  });

  it('answers synchronously with the default store', () => {
    const jar = new CookieJar();
    const stored = jar.setCookiesFromResponse(['a=1'], 'http://example.com/');
    const header = jar.getCookieHeader('http://example.com/');
    expect(stored).toBeUndefined();
    expect(header).toBe('a=1');
    expect(jar.synchronous).toBe(true);
  });

  it("returns '' when no cookie matches", () => {
    expect(new CookieJar().getCookieHeader('https://example.com/')).toBe('');
  });

  it('createEmpty() gives an empty in-memory jar with the same limits and options', () => {
    const jar = new CookieJar({ maxCookies: 10, maxCookiesPerDomain: 5, allowSecureOnLocalhost: true });
    jar.setCookiesFromResponse(['a=1'], 'http://example.com/');
    const empty = jar.createEmpty();
    expect(empty).toBeInstanceOf(CookieJar);
    expect(empty.size).toBe(0);
    expect(empty.limits).toEqual({ maxCookies: 10, maxCookiesPerDomain: 5 });
    empty.setCookiesFromResponse(['s=1; Secure'], 'http://localhost/');
    expect(empty.getDict()).toEqual({ s: '1' });
    expect(jar.getDict()).toEqual({ a: '1' });
  });
});

describe('domain matching and host-only cookies', () => {
  it('sends a Domain=.example.com cookie to subdomains but not to example.org', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['d=1; Domain=.example.com; Path=/'], 'http://www.example.com/');
    expect(jar.getCookieHeader('http://a.example.com/')).toBe('d=1');
    expect(jar.getCookieHeader('http://example.com/')).toBe('d=1');
    expect(jar.getCookieHeader('http://deep.a.example.com/x')).toBe('d=1');
    expect(jar.getCookieHeader('http://example.org/')).toBe('');
    expect(jar.getCookieHeader('http://notexample.com/')).toBe('');
  });

  it('keeps a cookie without Domain host-only', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['h=1; Path=/'], 'http://example.com/');
    expect(jar.getCookieHeader('http://example.com/')).toBe('h=1');
    expect(jar.getCookieHeader('http://www.example.com/')).toBe('');
  });

  it('rejects a Domain the request host is not in', () => {
    const { jar, rejected } = jarWithLog();
    jar.setCookiesFromResponse(['x=1; Domain=other.com'], 'http://example.com/');
    jar.setCookiesFromResponse(['y=1; Domain=www.example.com'], 'http://example.com/');
    expect(jar.size).toBe(0);
    expect(rejected.map((r) => r.setCookie)).toEqual([
      'x=1; Domain=other.com',
      'y=1; Domain=www.example.com',
    ]);
  });

  it('never sends a cookie for 127.0.0.1 to localhost, nor the reverse', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['ip=1; Path=/'], 'http://127.0.0.1:8000/');
    jar.setCookiesFromResponse(['name=1; Path=/'], 'http://localhost:8000/');
    expect(jar.getCookieHeader('http://127.0.0.1:8000/')).toBe('ip=1');
    expect(jar.getCookieHeader('http://localhost:8000/')).toBe('name=1');
    expect(jar.getCookieHeader('http://127.0.0.2:8000/')).toBe('');
  });

  it('does not domain-match IP addresses', () => {
    const { jar, rejected } = jarWithLog();
    jar.setCookiesFromResponse(['a=1; Domain=127.0.0.1'], 'http://127.0.0.1/');
    jar.setCookiesFromResponse(['b=1; Domain=0.0.1'], 'http://127.0.0.1/');
    expect(jar.getCookieHeader('http://127.0.0.1/')).toBe('a=1');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.setCookie).toBe('b=1; Domain=0.0.1');
  });

  it('handles IPv6 hosts', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['v6=1'], 'http://[::1]:8080/');
    expect(jar.getCookieHeader('http://[::1]:8080/')).toBe('v6=1');
    expect(jar.getCookieHeader('http://127.0.0.1:8080/')).toBe('');
    expect(jar.listDomains()).toEqual(['::1']);
  });

  it('stores IDN hosts in punycode, whichever form the URL or Domain uses', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['u=1; Domain=bücher.example'], 'http://www.bücher.example/');
    jar.setCookiesFromResponse(['p=1; Domain=xn--bcher-kva.example'], 'http://xn--bcher-kva.example/');
    expect(jar.listDomains()).toEqual(['xn--bcher-kva.example']);
    expect(jar.getCookieHeader('http://shop.xn--bcher-kva.example/')).toBe('u=1; p=1');
    expect(jar.getCookieHeader('http://shop.bücher.example/')).toBe('u=1; p=1');
    expect(jar.getCookieHeader('http://bucher.example/')).toBe('');
  });
});

describe('public suffixes', () => {
  it.each([
    ['Domain=com', 'http://www.example.com/'],
    ['Domain=.com', 'http://www.example.com/'],
    ['Domain=co.uk', 'http://www.example.co.uk/'],
    ['Domain=github.io', 'http://me.github.io/'],
  ])('rejects %s', (attr, url) => {
    const { jar, rejected } = jarWithLog();
    jar.setCookiesFromResponse([`evil=1; ${attr}`], url);
    expect(jar.size).toBe(0);
    expect(rejected[0]?.reason).toMatch(/public suffix/);
    expect(jar.getCookieHeader('http://victim.com/')).toBe('');
  });

  it('accepts the registrable domain below a public suffix', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['ok=1; Domain=example.co.uk'], 'http://www.example.co.uk/');
    expect(jar.getCookieHeader('http://shop.example.co.uk/')).toBe('ok=1');
    expect(jar.getCookieHeader('http://other.co.uk/')).toBe('');
  });

  it('turns Domain=<public suffix> from that very host into a host-only cookie (RFC 6265 5.3 step 5)', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['self=1; Domain=github.io'], 'https://github.io/');
    expect(jar.getCookieHeader('https://github.io/')).toBe('self=1');
    expect(jar.getCookieHeader('https://me.github.io/')).toBe('');
  });
});

describe('paths', () => {
  it('defaults the path to the directory of the request path and matches by path segments', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['d=1'], 'http://example.com/docs/page.html');
    expect(jar.listPaths()).toEqual(['/docs']);
    expect(jar.getCookieHeader('http://example.com/docs')).toBe('d=1');
    expect(jar.getCookieHeader('http://example.com/docs/a/b')).toBe('d=1');
    expect(jar.getCookieHeader('http://example.com/docsx')).toBe('');
    expect(jar.getCookieHeader('http://example.com/')).toBe('');
  });

  it('sends longer paths first', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(
      ['root=1; Path=/', 'deep=1; Path=/a/b', 'mid=1; Path=/a'],
      'http://example.com/',
    );
    expect(jar.getCookieHeader('http://example.com/a/b/c')).toBe('deep=1; mid=1; root=1');
  });

  it('keeps same-named cookies on different paths apart', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['n=root; Path=/', 'n=api; Path=/api'], 'http://example.com/');
    expect(jar.getCookieHeader('http://example.com/api/x')).toBe('n=api; n=root');
    expect(jar.getCookieHeader('http://example.com/web')).toBe('n=root');
  });
});

describe('Secure', () => {
  it('sends a Secure cookie over https only', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['s=1; Secure; Path=/', 'p=1; Path=/'], 'https://example.com/');
    expect(jar.getCookieHeader('https://example.com/')).toBe('s=1; p=1');
    expect(jar.getCookieHeader('http://example.com/')).toBe('p=1');
  });

  it('does not accept a Secure cookie from http', () => {
    const { jar, rejected } = jarWithLog();
    jar.setCookiesFromResponse(['s=1; Secure'], 'http://example.com/');
    expect(jar.size).toBe(0);
    expect(rejected[0]?.reason).toMatch(/Secure/);
  });

  it('does not treat http://localhost or http://127.0.0.1 as secure by default', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['s=1; Secure'], 'http://localhost/');
    jar.setCookiesFromResponse(['s=1; Secure'], 'https://127.0.0.1/');
    expect(jar.size).toBe(1);
    expect(jar.getCookieHeader('http://127.0.0.1/')).toBe('');
    expect(jar.getCookieHeader('https://127.0.0.1/')).toBe('s=1');
  });

  it('treats loopback as secure with allowSecureOnLocalhost, as browsers do', () => {
    const jar = new CookieJar({ allowSecureOnLocalhost: true });
    jar.setCookiesFromResponse(['s=1; Secure'], 'http://localhost:3000/');
    jar.setCookiesFromResponse(['t=1; Secure'], 'http://127.0.0.1:3000/');
    jar.setCookiesFromResponse(['u=1; Secure'], 'http://example.com/');
    expect(jar.getCookieHeader('http://localhost:3000/')).toBe('s=1');
    expect(jar.getCookieHeader('http://127.0.0.1:3000/')).toBe('t=1');
    expect(jar.getDict()).toEqual({ s: '1', t: '1' });
  });
});

describe('cookie prefixes', () => {
  it('accepts __Host- only when Secure, host-only and Path=/', () => {
    const { jar, rejected } = jarWithLog();
    jar.setCookiesFromResponse(
      [
        '__Host-ok=1; Secure; Path=/',
        '__Host-nopath=1; Secure',
        '__Host-domain=1; Secure; Path=/; Domain=example.com',
        '__Host-insecure=1; Path=/',
        '__Host-subpath=1; Secure; Path=/a',
      ],
      'https://example.com/a/b',
    );
    expect(jar.keys()).toEqual(['__Host-ok']);
    expect(rejected.map((r) => r.setCookie.split('=')[0])).toEqual([
      '__Host-nopath',
      '__Host-domain',
      '__Host-insecure',
      '__Host-subpath',
    ]);
  });

  it('accepts __Secure- only with Secure', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['__Secure-a=1; Secure', '__Secure-b=1'], 'https://example.com/');
    expect(jar.keys()).toEqual(['__Secure-a']);
  });
});

describe('expiry', () => {
  it('drops a cookie whose Expires is in the past, and deletes its stored namesake', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['gone=1; Path=/', 'keep=1; Path=/'], 'http://example.com/');
    jar.setCookiesFromResponse(
      ['gone=x; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT'],
      'http://example.com/',
    );
    expect(jar.getDict()).toEqual({ keep: '1' });
    expect(jar.getCookieHeader('http://example.com/')).toBe('keep=1');
  });

  it('deletes with Max-Age=0 and negative Max-Age', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['a=1', 'b=1', 'c=1'], 'http://example.com/');
    jar.setCookiesFromResponse(['a=; Max-Age=0', 'b=; Max-Age=-5'], 'http://example.com/');
    expect(jar.keys()).toEqual(['c']);
  });

  it('lets Max-Age win over Expires', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(
      ['m=1; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT'],
      'http://example.com/',
    );
    expect(jar.size).toBe(0);
  });

  it('expires a cookie once its time passes, counting Max-Age from receipt even if read often', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['short=1; Max-Age=60', 'long=1; Max-Age=3600'], 'http://example.com/');
    vi.setSystemTime(new Date('2030-01-01T00:00:50Z'));
    expect(jar.getCookieHeader('http://example.com/')).toBe('short=1; long=1');
    vi.setSystemTime(new Date('2030-01-01T00:01:01Z'));
    expect(jar.getCookieHeader('http://example.com/')).toBe('long=1');
    expect(jar.getDict()).toEqual({ long: '1' });
  });

  it('records Max-Age as an absolute expiry', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['m=1; Max-Age=3600'], 'http://example.com/');
    expect(jar.toJSON().cookies[0]?.expires).toBe('2030-01-01T01:00:00.000Z');
  });
});

describe('parsing', () => {
  it('is strict: nameless and control-character cookies are ignored', () => {
    const { jar, rejected } = jarWithLog();
    jar.setCookiesFromResponse(['=nameless', 'novalue', 'ok=1', 'bad=a\u0001b'], 'http://example.com/');
    expect(jar.getDict()).toEqual({ ok: '1' });
    expect(rejected).toHaveLength(3);
  });

  it('ignores cookies over maxCookieSize bytes', () => {
    const { jar, rejected } = jarWithLog({ maxCookieSize: 100 });
    jar.setCookiesFromResponse([`big=${'x'.repeat(98)}`, `fits=${'x'.repeat(96)}`], 'http://example.com/');
    expect(jar.keys()).toEqual(['fits']);
    expect(rejected[0]?.reason).toMatch(/maxCookieSize/);
  });

  it('ignores each bad Set-Cookie on its own and keeps the good ones', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['a=1', 'b=2; Domain=com', 'c=3; Secure', 'd=4'], 'http://example.com/');
    expect(jar.getDict()).toEqual({ a: '1', d: '4' });
  });

  it('sends HttpOnly cookies (a Session is an HTTP API) and ignores SameSite', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['h=1; HttpOnly', 's=1; SameSite=Strict'], 'http://example.com/');
    expect(jar.getCookieHeader('http://example.com/')).toBe('h=1; s=1');
  });

  it('throws on a URL that cannot be parsed', () => {
    expect(() => new CookieJar().setCookiesFromResponse(['a=1'], 'not a url')).toThrow(TypeError);
  });
});
