import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Auth } from '../src/auth/auth.js';
import { AbortError, RequestError, TimeoutError } from '../src/errors.js';
import type { PreparedRequest } from '../src/prepared-request.js';
import { Request } from '../src/request.js';
import { failure } from './support/failure.js';
import { HostJar, mockSession } from './support/session.js';

/**
 * One clock: `timeout.total` runs from the `request()` call to the last byte
 * of the body, across everything the session does on the way. Each case
 * below failed before the v2 contract (the budget restarted, or only the
 * adapter enforced it per hop).
 */

/** A handler that answers after `ms`, like a slow transport; the mock honours the signal. */
const slow = (ms: number) => async () => {
  await sleep(ms);
  return { json: {} };
};

describe('timeout.total', () => {
  it('covers a slow adapter: TimeoutError at the budget, not the adapter’s 300 ms', async () => {
    const { s } = mockSession(slow(300));
    const { error, ms } = await failure(() => s.get('http://a.test/', { timeout: { total: 100 } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain('total timeout of 100 ms');
    expect((error as TimeoutError).request).toBeDefined();
    expect(ms).toBeGreaterThanOrEqual(95);
    expect(ms).toBeLessThan(250);
  });

  it('covers preparing: a slow async auth spends the budget, it does not get it for free', async () => {
    const { s, mock } = mockSession(slow(60));
    const slowAuth: Auth = {
      async apply(r: PreparedRequest) {
        await sleep(80);
        return r;
      },
    };
    const { error, ms } = await failure(() =>
      s.get('http://a.test/', { auth: slowAuth, timeout: { total: 100 } }),
    );
    // 80 ms of auth + 60 ms of transport: over 100 together, though each alone is under it.
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(200);
    expect(mock.calls.length).toBeLessThanOrEqual(1);
  });

  it('covers a slow auth that never ends', async () => {
    const { s } = mockSession(() => ({}));
    const stuck: Auth = { apply: () => new Promise<PreparedRequest>(() => {}) };
    const { error, ms } = await failure(() =>
      s.get('http://a.test/', { auth: stuck, timeout: { total: 80 } }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(200);
  });

  it('covers every hop together: redirects share one budget', async () => {
    let n = 0;
    const { s } = mockSession(async (req) => {
      await sleep(40);
      n++;
      return req.url.endsWith('/end') ? { json: {} } : { status: 302, headers: { Location: `/hop${n}` } };
    });
    const { error, ms } = await failure(() => s.get('http://a.test/start', { timeout: { total: 150 } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(ms).toBeLessThan(300);
  });

  it('covers a hook’s re-send (digest’s second request): measured from the call, not from before the first hop', async () => {
    const { s, mock } = mockSession(async (req) => {
      await sleep(70);
      return req.headers.has('x-again') ? { json: {} } : { status: 401 };
    });
    const again = async (
      r: import('../src/response.js').Response,
      ctx: import('../src/hooks.js').HookContext,
    ) => {
      if (r.statusCode !== 401) return;
      const next = r.request.copy();
      next.headers.set('X-Again', '1');
      return ctx.send(next);
    };
    const { error, ms } = await failure(() =>
      s.get('http://a.test/', { hooks: { response: again }, timeout: { total: 100 } }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(mock.calls).toHaveLength(2);
    expect(ms).toBeLessThan(200);
  });

  it('covers plugin waits (a back-off in a plugin that ignores the signal)', async () => {
    const { s } = mockSession(() => ({ json: {} }));
    s.use({
      name: 'sleepy',
      async send(req, opts, next) {
        await sleep(300);
        return next(req, opts);
      },
    });
    const { error, ms } = await failure(() => s.get('http://a.test/', { timeout: { total: 100 } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(250);
  });

  it('covers reading the body, and stops at the headers with stream: true', async () => {
    async function* dribble() {
      yield new TextEncoder().encode('a');
      await sleep(300);
      yield new TextEncoder().encode('b');
    }
    const { s } = mockSession(() => ({ body: dribble() }));
    const { error } = await failure(() => s.get('http://a.test/', { timeout: { total: 100 } }));
    expect(error).toBeInstanceOf(TimeoutError);

    const streamed = await s.get('http://a.test/', { timeout: { total: 100 }, stream: true });
    // Past the budget, the caller reads at their own pace: total ended at the headers.
    expect(new TextDecoder().decode(await streamed.read())).toBe('ab');
  });

  it('covers a jar on a store that hangs', async () => {
    const jar = new HostJar();
    // A jar on an async store that never answers.
    (jar as { getCookieHeader(url: string): string | Promise<string> }).getCookieHeader = () =>
      new Promise<string>(() => {});
    const { s } = mockSession(() => ({}));
    s.cookies = jar;
    const { error, ms } = await failure(() => s.get('http://a.test/', { timeout: { total: 80 } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(200);
  });

  it('a store that fails is a RequestError naming the request, the store’s error as cause', async () => {
    const jar = new HostJar();
    const boom = new Error('redis down');
    (jar as { getCookieHeader(url: string): string | Promise<string> }).getCookieHeader = () =>
      Promise.reject(boom);
    const { s } = mockSession(() => ({}));
    s.cookies = jar;
    const { error } = await failure(() => s.get('http://a.test/'));
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).cause).toBe(boom);
    expect((error as RequestError).request).toBeDefined();
  });

  it('leaves no timer behind once the request is done', async () => {
    const { s } = mockSession(() => ({ json: {} }));
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    for (let i = 0; i < 20; i++) await s.get('http://a.test/', { timeout: { total: 60_000 } });
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
  });

  it('costs nothing when unset: no signal, no deadline reach the adapter', async () => {
    const { s, mock } = mockSession(() => ({}));
    await s.get('http://a.test/');
    expect(mock.calls[0]?.options.signal).toBeUndefined();
    expect(mock.calls[0]?.options.deadline).toBeUndefined();
  });

  it('an abort is an AbortError, the caller’s reason as cause, at any stage', async () => {
    const { s } = mockSession(slow(500));
    const controller = new AbortController();
    const pending = failure(() =>
      s.get('http://a.test/', { signal: controller.signal, timeout: { total: 10_000 } }),
    );
    await sleep(20);
    controller.abort('stop');
    const { error, ms } = await pending;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe('stop');
    expect(ms).toBeLessThan(200);
  });

  it('session.send() on a request prepared by hand starts its own clock', async () => {
    const { s } = mockSession(slow(300));
    const prepared = await s.prepareRequest(new Request({ url: 'http://a.test/' }));
    const { error } = await failure(() => s.send(prepared, { timeout: { total: 50 } }));
    expect(error).toBeInstanceOf(TimeoutError);
  });
});
