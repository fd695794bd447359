import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  InvalidSchemaError,
  InvalidURLError,
  TooManyRedirectsError,
  UnrewindableBodyError,
} from '../src/errors.js';
import { redirectMethod, shouldStripAuth } from '../src/redirects.js';
import { mockSession, redirects } from './support/session.js';

const dec = new TextDecoder();

describe('redirect method and body rules', () => {
  const cases: Array<[number, string, string, boolean]> = [
    // status, method in, method out, body kept
    [301, 'POST', 'GET', false],
    [301, 'PUT', 'PUT', false],
    [301, 'GET', 'GET', false],
    [302, 'POST', 'GET', false],
    [302, 'PATCH', 'PATCH', false],
    [303, 'POST', 'GET', false],
    [303, 'PUT', 'GET', false],
    [303, 'DELETE', 'GET', false],
    [303, 'HEAD', 'HEAD', false],
    [307, 'POST', 'POST', true],
    [307, 'PUT', 'PUT', true],
    [308, 'POST', 'POST', true],
    [308, 'PATCH', 'PATCH', true],
  ];
  for (const [status, method, expected, keepsBody] of cases) {
    it(`${status} ${method} -> ${expected}${keepsBody ? ' with body' : ' without body'}`, async () => {
      const { s, mock } = mockSession(redirects({ 'http://a.test/start': [status, '/end'] }));
      const res = await s.request(method, 'http://a.test/start', { data: 'payload', allowRedirects: true });
      expect(res.url).toBe('http://a.test/end');
      expect(res.history.map((h) => h.statusCode)).toEqual([status]);
      const second = mock.calls[1];
      expect(second?.request.method).toBe(expected);
      if (keepsBody) {
        expect(dec.decode(second?.bodyBytes ?? new Uint8Array())).toBe('payload');
        expect(second?.request.headers.get('content-length')).toBe('7');
      } else {
        expect(second?.bodyBytes).toBeNull();
        expect(second?.request.headers.has('content-length')).toBe(false);
        expect(second?.request.headers.has('content-type')).toBe(false);
      }
    });
  }

  it('redirectMethod is pure and matches the table', () => {
    expect(redirectMethod('POST', 302)).toBe('GET');
    expect(redirectMethod('HEAD', 303)).toBe('HEAD');
    expect(redirectMethod('DELETE', 307)).toBe('DELETE');
  });

  it('a one-shot stream body on 307 raises UnrewindableBodyError instead of sending nothing', async () => {
    const { s, mock } = mockSession(redirects({ 'http://a.test/up': [307, '/again'] }));
    const body = Readable.from([Buffer.from('once')]);
    const err = await s.post('http://a.test/up', { data: body }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrewindableBodyError);
    expect((err as UnrewindableBodyError).response?.statusCode).toBe(307);
    expect(mock.calls).toHaveLength(1);
  });

  it('a one-shot stream body on 303 is simply dropped (GET has no body)', async () => {
    const { s, mock } = mockSession(redirects({ 'http://a.test/up': [303, '/done'] }));
    const res = await s.post('http://a.test/up', { data: Readable.from([Buffer.from('once')]) });
    expect(res.statusCode).toBe(200);
    expect(mock.calls[1]?.request.method).toBe('GET');
  });
});

