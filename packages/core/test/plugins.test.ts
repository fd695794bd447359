import { describe, expect, it } from 'vitest';
import { AbortError, HTTPError, TimeoutError } from '../src/errors.js';
import { Headers } from '../src/headers.js';
import type { Plugin } from '../src/plugin.js';
import { Response } from '../src/response.js';
import type { Extensions, SendOptions } from '../src/send-options.js';
import { mockSession } from './support/session.js';

/**
 * The v2 plugin contract: `{ name, send(request, options, next), hooks }`,
 * composed once, with a narrow context (options and next), seeing the
 * response before the session reads its body and stores its cookies.
 */

function counter(): Plugin & { count: number } {
  return {
    name: 'counter',
    count: 0,
    async send(req, opts, next) {
      this.count++;
      return next(req, opts);
    },
  };
}

describe('plugins compose once', () => {
  it('state kept in a closure survives a later use()', async () => {
    let calls = 0;
    const make = (): Plugin => {
      let seen = 0; // closure state: lost if the chain were rebuilt from a factory at each use()
      return {
        name: 'closure',
        async send(req, opts, next) {
          seen++;
          calls = seen;
          return next(req, opts);
        },
      };
    };
    const { s } = mockSession(() => ({ json: {} }));
    s.use(make());
    await s.get('http://a.test/');
    await s.get('http://a.test/');
    s.use(counter());
    await s.get('http://a.test/');
    expect(calls).toBe(3);
  });

  it('a plugin written as a class keeps its `this`', async () => {
    const c = counter();
    const { s } = mockSession(() => ({ json: {} }));
    s.use(c).use({ name: 'later' });
    await s.get('http://a.test/');
    await s.get('http://a.test/');
    expect(c.count).toBe(2);
  });

  it('the first added is outermost', async () => {
    const log: string[] = [];
    const tag = (name: string): Plugin => ({
      name,
      async send(req, opts, next) {
        log.push(`${name}>`);
        const res = await next(req, opts);
        log.push(`<${name}`);
        return res;
      },
    });
    const { s } = mockSession(() => ({ json: {} }));
    s.use(tag('a')).use(tag('b')).use(tag('c'));
    await s.get('http://a.test/');
    expect(log).toEqual(['a>', 'b>', 'c>', '<c', '<b', '<a']);
  });

  it('refuses what is not a plugin, naming what was wrong', () => {
    const { s } = mockSession(() => ({}));
    expect(() => s.use(null as never)).toThrow(TypeError);
    expect(() => s.use({ send: () => {} } as never)).toThrow(/name/);
    expect(() => s.use({ name: 'x', send: 1 } as never)).toThrow(/send must be a function/);
    expect(() => s.use({ name: 'x', hooks: { onResponse: () => {} } } as never)).toThrow(
      /Unknown hook stage/,
    );
  });
});

describe('a plugin sees the response before the session reads it', () => {
  it('the body is unread and the cookies not stored yet when next() returns', async () => {
    const { s, jar } = mockSession(() => ({ headers: { 'Set-Cookie': 'a=1' }, body: 'hello' }));
    let sawRead: boolean | undefined;
    let sawJar: string | undefined;
    s.use({
      name: 'peek',
      async send(req, opts, next) {
        const res = await next(req, opts);
        sawRead = res.isRead;
        sawJar = jar.getCookieHeader('http://a.test/');
        return res;
      },
    });
    const res = await s.get('http://a.test/');
    expect(sawRead).toBe(false);
    expect(sawJar).toBe('');
    expect(res.text).toBe('hello');
    expect(jar.getCookieHeader('http://a.test/')).toBe('a=1');
  });

  it('a plugin may read the body itself and replace the response', async () => {
    const { s } = mockSession(() => ({ body: 'original' }));
    s.use({
      name: 'rewrite',
      async send(req, opts, next) {
        const res = await next(req, opts);
        const text = new TextDecoder().decode(await res.read());
        return new Response({
          statusCode: 200,
          url: res.url,
          request: req,
          body: new TextEncoder().encode(text.toUpperCase()),
        });
      },
    });
    expect((await s.get('http://a.test/')).text).toBe('ORIGINAL');
  });

  it('a plugin that answers from memory (a cache hit) returns a Response whose cookies, history and request work', async () => {
    const { s, mock, jar } = mockSession(() => ({ status: 500 }));
    const cache: Plugin = {
      name: 'memory',
      async send(req) {
        return new Response({
          statusCode: 200,
          url: req.url,
          request: req,
          headers: new Headers([['Set-Cookie', 'cached=1; Path=/']]),
          body: new TextEncoder().encode('from memory'),
          fromCache: true,
        });
      },
    };
    s.use(cache);
    const res = await s.get('http://a.test/x');
    expect(mock.calls).toHaveLength(0);
    expect(res.text).toBe('from memory');
    expect(res.fromCache).toBe(true);
    expect(res.history).toEqual([]);
    expect(res.request.url).toBe('http://a.test/x');
    // The response's own cookies work...
    expect(res.cookies.getCookieHeader('http://a.test/')).toBe('cached=1');
    // ...and a cache hit does not store them in the jar a second time.
    expect(jar.getCookieHeader('http://a.test/')).toBe('');
  });

  it('plugin hooks live with the plugin, not in session.hooks', async () => {
    const seen: number[] = [];
    const { s } = mockSession(() => ({ status: 201 }));
    s.use({ name: 'hooked', hooks: { response: (r) => void seen.push(r.statusCode) } });
    expect(s.hooks.response).toHaveLength(0);
    await s.get('http://a.test/');
    expect(seen).toEqual([201]);
  });
});

