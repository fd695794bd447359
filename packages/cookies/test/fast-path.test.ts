import { describe, expect, it, vi } from 'vitest';
import { CookieJar, MemoryStore } from '../src/index.js';

/** The hot path: reading a jar that holds nothing for the request's host never reaches tough-cookie. */
describe('the empty-for-this-host fast path', () => {
  it('answers "" for a host with no cookies without searching the store, even with 2,000 foreign cookies', () => {
    const jar = new CookieJar();
    for (let i = 0; i < 2000; i++) jar.set(`c${i}`, 'v', { domain: `host${i % 200}.example` });
    const store = jar.store as MemoryStore;
    const find = vi.spyOn(store, 'findCookies');
    expect(jar.getCookieHeader('http://127.0.0.1:8080/get')).toBe('');
    expect(jar.getCookieHeader('https://api.other.test/x?y=1')).toBe('');
    expect(find).not.toHaveBeenCalled();
    // A matching host, and a subdomain of a cookie's domain, still take the full path.
    expect(jar.getCookieHeader('http://host7.example/')).toContain('c7=v');
    expect(jar.getCookieHeader('http://www.host7.example/')).toContain('c7=v');
    expect(find).toHaveBeenCalled();
  });

  it('still answers correctly for unusual URLs (IPv6, upper case, IDN), through the full path', () => {
    const jar = new CookieJar();
    jar.setCookiesFromResponse(['a=1'], 'http://[::1]:8080/');
    expect(jar.getCookieHeader('http://[::1]:8080/')).toBe('a=1');
    jar.setCookiesFromResponse(['b=2'], 'http://example.test/');
    expect(jar.getCookieHeader('http://EXAMPLE.test/')).toBe('b=2');
  });

  it('mayHaveCookiesFor looks at the host and its parent domains only', () => {
    const store = new MemoryStore();
    const jar = new CookieJar({ store });
    expect(store.mayHaveCookiesFor('a.example.com')).toBe(false);
    jar.set('x', '1', { domain: 'example.com' });
    expect(store.mayHaveCookiesFor('a.example.com')).toBe(true);
    expect(store.mayHaveCookiesFor('example.com')).toBe(true);
    expect(store.mayHaveCookiesFor('example.org')).toBe(false);
    expect(store.mayHaveCookiesFor('notexample.com')).toBe(false);
  });
});