describe('redirect targets', () => {
  it('resolves relative Location and carries the fragment over', async () => {
    const { s } = mockSession(redirects({ 'http://a.test/x/y#frag': [302, '../z?q=1'] }));
    const res = await s.get('http://a.test/x/y#frag');
    expect(res.url).toBe('http://a.test/z?q=1#frag');
  });

  it("keeps the Location's own fragment", async () => {
    const { s } = mockSession(redirects({ 'http://a.test/x#old': [302, '/y#new'] }));
    expect((await s.get('http://a.test/x#old')).url).toBe('http://a.test/y#new');
  });

  it('decodes a UTF-8 Location that arrived as latin1', async () => {
    const latin1 = Buffer.from('/caf\u00e9', 'utf8').toString('latin1');
    const { s } = mockSession(redirects({ 'http://a.test/': [302, latin1] }));
    expect((await s.get('http://a.test/')).url).toBe('http://a.test/caf%C3%A9');
  });

  it('follows up to maxRedirects, then raises TooManyRedirectsError with the response', async () => {
    const { s, mock } = mockSession((req) => {
      const n = Number(new URL(req.url).pathname.slice(1));
      return { status: 302, headers: { Location: `/${n + 1}` } };
    });
    s.maxRedirects = 5;
    const err = await s.get('http://a.test/0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRedirectsError);
    const e = err as TooManyRedirectsError;
    // Messages name the request (the first URL, query secrets redacted).
    expect(e.message).toMatch(/^Exceeded 5 redirects\. \(GET http:\/\//);
    expect(e.response?.url).toBe('http://a.test/5');
    expect(e.response?.history).toHaveLength(5);
    expect(mock.calls).toHaveLength(6);
  });

  it('default maxRedirects is 30', async () => {
    const { s } = mockSession((req) => ({ status: 301, headers: { Location: `${req.url}x` } }));
    expect(s.maxRedirects).toBe(30);
    const err = (await s.get('http://a.test/').catch((e: unknown) => e)) as TooManyRedirectsError;
    expect(err.response?.history).toHaveLength(30);
  });

  it('history is ordered and each entry has its own earlier history', async () => {
    const { s } = mockSession(
      redirects({
        'http://a.test/1': [302, '/2'],
        'http://a.test/2': [301, '/3'],
        'http://a.test/3': [307, '/4'],
      }),
    );
    const res = await s.get('http://a.test/1');
    expect(res.history.map((h) => h.url)).toEqual(['http://a.test/1', 'http://a.test/2', 'http://a.test/3']);
    expect(res.history[2]?.history.map((h) => h.url)).toEqual(['http://a.test/1', 'http://a.test/2']);
  });

  it('allowRedirects: false returns the 3xx itself', async () => {
    const { s, mock } = mockSession(redirects({ 'http://a.test/': [302, '/b'] }));
    const res = await s.get('http://a.test/', { allowRedirects: false });
    expect(res.statusCode).toBe(302);
    expect(res.isRedirect).toBe(true);
    expect(mock.calls).toHaveLength(1);
  });

  it('HEAD does not follow redirects by default', async () => {
    const { s } = mockSession(redirects({ 'http://a.test/': [302, '/b'] }));
    expect((await s.head('http://a.test/')).statusCode).toBe(302);
    expect((await s.head('http://a.test/', { allowRedirects: true })).statusCode).toBe(200);
  });

  for (const target of [
    'file:///etc/passwd',
    'data:text/plain,hello',
    'javascript:alert(1)',
    'ftp://a.test/x',
  ]) {
    it(`a redirect to ${target.split(':')[0]}: fails with InvalidSchemaError and reads nothing`, async () => {
      const { s, mock } = mockSession(redirects({ 'http://a.test/': [302, target] }));
      const err = await s.get('http://a.test/').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidSchemaError);
      expect(mock.calls).toHaveLength(1);
    });
  }
});

describe('credentials across redirects', () => {
  it('shouldStripAuth follows requests, including the http->https upgrade', () => {
    expect(shouldStripAuth('http://a.test/', 'http://a.test/x')).toBe(false);
    expect(shouldStripAuth('http://a.test/', 'https://a.test/')).toBe(false);
    expect(shouldStripAuth('http://a.test:80/', 'https://a.test:443/')).toBe(false);
    expect(shouldStripAuth('http://a.test:8080/', 'https://a.test/')).toBe(true);
    expect(shouldStripAuth('https://a.test/', 'http://a.test/')).toBe(true);
    expect(shouldStripAuth('http://a.test/', 'http://b.test/')).toBe(true);
    expect(shouldStripAuth('http://a.test/', 'http://a.test:81/')).toBe(true);
    expect(shouldStripAuth('https://a.test/', 'https://a.test:443/')).toBe(false);
    expect(shouldStripAuth('http://a.test/', 'http://A.TEST/')).toBe(false);
  });

  const sensitive = {
    Authorization: 'Bearer secret',
    'Proxy-Authorization': 'Basic cHJveHk6cHc=',
    Cookie: 'sid=1',
  };

  it('drops Authorization, Proxy-Authorization and Cookie on a cross-host hop', async () => {
    const { s, mock } = mockSession(redirects({ 'http://a.test/': [302, 'http://evil.test/steal'] }));
    await s.get('http://a.test/', { headers: sensitive });
    const first = mock.calls[0]?.request.headers;
    const second = mock.calls[1]?.request.headers;
    expect(first?.get('authorization')).toBe('Bearer secret');
    expect(second?.has('authorization')).toBe(false);
    expect(second?.has('proxy-authorization')).toBe(false);
    expect(second?.has('cookie')).toBe(false);
  });

  it('drops them on a port change and on an https->http downgrade', async () => {
    for (const [from, to] of [
      ['http://a.test/', 'http://a.test:8080/'],
      ['https://a.test/', 'http://a.test/'],
      ['http://a.test:8080/', 'https://a.test/'],
    ] as const) {
      const { s, mock } = mockSession(redirects({ [from]: [302, to] }));
      await s.get(from, { auth: ['u', 'p'], headers: { Cookie: 'sid=1' } });
      expect(mock.calls[1]?.request.url).toBe(to);
      expect(mock.calls[1]?.request.headers.has('authorization')).toBe(false);
      expect(mock.calls[1]?.request.headers.has('cookie')).toBe(false);
    }
  });

  it('keeps Authorization on a same-origin hop and on an http->https upgrade of the same host', async () => {
    const { s, mock } = mockSession(
      redirects({
        'http://a.test/': [301, 'https://a.test/secure'],
        'https://a.test/secure': [302, '/next'],
      }),
    );
    await s.get('http://a.test/', { auth: ['u', 'p'] });
    const expected = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(mock.calls.map((c) => c.request.headers.get('authorization'))).toEqual([
      expected,
      expected,
      expected,
    ]);
  });

  it('session auth is stripped too on a cross-host hop', async () => {
    const { s, mock } = mockSession(redirects({ 'http://a.test/': [307, 'http://b.test/'] }));
    s.auth = ['u', 'p'];
    await s.get('http://a.test/');
    expect(mock.calls[0]?.request.headers.has('authorization')).toBe(true);
    expect(mock.calls[1]?.request.headers.has('authorization')).toBe(false);
  });

  it('re-derives cookies from the jar for the new host and stores cookies from every hop', async () => {
    const { s, mock, jar } = mockSession((req) => {
      if (req.url === 'http://a.test/login') {
        return {
          status: 302,
          headers: { Location: 'http://b.test/land', 'Set-Cookie': ['a_sid=1; Path=/'] },
        };
      }
      if (req.url === 'http://b.test/land') {
        return {
          status: 302,
          headers: { Location: 'http://a.test/home', 'Set-Cookie': ['b_sid=2; Path=/'] },
        };
      }
      return { json: {} };
    });
    await s.get('http://a.test/login');
    expect(mock.calls[1]?.request.headers.get('cookie')).toBe(undefined);
    expect(mock.calls[2]?.request.headers.get('cookie')).toBe('a_sid=1');
    expect(jar.getDict()).toEqual({ a_sid: '1', b_sid: '2' });
  });

  it('per-request cookies ride same-host hops, never another host, and are never stored', async () => {
    const { s, mock, jar } = mockSession(
      redirects({ 'http://a.test/1': [302, '/2'], 'http://a.test/2': [302, 'http://b.test/3'] }),
    );
    await s.get('http://a.test/1', { cookies: { token: 'abc' } });
    expect(mock.calls.map((c) => c.request.headers.get('cookie'))).toEqual([
      'token=abc',
      'token=abc',
      undefined,
    ]);
    expect(jar.getDict()).toEqual({});
  });

  it('re-applies netrc credentials for the new host when trustEnv', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'sess-netrc-'));
    writeFileSync(join(dir, 'netrc'), 'machine b.test login bee password bpw\n');
    const prev = process.env.NETRC;
    process.env.NETRC = join(dir, 'netrc');
    try {
      const { s, mock } = mockSession(redirects({ 'http://a.test/': [302, 'http://b.test/'] }));
      s.trustEnv = true;
      await s.get('http://a.test/', { auth: ['a', 'apw'] });
      expect(mock.calls[1]?.request.headers.get('authorization')).toBe(
        `Basic ${Buffer.from('bee:bpw').toString('base64')}`,
      );
    } finally {
      if (prev === undefined) delete process.env.NETRC;
      else process.env.NETRC = prev;
    }
  });
});

