import { describe, expect, it } from 'vitest';
import { MockAdapter } from '../../testkit/src/mock-adapter.js';
import type { SessionCookieJar } from '../src/cookie-jar.js';
import { AbortError, RequestError, TimeoutError } from '../src/errors.js';
import { Session } from '../src/session.js';

/** A jar on an async store that never answers, or fails, as a Redis outage would look. */
class StuckJar implements SessionCookieJar {
  constructor(private readonly mode: 'hang' | 'fail' | 'hang-on-store') {}
  setCookiesFromResponse(): Promise<void> {
    return this.mode === 'fail' ? Promise.reject(new Error('store down')) : new Promise(() => {});
  }
  getCookieHeader(): string | Promise<string> {
    if (this.mode === 'hang-on-store') return '';
    return this.mode === 'fail' ? Promise.reject(new Error('store down')) : new Promise(() => {});
  }
  createEmpty(): SessionCookieJar {
    return this;
  }
  getDict(): Record<string, string> {
    return {};
  }
}

function session(jar: SessionCookieJar) {
  const s = new Session({ cookies: jar });
  s.trustEnv = false;
  const mock = new MockAdapter(() => ({ headers: { 'Set-Cookie': 'a=1' }, json: {} }));
  s.mount('http://', mock);
  return { s, mock };
}

describe('waits on an async cookie store are bounded by the request', () => {
  it('a hung store: the signal aborts the request with AbortError', async () => {
    const { s, mock } = session(new StuckJar('hang'));
    const c = new AbortController();
    const p = s.get('http://a.test/', { signal: c.signal });
    c.abort(new Error('user gave up'));
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(mock.calls).toHaveLength(0);
  });

  it('a hung store: timeout.total ends the request with TimeoutError', async () => {
    const { s } = session(new StuckJar('hang'));
    const t0 = performance.now();
    const err = await s.get('http://a.test/', { timeout: { total: 50 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a store that hangs on storing Set-Cookie is bounded too', async () => {
    const { s, mock } = session(new StuckJar('hang-on-store'));
    const err = await s.get('http://a.test/', { timeout: { total: 50 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(mock.calls).toHaveLength(1);
  });

  it('a failing store gives a RequestError naming the request, with the store error as cause', async () => {
    const { s } = session(new StuckJar('fail'));
    const err = (await s.get('http://a.test/').catch((e: unknown) => e)) as RequestError;
    expect(err).toBeInstanceOf(RequestError);
    expect(err.message).toContain('Cookie store failed: store down');
    expect((err.cause as Error).message).toBe('store down');
    expect(err.request).toBeDefined();
  });
});
