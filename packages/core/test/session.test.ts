// core cannot depend on @sess/testkit (testkit depends on core), so its tests import MockAdapter by path.

import { describe, expect, it } from 'vitest';
import { MockAdapter } from '../../testkit/src/mock-adapter.js';
import {
  AbortError,
  ConnectionError,
  HTTPError,
  InvalidHeaderError,
  InvalidSchemaError,
  InvalidURLError,
  JSONDecodeError,
  MissingSchemaError,
  SessionClosedError,
  StreamConsumedError,
} from '../src/errors.js';
import type { Plugin } from '../src/plugin.js';
import type { SendFn } from '../src/send-options.js';
import { Session } from '../src/session.js';
import { mockSession } from './support/session.js';

const ok = () => ({ json: { ok: true } });

describe('mounting', () => {
  it('a bare core Session has no adapters: InvalidSchemaError', async () => {
    const s = new Session();
    expect(() => s.getAdapter('http://a.test/')).toThrow(InvalidSchemaError);
    await expect(s.get('http://a.test/')).rejects.toBeInstanceOf(InvalidSchemaError);
  });
  it('the most specific prefix wins, by parsed host, port and path', async () => {
    const s = new Session();
    const any = new MockAdapter(() => ({ body: 'any' }));
    const host = new MockAdapter(() => ({ body: 'host' }));
    const api = new MockAdapter(() => ({ body: 'api' }));
    s.mount('http://', any);
    s.mount('http://localhost', host);
    s.mount('http://localhost/api', api);
    expect(s.getAdapter('http://localhost:8080/x')).toBe(host);
    expect(s.getAdapter('http://localhost/api/v1')).toBe(api);
    expect(s.getAdapter('http://localhost/apix')).toBe(host);
    expect(s.getAdapter('http://localhost.evil.test/api')).toBe(any);
    expect((await s.get('http://localhost/api/v1')).text).toBe('api');
    expect(s.adapters.map(([p]) => p)).toEqual(['http://localhost/api', 'http://localhost', 'http://']);
  });
  it('mounting the same prefix again replaces the adapter', () => {
    const s = new Session();
    const a = new MockAdapter(ok);
    const b = new MockAdapter(ok);
    s.mount('https://', a).mount('https://', b);
    expect(s.getAdapter('https://x.test/')).toBe(b);
    expect(s.adapters).toHaveLength(1);
  });
});

