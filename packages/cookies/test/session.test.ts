import { Session } from '@sess/core';
import { MockAdapter } from '@sess/testkit';
import { describe, expect, it } from 'vitest';
import { CookieJar, type Store } from '../src/index.js';
import { DeferredStore } from './support/deferred-store.js';

/** A site: /login sets cookies (some hostile), /hop redirects to ?to=, everything else echoes the Cookie header. */
function site() {
  return new MockAdapter((req) => {
    const url = new URL(req.url);
    if (url.pathname === '/login') {
      return {
        headers: {
          'Set-Cookie': [
            'sessioncookie=123456789; Path=/',
            'wide=1; Domain=example.test; Path=/',
            'evil=1; Domain=test; Path=/',
            'sec=1; Secure; Path=/',
          ],
        },
      };
    }
    if (url.pathname === '/hop') {
      return { status: 302, headers: { Location: url.searchParams.get('to') ?? '/' } };
    }
    return { json: { cookie: req.headers.get('cookie') ?? null } };
  });
}

function session(jar: CookieJar<Store> = new CookieJar()) {
  const s = new Session({ cookies: jar });
  const mock = site();
  s.mount('http://', mock);
  s.mount('https://', mock);
  return { s, mock };
}

describe('CookieJar as a Session’s jar', () => {
  it('remembers what the server set and sends it back where RFC 6265 allows', async () => {
    const jar = new CookieJar();
    const { s } = session(jar);
    const login = await s.get('http://www.example.test/login');
    expect(jar.getDict()).toEqual({ sessioncookie: '123456789', wide: '1' });
    expect(login.cookies.getDict()).toEqual({ sessioncookie: '123456789', wide: '1' });
    expect((await s.get('http://www.example.test/x')).json()).toEqual({
      cookie: 'sessioncookie=123456789; wide=1',
    });
    expect((await s.get('http://api.example.test/x')).json()).toEqual({ cookie: 'wide=1' });
    expect((await s.get('http://other.test/x')).json()).toEqual({ cookie: null });
  });

  it('does not carry cookies across a redirect to another host', async () => {
    const { s, mock } = session();
    await s.get('http://www.example.test/login');
    const r = await s.get('http://www.example.test/hop?to=http://evil.test/steal');
    expect(r.json()).toEqual({ cookie: null });
    expect(mock.calls.at(-2)?.request.headers.get('cookie')).toBe('sessioncookie=123456789; wide=1');
  });

  it('works the same on an asynchronous store: the Session awaits it', async () => {
    const store = new DeferredStore();
    const jar = new CookieJar({ store });
    const { s } = session(jar);
    await s.get('http://www.example.test/login');
    expect(await jar.getDictAsync()).toEqual({ sessioncookie: '123456789', wide: '1' });
    expect((await s.get('http://www.example.test/x')).json()).toEqual({
      cookie: 'sessioncookie=123456789; wide=1',
    });
  });
});