describe('extensions', () => {
  it('reach every plugin and the adapter, unchanged', async () => {
    const seen: Extensions[] = [];
    const { s, mock } = mockSession(() => ({}));
    s.use({
      name: 'reader',
      async send(req, opts: SendOptions, next) {
        seen.push(opts.extensions);
        return next(req, opts);
      },
    });
    const ext = { retry: false, traceId: 'abc' };
    await s.get('http://a.test/', { extensions: ext });
    expect(seen[0]).toBe(ext);
    expect(mock.calls[0]?.options.extensions).toBe(ext);
    await s.get('http://a.test/');
    expect(seen[1]).toEqual({});
  });

  it('ride along every redirect hop', async () => {
    const { s, mock } = mockSession((req) =>
      req.url.endsWith('/r') ? { status: 302, headers: { Location: '/x' } } : {},
    );
    await s.get('http://a.test/r', { extensions: { cache: 'no-store' } });
    expect(mock.calls.map((c) => c.options.extensions)).toEqual([
      { cache: 'no-store' },
      { cache: 'no-store' },
    ]);
  });

  it('must be an object', async () => {
    const { s } = mockSession(() => ({}));
    await expect(s.get('http://a.test/', { extensions: 'x' as never })).rejects.toThrow(
      /extensions must be an object/,
    );
  });
});

describe('hook stages', () => {
  it('beforeRequest may answer with a Response: nothing is sent', async () => {
    const { s, mock } = mockSession(() => ({ status: 500 }));
    const res = await s.get('http://a.test/', {
      hooks: {
        beforeRequest: (req) =>
          new Response({
            statusCode: 200,
            url: req.url,
            request: req,
            body: new TextEncoder().encode('short'),
          }),
      },
    });
    expect(mock.calls).toHaveLength(0);
    expect(res.text).toBe('short');
    expect(res.cookies.getCookieHeader('http://a.test/')).toBe('');
  });

  it('beforeError may replace the error; it sees the request', async () => {
    const { s } = mockSession(async () => {
      await new Promise(() => {});
      return {};
    });
    class AppError extends Error {}
    const err = await s
      .get('http://a.test/', {
        timeout: { total: 30 },
        hooks: {
          beforeError: (e, req) =>
            e instanceof TimeoutError ? new AppError(`upstream slow: ${req?.url}`) : undefined,
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as Error).message).toBe('upstream slow: http://a.test/');
  });

  it('beforeError hooks of the session run for errors before a request exists, and returning nothing keeps the error', async () => {
    const { s } = mockSession(() => ({}));
    const seen: string[] = [];
    s.hooks.beforeError.push((e) => void seen.push(e.name));
    const controller = new AbortController();
    controller.abort();
    const err = await s.get('http://a.test/', { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(seen).toEqual(['AbortError']);
  });

  it('response hooks still run, and raise as before', async () => {
    const { s } = mockSession(() => ({ status: 404 }));
    const err = await s
      .get('http://a.test/', { hooks: { response: (r) => void r.raiseForStatus() } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HTTPError);
  });
});