describe('close', () => {
  it('closes every distinct adapter once, and later sends fail', async () => {
    const { s, mock } = mockSession(ok);
    let closes = 0;
    const orig = mock.close.bind(mock);
    mock.close = async () => {
      closes++;
      await orig();
    };
    await s.close();
    await s.close();
    expect(closes).toBe(1);
    // Its own error: a programming error, not a ConnectionError a retry loop would retry.
    const err = await s.get('http://a.test/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionClosedError);
    expect(err).not.toBeInstanceOf(ConnectionError);
  });
  it('await using closes the session', async () => {
    let mock: MockAdapter;
    {
      await using s = new Session();
      mock = new MockAdapter(ok);
      s.mount('http://', mock);
      await s.get('http://a.test/');
    }
    expect(mock.closed).toBe(true);
  });
});

describe('plugins', () => {
  function tracer(name: string, log: string[]): Plugin {
    return {
      name,
      async send(req, opts, next: SendFn) {
        log.push(`${name}>`);
        const res = await next(req, opts);
        log.push(`<${name}`);
        return res;
      },
    };
  }
  it('run in the order added, the first outermost, on every hop', async () => {
    const log: string[] = [];
    const { s } = mockSession((req) =>
      req.url.endsWith('/r') ? { status: 302, headers: { Location: '/done' } } : { json: {} },
    );
    s.use(tracer('a', log)).use(tracer('b', log));
    await s.get('http://a.test/r');
    expect(log).toEqual(['a>', 'b>', '<b', '<a', 'a>', 'b>', '<b', '<a']);
    expect(s.plugins.map((p) => p.name)).toEqual(['a', 'b']);
  });
  it('can retry a hop by calling next twice, and add hooks', async () => {
    let n = 0;
    const { s, mock } = mockSession(() => (++n === 1 ? { status: 503 } : { json: {} }));
    const seen: number[] = [];
    s.use({
      name: 'retry-once',
      async send(req, opts, next) {
        const first = await next(req, opts);
        return first.statusCode === 503 ? next(req, opts) : first;
      },
      hooks: { response: (r) => void seen.push(r.statusCode) },
    });
    const res = await s.get('http://a.test/');
    expect(res.statusCode).toBe(200);
    expect(mock.calls).toHaveLength(2);
    expect(seen).toEqual([200]);
  });
  it('a response hook can re-send through the plugins with its context', async () => {
    const log: string[] = [];
    const { s, mock } = mockSession((req) => (req.headers.has('x-again') ? { json: {} } : { status: 401 }));
    s.use(tracer('p', log));
    const res = await s.get('http://a.test/', {
      hooks: {
        response: async (r, ctx) => {
          if (r.statusCode !== 401) return;
          const again = r.request.copy();
          again.headers.set('X-Again', '1');
          return ctx.send(again);
        },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(mock.calls).toHaveLength(2);
    expect(log).toEqual(['p>', '<p', 'p>', '<p']);
  });
  it('beforeRequest and beforeRedirect hooks see each hop', async () => {
    const seen: string[] = [];
    const { s } = mockSession((req) =>
      req.url.endsWith('/r') ? { status: 307, headers: { Location: '/x' } } : { json: {} },
    );
    await s.get('http://a.test/r', {
      hooks: {
        beforeRequest: (req) => void seen.push(`req ${req.url}`),
        beforeRedirect: (next, res) => void seen.push(`redirect ${res.statusCode} -> ${next.url}`),
      },
    });
    expect(seen).toEqual(['req http://a.test/r', 'redirect 307 -> http://a.test/x', 'req http://a.test/x']);
  });
});

describe('signal', () => {
  it('an aborted signal rejects with AbortError before anything is sent', async () => {
    const { s, mock } = mockSession(ok);
    const c = new AbortController();
    c.abort(new Error('stop'));
    const err = await s.get('http://a.test/', { signal: c.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect((err as AbortError).cause).toEqual(new Error('stop'));
    expect(mock.calls).toHaveLength(0);
  });
  it('the signal reaches the adapter', async () => {
    const { s, mock } = mockSession(ok);
    const c = new AbortController();
    await s.get('http://a.test/', { signal: c.signal });
    expect(mock.calls[0]?.options.signal).toBe(c.signal);
  });
});

describe('every error class core raises is reachable through the Session', () => {
  it('MissingSchemaError, InvalidURLError, InvalidSchemaError', async () => {
    const { s } = mockSession(ok);
    await expect(s.get('example.com/x')).rejects.toBeInstanceOf(MissingSchemaError);
    await expect(s.get('http://')).rejects.toBeInstanceOf(InvalidURLError);
    await expect(s.get('file:///etc/passwd')).rejects.toBeInstanceOf(InvalidSchemaError);
  });
  it('InvalidHeaderError for header injection, before anything is sent', async () => {
    const { s, mock } = mockSession(ok);
    await expect(s.get('http://a.test/', { headers: { 'X-A': 'v\r\nInjected: 1' } })).rejects.toBeInstanceOf(
      InvalidHeaderError,
    );
    await expect(s.get('http://a.test/', { headers: { 'Bad Name': 'v' } })).rejects.toBeInstanceOf(
      InvalidHeaderError,
    );
    await expect(s.get('http://a.test/', { headers: { 'X-A': ' leading' } })).rejects.toBeInstanceOf(
      InvalidHeaderError,
    );
    await expect(s.get('http://a.test/', { cookies: { a: 'b; admin=1' } })).rejects.toBeInstanceOf(
      InvalidHeaderError,
    );
    expect(() => s.headers.set('X', 'a\nb')).toThrow(InvalidHeaderError);
    expect(mock.calls).toHaveLength(0);
  });
  it('HTTPError, JSONDecodeError, StreamConsumedError', async () => {
    const { s } = mockSession(() => ({ status: 404, body: 'not json' }));
    const res = await s.get('http://a.test/');
    expect(() => res.raiseForStatus()).toThrow(HTTPError);
    expect(() => res.json()).toThrow(JSONDecodeError);
    const streamed = await s.get('http://a.test/', { stream: true });
    expect(() => streamed.content).toThrow(StreamConsumedError);
    expect(new TextDecoder().decode(await streamed.read())).toBe('not json');
  });
});

describe('verbs', () => {
  it('each verb sends its method', async () => {
    const { s, mock } = mockSession(ok);
    await s.get('http://a.test/');
    await s.options('http://a.test/');
    await s.head('http://a.test/');
    await s.post('http://a.test/');
    await s.put('http://a.test/');
    await s.patch('http://a.test/');
    await s.delete('http://a.test/');
    await s.request('purge', 'http://a.test/');
    expect(mock.calls.map((c) => c.request.method)).toEqual([
      'GET',
      'OPTIONS',
      'HEAD',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'PURGE',
    ]);
  });
  it('non-stream responses are read before they are returned', async () => {
    const { s } = mockSession(() => ({ json: { a: 1 } }));
    const res = await s.get('http://a.test/');
    expect(res.isRead).toBe(true);
    expect(res.json()).toEqual({ a: 1 });
  });
});

describe('review findings', () => {
  it('credentials in the URL become basic auth and leave the URL', async () => {
    const { s, mock } = mockSession(ok);
    const res = await s.get('http://us%40er:p%3Ass@a.test/x');
    expect(mock.calls[0]?.request.url).toBe('http://a.test/x');
    expect(mock.calls[0]?.request.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('us@er:p:ss').toString('base64')}`,
    );
    expect(res.url).toBe('http://a.test/x');
  });
  it('session auth beats credentials in the URL', async () => {
    const { s, mock } = mockSession(ok);
    s.auth = ['s', 'pw'];
    await s.get('http://u:p@a.test/');
    expect(mock.calls[0]?.request.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('s:pw').toString('base64')}`,
    );
  });
  it('an undefined header value leaves the session header alone', async () => {
    const { s, mock } = mockSession(ok);
    s.headers.set('X-Api-Key', 'k1');
    await s.get('http://a.test/', { headers: { 'X-Api-Key': undefined } });
    expect(mock.calls[0]?.request.headers.get('x-api-key')).toBe('k1');
  });
  it('HEAD with allowRedirects: undefined still does not follow', async () => {
    const { s } = mockSession((req) =>
      req.url.endsWith('/r') ? { status: 302, headers: { Location: '/x' } } : { json: {} },
    );
    expect((await s.head('http://a.test/r', { allowRedirects: undefined })).statusCode).toBe(302);
  });
});

describe('Request.prepare without a session', () => {
  it('auth: null keeps credentials written in the URL off too', async () => {
    const { Request } = await import('../src/request.js');
    const off = await new Request({ url: 'https://u:p@a.test/', auth: null }).prepare();
    expect(off.headers.has('authorization')).toBe(false);
    expect(off.url).toBe('https://a.test/');
    expect(off.netrcAllowed).toBe(false);
    const on = await new Request({ url: 'https://u:p@a.test/' }).prepare();
    expect(on.headers.get('authorization')).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});