describe('credentials never leave their origin (review findings)', () => {
  it('a redirect to another scheme with an adapter carries no credential at all', async () => {
    const { s, mock } = mockSession(redirects({ 'https://bank.test/': [302, 'ws://evil.test/steal'] }));
    s.mount('ws://', mock);
    await s.get('https://bank.test/', {
      auth: ['alice', 'pw'],
      cookies: { per: 'request' },
      headers: { 'Proxy-Authorization': 'Basic eA==' },
    });
    const hop = mock.calls[1]?.request;
    expect(hop?.url).toBe('ws://evil.test/steal');
    expect(hop?.headers.has('authorization')).toBe(false);
    expect(hop?.headers.has('proxy-authorization')).toBe(false);
    expect(hop?.headers.has('cookie')).toBe(false);
  });

  it('an http -> https upgrade keeps Authorization but not Proxy-Authorization, a hand-set Cookie or per-request cookies', async () => {
    for (const options of [
      { headers: { 'Proxy-Authorization': 'Basic eA==', Cookie: 'sid=hand' } },
      { headers: { 'Proxy-Authorization': 'Basic eA==' }, cookies: { per: 'request' } },
    ]) {
      const { s, mock } = mockSession(redirects({ 'http://a.test/': [301, 'https://a.test/'] }));
      await s.get('http://a.test/', { auth: ['u', 'p'], ...options });
      const hop = mock.calls[1]?.request;
      expect(hop?.headers.has('authorization')).toBe(true);
      expect(hop?.headers.has('proxy-authorization')).toBe(false);
      expect(hop?.headers.has('cookie')).toBe(false);
    }
  });

  it('credentials in the Location are ignored and removed from the URL', async () => {
    const { s, mock } = mockSession(redirects({ 'http://a.test/': [302, 'http://mallory:pw@a.test/x'] }));
    const res = await s.get('http://a.test/');
    expect(res.url).toBe('http://a.test/x');
    expect(mock.calls[1]?.request.headers.has('authorization')).toBe(false);
  });

  it('an unparseable Location is an InvalidURLError, and a streamed 3xx is released', async () => {
    let cancelled = 0;
    const { Response } = await import('../src/response.js');
    const { s } = mockSession(
      (req) =>
        new Response({
          statusCode: 302,
          headers: { Location: 'http://[::1/x' },
          url: req.url,
          request: req,
          body: {
            async *[Symbol.asyncIterator]() {
              yield new Uint8Array([1]);
            },
            cancel: () => {
              cancelled++;
            },
          },
        }),
    );
    const err = await s.get('http://a.test/', { stream: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidURLError);
    expect((err as InvalidURLError).response?.statusCode).toBe(302);
    expect(cancelled).toBe(1);
  });
});

describe('netrc on redirects', () => {
  async function withNetrc(text: string, run: () => Promise<void>) {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'sess-netrc-'));
    writeFileSync(join(dir, 'netrc'), text);
    const prev = process.env.NETRC;
    process.env.NETRC = join(dir, 'netrc');
    try {
      await run();
    } finally {
      if (prev === undefined) delete process.env.NETRC;
      else process.env.NETRC = prev;
    }
  }

  it('is not re-applied on an https -> http downgrade', () =>
    withNetrc('machine a.test login alice password pw\n', async () => {
      const { s, mock } = mockSession(redirects({ 'https://a.test/': [302, 'http://a.test/'] }));
      s.trustEnv = true;
      await s.get('https://a.test/');
      expect(mock.calls[0]?.request.headers.has('authorization')).toBe(true);
      expect(mock.calls[1]?.request.headers.has('authorization')).toBe(false);
    }));

  it('auth: null keeps netrc off on every hop', () =>
    withNetrc('machine b.test login bob password pw\n', async () => {
      const { s, mock } = mockSession(redirects({ 'http://a.test/': [302, 'http://b.test/'] }));
      s.trustEnv = true;
      await s.get('http://a.test/', { auth: null });
      expect(mock.calls[1]?.request.headers.has('authorization')).toBe(false);
    }));

  it("the netrc `default` entry is never given to a redirect's host", () =>
    withNetrc('default login ci password token\n', async () => {
      const { s, mock } = mockSession(redirects({ 'http://a.test/': [302, 'http://evil.test/'] }));
      s.trustEnv = true;
      await s.get('http://a.test/');
      expect(mock.calls[0]?.request.headers.has('authorization')).toBe(true);
      expect(mock.calls[1]?.request.headers.has('authorization')).toBe(false);
    }));
});
