import { describe, expect, it, vi } from 'vitest';
import type { Auth } from '../src/auth/auth.js';
import { BearerAuth, basicAuthHeader, HTTPBasicAuth, HTTPProxyAuth, toAuth } from '../src/auth/basic.js';
import { applyCookieHeader } from '../src/cookie-header.js';
import { InvalidHeaderError, InvalidURLError, MissingSchemaError, RequestError } from '../src/errors.js';
import type { ResponseHook } from '../src/hooks.js';
import { mergeHooks, toHooks } from '../src/hooks.js';
import { PreparedRequest } from '../src/prepared-request.js';
import { Request } from '../src/request.js';
import { cookieHeaderFromDict } from '../src/request-cookies.js';

const URL_ = 'https://api.example.test/items';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('Request', () => {
  it('keeps what it was given and defaults the method to GET', () => {
    const headers = { 'X-A': '1' };
    const r = new Request({ url: URL_, headers, params: { a: '1' } });
    expect(r.method).toBe('GET');
    expect(r.url).toBe(URL_);
    expect(r.headers).toBe(headers);
    expect(r.params).toEqual({ a: '1' });
    expect(r.data).toBeUndefined();
  });

  it('prepare() builds the exact request: method upper-cased, params in the URL, headers, body', async () => {
    const p = await new Request({
      method: 'post',
      url: `${URL_}?x=1`,
      params: { q: 'a b', tag: ['t1', 't2'] },
      headers: { 'X-Trace': 'abc' },
      json: { hello: 'world' },
    }).prepare();
    expect(p).toBeInstanceOf(PreparedRequest);
    expect(p.method).toBe('POST');
    expect(p.url).toBe(`${URL_}?x=1&q=a+b&tag=t1&tag=t2`);
    expect(p.headers.get('x-trace')).toBe('abc');
    expect(p.headers.get('content-type')).toBe('application/json');
    expect(p.headers.get('content-length')).toBe('17');
    expect(new TextDecoder().decode(p.body as Uint8Array)).toBe('{"hello":"world"}');
  });

  it('accepts a URL object', async () => {
    const p = await new Request({ url: new URL('https://bücher.example/a'), params: { b: '1' } }).prepare();
    expect(p.url).toBe('https://xn--bcher-kva.example/a?b=1');
  });

  it('prepare() twice gives independent requests', async () => {
    const r = new Request({ url: URL_, headers: { A: '1' } });
    const a = await r.prepare();
    const b = await r.prepare();
    expect(a).not.toBe(b);
    a.headers.set('A', '2');
    expect(b.headers.get('A')).toBe('1');
  });

  it.each([['GE T'], [''], ['GET\r\nX: 1'], ['PÖST']])(
    'an invalid method %j is a TypeError',
    async (method) => {
      await expect(new Request({ method, url: URL_ }).prepare()).rejects.toThrow(TypeError);
    },
  );

  it('URL errors surface from prepare()', async () => {
    await expect(new Request({ url: 'example.com/x' }).prepare()).rejects.toBeInstanceOf(MissingSchemaError);
    await expect(new Request({ url: 'http://' }).prepare()).rejects.toBeInstanceOf(InvalidURLError);
  });

  it('header errors surface from prepare()', async () => {
    const err = await rejection(new Request({ url: URL_, headers: { 'X-A': 'a\r\nX-B: b' } }).prepare());
    expect(err).toBeInstanceOf(InvalidHeaderError);
  });
});

describe('Request.prepare order: method, url, headers, cookies, body, auth, hooks', () => {
  it('the method is checked before the URL, the URL before the headers', async () => {
    await expect(new Request({ method: 'BAD METHOD', url: 'example.com' }).prepare()).rejects.toThrow(
      TypeError,
    );
    await expect(
      new Request({ url: 'example.com', headers: { 'Bad Name': 'x' } }).prepare(),
    ).rejects.toBeInstanceOf(MissingSchemaError);
  });

  it('headers are validated before cookies', async () => {
    const err = await rejection(
      new Request({ url: URL_, headers: { 'Bad Name': 'x' }, cookies: { 'bad name': 'x' } }).prepare(),
    );
    expect(err).toBeInstanceOf(InvalidHeaderError);
    expect((err as Error).message).toContain('header name');
  });

  it('auth sees the finished URL, headers, cookies and body; hooks come after the auth’s', async () => {
    const seen: Record<string, unknown> = {};
    const authHook: ResponseHook = () => undefined;
    const userHook: ResponseHook = () => undefined;
    const auth: Auth = {
      apply(req) {
        seen.method = req.method;
        seen.url = req.url;
        seen.header = req.headers.get('X-User');
        seen.cookie = req.headers.get('Cookie');
        seen.body = new TextDecoder().decode(req.body as Uint8Array);
        seen.length = req.headers.get('Content-Length');
        seen.hooks = req.hooks.response.length;
        req.hooks.response.push(authHook);
        return req;
      },
    };
    const p = await new Request({
      method: 'put',
      url: URL_,
      params: { a: '1' },
      headers: { 'X-User': 'u' },
      cookies: { sid: 'abc' },
      data: 'payload',
      auth,
      hooks: { response: userHook },
    }).prepare();
    expect(seen).toEqual({
      method: 'PUT',
      url: `${URL_}?a=1`,
      header: 'u',
      cookie: 'sid=abc',
      body: 'payload',
      length: '7',
      hooks: 0,
    });
    expect(p.hooks.response).toEqual([authHook, userHook]);
  });
});

describe('auth', () => {
  it("['user', 'pass'] sets Basic auth", async () => {
    const p = await new Request({ url: URL_, auth: ['user', 'pass'] }).prepare();
    expect(p.headers.get('Authorization')).toBe('Basic dXNlcjpwYXNz');
    expect(p.headers.has('Proxy-Authorization')).toBe(false);
  });

  it('non-ASCII credentials are UTF-8 encoded (RFC 7617)', async () => {
    const p = await new Request({ url: URL_, auth: ['üser', 'pässwörd'] }).prepare();
    expect(p.headers.get('authorization')).toBe('Basic w7xzZXI6cMOkc3N3w7ZyZA==');
    expect(Buffer.from('w7xzZXI6cMOkc3N3w7ZyZA==', 'base64').toString('utf8')).toBe('üser:pässwörd');
  });

  it('empty password and colons in the password survive', () => {
    expect(basicAuthHeader('user', '')).toBe('Basic dXNlcjo=');
    expect(basicAuthHeader('a', 'b:c')).toBe('Basic YTpiOmM=');
  });

  it('basicAuthHeader refuses non-strings', () => {
    expect(() => basicAuthHeader('u', 1 as unknown as string)).toThrow(TypeError);
    expect(() => basicAuthHeader(undefined as unknown as string, 'p')).toThrow(TypeError);
  });

  it('HTTPBasicAuth does what the pair does and replaces a hand-set Authorization', async () => {
    const p = await new Request({
      url: URL_,
      headers: { authorization: 'Token old' },
      auth: new HTTPBasicAuth('user', 'pass'),
    }).prepare();
    expect(p.headers.get('Authorization')).toBe('Basic dXNlcjpwYXNz');
    expect([...p.headers.keys()].filter((k) => k.toLowerCase() === 'authorization')).toHaveLength(1);
  });

  it('BearerAuth sets Authorization: Bearer', async () => {
    const p = await new Request({ url: URL_, auth: new BearerAuth('tok.en-123') }).prepare();
    expect(p.headers.get('Authorization')).toBe('Bearer tok.en-123');
  });

  it('a BearerAuth token cannot inject a header', async () => {
    const err = await rejection(new Request({ url: URL_, auth: new BearerAuth('t\r\nX-Evil: 1') }).prepare());
    expect(err).toBeInstanceOf(InvalidHeaderError);
  });

  it('HTTPProxyAuth sets Proxy-Authorization only', async () => {
    const p = await new Request({ url: URL_, auth: new HTTPProxyAuth('proxyuser', 'pw') }).prepare();
    expect(p.headers.get('Proxy-Authorization')).toBe(
      `Basic ${Buffer.from('proxyuser:pw').toString('base64')}`,
    );
    expect(p.headers.has('Authorization')).toBe(false);
  });

  it('a custom auth object with a sync apply', async () => {
    const apply = vi.fn((req: PreparedRequest) => {
      req.headers.set('X-Signature', `sig:${req.method}:${req.url}`);
      return req;
    });
    const p = await new Request({ method: 'DELETE', url: URL_, auth: { apply } }).prepare();
    expect(apply).toHaveBeenCalledTimes(1);
    expect(apply.mock.calls[0]?.[0]).toBe(p);
    expect(p.headers.get('X-Signature')).toBe(`sig:DELETE:${URL_}`);
  });

  it('a custom auth object with an async apply is awaited', async () => {
    const auth: Auth = {
      async apply(req) {
        await Promise.resolve();
        req.headers.set('Authorization', 'HMAC async');
        return req;
      },
    };
    const p = await new Request({ url: URL_, auth }).prepare();
    expect(p.headers.get('Authorization')).toBe('HMAC async');
  });

  it('an auth that returns another PreparedRequest has its changes kept', async () => {
    const auth: Auth = {
      apply(req) {
        const copy = req.copy();
        copy.headers.set('X-From-Copy', '1');
        return copy;
      },
    };
    const p = await new Request({ url: URL_, auth }).prepare();
    expect(p.headers.get('X-From-Copy')).toBe('1');
  });

  it('an auth that throws makes prepare() reject with that error', async () => {
    const boom = new Error('no token');
    const auth: Auth = {
      apply() {
        throw boom;
      },
    };
    expect(await rejection(new Request({ url: URL_, auth }).prepare())).toBe(boom);
  });

  it('null auth sets nothing', async () => {
    const p = await new Request({ url: URL_, auth: null }).prepare();
    expect(p.headers.has('Authorization')).toBe(false);
  });

  it('toAuth refuses malformed auth', () => {
    expect(() => toAuth(['only-user'] as unknown as [string, string])).toThrow(TypeError);
    expect(() => toAuth(['a', 'b', 'c'] as unknown as [string, string])).toThrow(TypeError);
    expect(() => toAuth({} as unknown as Auth)).toThrow(TypeError);
    const custom: Auth = { apply: (r) => r };
    expect(toAuth(custom)).toBe(custom);
    expect(toAuth(['u', 'p'])).toBeInstanceOf(HTTPBasicAuth);
  });
});

describe('per-request cookies', () => {
  it('make a Cookie header and remember the URL they belong to', async () => {
    const p = await new Request({ url: URL_, params: { a: '1' }, cookies: { sid: 'abc', n: 42 } }).prepare();
    expect(p.headers.get('Cookie')).toBe('sid=abc; n=42');
    expect(p.requestCookies).toEqual({ header: 'sid=abc; n=42', url: `${URL_}?a=1` });
    expect(p.userCookie).toBeUndefined();
  });

  it('empty or missing cookies set no Cookie header', async () => {
    expect((await new Request({ url: URL_, cookies: {} }).prepare()).headers.has('Cookie')).toBe(false);
    expect((await new Request({ url: URL_, cookies: null }).prepare()).headers.has('Cookie')).toBe(false);
    expect((await new Request({ url: URL_ }).prepare()).requestCookies).toBeUndefined();
  });

  it('a hand-set Cookie header wins over per-request cookies', async () => {
    const p = await new Request({
      url: URL_,
      headers: { cookie: 'mine=1' },
      cookies: { theirs: '2' },
    }).prepare();
    expect(p.headers.get('Cookie')).toBe('mine=1');
    expect(p.userCookie).toEqual({ header: 'mine=1', url: URL_ });
  });

  it('applyCookieHeader puts per-request cookies before the jar’s, and a hand-set header still wins', () => {
    const jar = { getCookieHeader: () => 'jar=1', setCookiesFromResponse() {}, createEmpty: () => jar };
    const none = { ...jar, getCookieHeader: () => '' };
    const p = new PreparedRequest();
    p.prepareUrl(URL_);
    p.prepareHeaders({});
    p.prepareCookies({ req: '2' });
    applyCookieHeader(p, jar, undefined);
    expect(p.headers.get('Cookie')).toBe('req=2; jar=1');

    const q = new PreparedRequest();
    q.prepareUrl(URL_);
    q.prepareHeaders({ Cookie: 'hand=1' });
    q.prepareCookies({ req: '2' });
    applyCookieHeader(q, jar, undefined);
    expect(q.headers.get('Cookie')).toBe('hand=1');

    const r = new PreparedRequest();
    r.prepareUrl(URL_);
    r.prepareHeaders(null);
    r.prepareCookies(null);
    applyCookieHeader(r, none, undefined);
    expect(r.headers.has('Cookie')).toBe(false);
  });

  it('values may hold spaces, commas and = signs', () => {
    expect(cookieHeaderFromDict({ a: 'x y,z=1', b: '' })).toBe('a=x y,z=1; b=');
  });

  it.each([
    [{ 'bad name': '1' }],
    [{ 'semi;colon': '1' }],
    [{ 'eq=name': '1' }],
    [{ '': 'x' }],
    [{ 'new\nline': '1' }],
    [{ a: 'x; admin=1' }],
    [{ a: 'x\r\nX-Evil: 1' }],
    [{ a: 'x\ny' }],
    [{ a: 'nul\0' }],
  ])('invalid cookie %o throws InvalidHeaderError', async (cookies) => {
    const err = await rejection(new Request({ url: URL_, cookies }).prepare());
    expect(err).toBeInstanceOf(InvalidHeaderError);
    expect(err).toBeInstanceOf(RequestError);
    expect((err as InvalidHeaderError).code).toBe('ERR_SESS_INVALID_HEADER');
    expect(() => cookieHeaderFromDict(cookies)).toThrow(InvalidHeaderError);
  });
});

describe('hooks', () => {
  it('take a single function or a list per stage', async () => {
    const a: ResponseHook = () => undefined;
    const b: ResponseHook = () => undefined;
    const before = () => undefined;
    const p = await new Request({ url: URL_, hooks: { response: [a, b], beforeRequest: before } }).prepare();
    expect(p.hooks.response).toEqual([a, b]);
    expect(p.hooks.beforeRequest).toEqual([before]);
    expect(p.hooks.beforeRedirect).toEqual([]);
  });

  it('an unknown stage is a TypeError, not silently ignored', async () => {
    await expect(
      new Request({
        url: URL_,
        hooks: { respones: () => undefined } as unknown as { response: ResponseHook },
      }).prepare(),
    ).rejects.toThrow(/respones/);
  });

  it('a non-function hook is a TypeError', () => {
    expect(() => toHooks({ response: ['nope'] as unknown as ResponseHook[] })).toThrow(TypeError);
    const none = { beforeRequest: [], beforeRedirect: [], response: [], beforeError: [] };
    expect(toHooks(null)).toEqual(none);
    expect(toHooks({ response: undefined })).toEqual(none);
  });

  it('mergeHooks keeps the order given: the session’s first, then the request’s', () => {
    const s: ResponseHook = () => undefined;
    const r: ResponseHook = () => undefined;
    const merged = mergeHooks(toHooks({ response: s }), toHooks({ response: r }));
    expect(merged.response).toEqual([s, r]);
  });

  it('PreparedRequest.copy copies the hook lists', async () => {
    const h: ResponseHook = () => undefined;
    const p = await new Request({ url: URL_, hooks: { response: h } }).prepare();
    const c = p.copy();
    c.hooks.response.push(() => undefined);
    expect(p.hooks.response).toEqual([h]);
    expect(c.url).toBe(p.url);
    expect(c.method).toBe(p.method);
  });
});
