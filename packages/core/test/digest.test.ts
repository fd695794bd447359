import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  computeDigestResponse,
  HTTPDigestAuth,
  isSupportedDigestAlgorithm,
  parseWwwAuthenticate,
} from '../src/auth/digest.js';
import { UnrewindableBodyError } from '../src/errors.js';
import type { HookContext, ResponseHook } from '../src/hooks.js';
import type { PreparedRequest } from '../src/prepared-request.js';
import { Request, type RequestInit } from '../src/request.js';
import { type BodySource, Response } from '../src/response.js';
import type { SendOptions } from '../src/send-options.js';

// RFC 7616 §3.9.1.
const RFC = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  method: 'GET',
  uri: '/dir/index.html',
  qop: 'auth' as const,
  nc: 1,
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
};

const CHALLENGE =
  'Digest realm="me@example.test", qop="auth", nonce="n0nce-1", opaque="op4que", algorithm=MD5';

/** The parameters of an `Authorization: Digest ...` value. */
function params(header: string | undefined): Record<string, string> {
  expect(header).toMatch(/^Digest /);
  const [c] = parseWwwAuthenticate(header as string);
  return { ...(c?.params ?? {}) };
}

const H = (alg: string, s: string) => createHash(alg).update(s).digest('hex');

const OPTIONS: SendOptions = {
  stream: false,
  timeout: {},
  deadline: undefined,
  signal: undefined,
  verify: true,
  cert: null,
  proxies: {},
  extensions: {},
};

function fakeContext(reply: (req: PreparedRequest) => Response = okFor) {
  const sent: PreparedRequest[] = [];
  const send = vi.fn(async (req: PreparedRequest) => {
    sent.push(req);
    return reply(req);
  });
  const context: HookContext = { send, options: OPTIONS };
  return { context, sent, send };
}

function okFor(req: PreparedRequest): Response {
  return new Response({ statusCode: 200, url: req.url, request: req, body: new TextEncoder().encode('ok') });
}

function unauthorized(req: PreparedRequest, challenge = CHALLENGE, url = req.url): Response {
  return new Response({
    statusCode: 401,
    headers: { 'WWW-Authenticate': challenge },
    url,
    request: req,
    body: new Uint8Array(),
  });
}

async function prepare(auth: HTTPDigestAuth, init: Partial<RequestInit> = {}) {
  const req = await new Request({ url: 'http://example.test/dir/index.html?x=1', ...init, auth }).prepare();
  const hook = req.hooks.response[0] as ResponseHook;
  expect(hook).toBeTypeOf('function');
  return { req, hook };
}

describe('computeDigestResponse', () => {
  it('matches the RFC 7616 §3.9.1 MD5 example', () => {
    const header = computeDigestResponse({ ...RFC, algorithm: 'MD5' });
    expect(params(header).response).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(header).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", algorithm=MD5, ' +
        'response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", ' +
        'qop=auth, nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"',
    );
  });

  it('matches the RFC 7616 §3.9.1 SHA-256 example', () => {
    const p = params(computeDigestResponse({ ...RFC, algorithm: 'SHA-256' }));
    expect(p.response).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(p.algorithm).toBe('SHA-256');
    expect(p.nc).toBe('00000001');
  });

  it('matches the RFC 2617 §3.5 example (algorithm not named, so not echoed)', () => {
    const header = computeDigestResponse({
      username: 'Mufasa',
      password: 'Circle Of Life',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
    });
    expect(params(header).response).toBe('6629fae49393a05397450978507c4ef1');
    expect(header).not.toContain('algorithm=');
  });

  it('uses the RFC 2069 form without qop', () => {
    const input = { ...RFC, qop: undefined, nc: undefined, cnonce: undefined, algorithm: 'MD5' };
    const p = params(computeDigestResponse(input));
    const ha1 = H('md5', 'Mufasa:http-auth@example.org:Circle of Life');
    const ha2 = H('md5', 'GET:/dir/index.html');
    expect(p.response).toBe(H('md5', `${ha1}:${RFC.nonce}:${ha2}`));
    expect(p).not.toHaveProperty('qop');
    expect(p).not.toHaveProperty('nc');
    expect(p).not.toHaveProperty('cnonce');
  });

  it.each([
    ['MD5-sess', 'md5'],
    ['SHA-256-sess', 'sha256'],
    ['SHA-512-256', 'sha512-256'],
    ['SHA-512-256-sess', 'sha512-256'],
  ])('computes %s', (algorithm, hash) => {
    const p = params(computeDigestResponse({ ...RFC, algorithm }));
    let ha1 = H(hash, `${RFC.username}:${RFC.realm}:${RFC.password}`);
    if (algorithm.endsWith('-sess')) ha1 = H(hash, `${ha1}:${RFC.nonce}:${RFC.cnonce}`);
    const ha2 = H(hash, `GET:${RFC.uri}`);
    expect(p.response).toBe(H(hash, `${ha1}:${RFC.nonce}:00000001:${RFC.cnonce}:auth:${ha2}`));
    expect(p.algorithm).toBe(algorithm);
  });

  it('sends a hashed username with userhash', () => {
    const p = params(computeDigestResponse({ ...RFC, algorithm: 'SHA-256', userhash: true }));
    expect(p.username).toBe(H('sha256', 'Mufasa:http-auth@example.org'));
    expect(p.userhash).toBe('true');
  });

  it('sends a non-ASCII username as username* and escapes quotes', () => {
    const header = computeDigestResponse({ ...RFC, username: 'Jäsøn Doe', realm: 'a "quoted" realm' });
    const p = params(header);
    expect(p['username*']).toBe("UTF-8''J%C3%A4s%C3%B8n%20Doe");
    expect(p).not.toHaveProperty('username');
    expect(header).toContain('realm="a \\"quoted\\" realm"');
    expect(p.realm).toBe('a "quoted" realm');
  });

  it('rejects what it cannot compute', () => {
    expect(() => computeDigestResponse({ ...RFC, algorithm: 'SHA-1' })).toThrow(TypeError);
    expect(() => computeDigestResponse({ ...RFC, cnonce: undefined })).toThrow(/nc and cnonce/);
    expect(() => computeDigestResponse({ ...RFC, qop: undefined, algorithm: 'MD5-sess' })).toThrow(/qop/);
    expect(isSupportedDigestAlgorithm('sha-256-SESS')).toBe(true);
    expect(isSupportedDigestAlgorithm('SHA-1')).toBe(false);
  });
});

describe('parseWwwAuthenticate', () => {
  it('splits several challenges and unescapes quoted strings', () => {
    const got = parseWwwAuthenticate(
      'Negotiate abc+/==, Basic realm="simple", Digest realm="a\\"b, c", qop="auth,auth-int", nonce=xyz, Bearer',
    );
    expect(got).toEqual([
      { scheme: 'Negotiate', params: {} },
      { scheme: 'Basic', params: { realm: 'simple' } },
      { scheme: 'Digest', params: { realm: 'a"b, c', qop: 'auth,auth-int', nonce: 'xyz' } },
      { scheme: 'Bearer', params: {} },
    ]);
  });

  it('lower-cases parameter names and keeps the first of duplicates', () => {
    const [c] = parseWwwAuthenticate('Digest REALM="one", Nonce = "n", realm="two"');
    expect(c?.params).toEqual({ realm: 'one', nonce: 'n' });
  });
});

describe('HTTPDigestAuth', () => {
  it('answers a 401 once, with a correct response, and keeps the 401 in history', async () => {
    const auth = new HTTPDigestAuth('user', 'pass word');
    const { req, hook } = await prepare(auth);
    expect(req.headers.has('authorization')).toBe(false);

    const cancel = vi.fn();
    const source: BodySource = {
      async *[Symbol.asyncIterator]() {
        yield new Uint8Array([1]);
      },
      cancel,
    };
    const first = new Response({
      statusCode: 401,
      headers: { 'WWW-Authenticate': CHALLENGE },
      url: req.url,
      request: req,
      body: source,
    });
    const { context, sent } = fakeContext();
    const result = await hook(first, context);

    expect(sent).toHaveLength(1);
    const retry = sent[0] as PreparedRequest;
    expect(retry).not.toBe(req);
    expect(req.headers.has('authorization')).toBe(false);
    expect(cancel).toHaveBeenCalledTimes(1);

    const p = params(retry.headers.get('authorization'));
    expect(p).toMatchObject({
      username: 'user',
      realm: 'me@example.test',
      nonce: 'n0nce-1',
      uri: '/dir/index.html?x=1',
      qop: 'auth',
      nc: '00000001',
      opaque: 'op4que',
      algorithm: 'MD5',
    });
    expect(p.cnonce).toMatch(/^[0-9a-f]{32}$/);
    const expected = computeDigestResponse({
      username: 'user',
      password: 'pass word',
      realm: 'me@example.test',
      nonce: 'n0nce-1',
      method: 'GET',
      uri: '/dir/index.html?x=1',
      qop: 'auth',
      nc: 1,
      cnonce: p.cnonce,
      algorithm: 'MD5',
    });
    expect(p.response).toBe(params(expected).response);

    expect(result).toBeInstanceOf(Response);
    const answer = result as Response;
    expect(answer.statusCode).toBe(200);
    expect(answer.history).toEqual([first]);
  });

  it('returns a second 401 as is instead of looping', async () => {
    const auth = new HTTPDigestAuth('user', 'wrong');
    const { req, hook } = await prepare(auth);
    const { context, sent } = fakeContext((r) => unauthorized(r));
    const result = (await hook(unauthorized(req), context)) as Response;
    expect(sent).toHaveLength(1);
    expect(result.statusCode).toBe(401);

    // If the session runs the copied hooks on the re-sent request's 401, nothing more happens.
    const again = await hook(result, context);
    expect(again).toBeUndefined();
    expect(sent).toHaveLength(1);
  });

  it('leaves other responses alone', async () => {
    const auth = new HTTPDigestAuth('user', 'pass');
    const { req, hook } = await prepare(auth);
    const { context, send } = fakeContext();
    expect(await hook(okFor(req), context)).toBeUndefined();
    expect(await hook(unauthorized(req, 'Basic realm="x"'), context)).toBeUndefined();
    expect(
      await hook(new Response({ statusCode: 401, url: req.url, request: req }), context),
    ).toBeUndefined();
    expect(send).not.toHaveBeenCalled();
  });

  it('declines a challenge that offers only auth-int or an unknown algorithm', async () => {
    const auth = new HTTPDigestAuth('user', 'pass');
    const { req, hook } = await prepare(auth);
    const { context, send } = fakeContext();
    const authInt = 'Digest realm="r", nonce="n", qop="auth-int"';
    expect(await hook(unauthorized(req, authInt), context)).toBeUndefined();
    const sha1 = 'Digest realm="r", nonce="n", qop="auth", algorithm=SHA-1';
    expect(await hook(unauthorized(req, sha1), context)).toBeUndefined();
    expect(send).not.toHaveBeenCalled();
  });

  it('picks the first Digest challenge it supports', async () => {
    const auth = new HTTPDigestAuth('user', 'pass');
    const { req, hook } = await prepare(auth);
    const { context, sent } = fakeContext();
    const header =
      'Basic realm="b", Digest realm="r", nonce="n1", qop="auth", algorithm=SHA-1, ' +
      'Digest realm="r", nonce="n2", qop="auth-int, auth", algorithm=SHA-256';
    await hook(unauthorized(req, header), context);
    const p = params(sent[0]?.headers.get('authorization'));
    expect(p.algorithm).toBe('SHA-256');
    expect(p.nonce).toBe('n2');
    expect(p.response).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers an RFC 2069 challenge (no qop) without nc or cnonce', async () => {
    const auth = new HTTPDigestAuth('user', 'pass');
    const { req, hook } = await prepare(auth);
    const { context, sent } = fakeContext();
    await hook(unauthorized(req, 'Digest realm="r", nonce="n"'), context);
    const p = params(sent[0]?.headers.get('authorization'));
    const ha1 = H('md5', 'user:r:pass');
    const ha2 = H('md5', 'GET:/dir/index.html?x=1');
    expect(p.response).toBe(H('md5', `${ha1}:n:${ha2}`));
    expect(p).not.toHaveProperty('nc');
  });

  it('sends the header pre-emptively afterwards, counting uses of the nonce', async () => {
    const auth = new HTTPDigestAuth('user', 'pass');
    const { req, hook } = await prepare(auth);
    const { context } = fakeContext();
    await hook(unauthorized(req), context);

    const second = await prepare(auth, { method: 'POST', url: 'http://example.test/other', data: 'x' });
    const p2 = params(second.req.headers.get('authorization'));
    expect(p2.nc).toBe('00000002');
    expect(p2.uri).toBe('/other');
    const expected = computeDigestResponse({
      username: 'user',
      password: 'pass',
      realm: 'me@example.test',
      nonce: 'n0nce-1',
      method: 'POST',
      uri: '/other',
      qop: 'auth',
      nc: 2,
      cnonce: p2.cnonce,
      algorithm: 'MD5',
    });
    expect(p2.response).toBe(params(expected).response);

    const third = await prepare(auth);
    expect(params(third.req.headers.get('authorization')).nc).toBe('00000003');

    // A stale nonce: the server challenges again with a new one, and counting restarts.
    const { context: ctx2, sent } = fakeContext();
    const fresh = CHALLENGE.replace('n0nce-1', 'n0nce-2').concat(', stale=true');
    await third.hook(unauthorized(third.req, fresh), ctx2);
    const p4 = params(sent[0]?.headers.get('authorization'));
    expect(p4.nonce).toBe('n0nce-2');
    expect(p4.nc).toBe('00000001');
  });

  it('does not answer a challenge from another origin reached by a redirect', async () => {
    const auth = new HTTPDigestAuth('user', 'secret');
    const { req, hook } = await prepare(auth, { url: 'http://example.test/start' });
    const { context, send } = fakeContext();
    for (const target of [
      'http://evil.test/steal',
      'https://example.test/start',
      'http://example.test:8080/',
    ]) {
      // What the session's redirect step hands on: a copy of the request, hooks included, at the new URL.
      const hop = req.copy();
      hop.url = target;
      expect(hop.hooks.response).toContain(hook);
      expect(await hook(unauthorized(hop), context)).toBeUndefined();
    }
    expect(send).not.toHaveBeenCalled();

    // Nor when only the response URL is foreign.
    expect(await hook(unauthorized(req, CHALLENGE, 'http://evil.test/'), context)).toBeUndefined();
    expect(send).not.toHaveBeenCalled();
  });

  it('still answers after a same-origin redirect', async () => {
    const auth = new HTTPDigestAuth('user', 'secret');
    const { req, hook } = await prepare(auth, { url: 'http://example.test/start' });
    const hop = req.copy();
    hop.url = 'http://example.test:80/next?y=2';
    const { context, sent } = fakeContext();
    expect(await hook(unauthorized(hop), context)).toBeInstanceOf(Response);
    expect(params(sent[0]?.headers.get('authorization')).uri).toBe('/next?y=2');
  });

  it('never sends the remembered challenge pre-emptively to another origin', async () => {
    const auth = new HTTPDigestAuth('user', 'secret');
    const { req, hook } = await prepare(auth, { url: 'http://example.test/' });
    await hook(unauthorized(req), fakeContext().context);
    const other = await prepare(auth, { url: 'http://other.test/' });
    expect(other.req.headers.has('authorization')).toBe(false);
    const same = await prepare(auth, { url: 'http://example.test/again' });
    expect(same.req.headers.has('authorization')).toBe(true);
  });

  it('refuses to re-send a one-shot body', async () => {
    const auth = new HTTPDigestAuth('user', 'pass');
    async function* upload() {
      yield new Uint8Array([1, 2, 3]);
    }
    const { req, hook } = await prepare(auth, { method: 'PUT', data: upload() });
    expect(req.bodyReplayable).toBe(false);
    const { context, send } = fakeContext();
    const cancel = vi.fn();
    const first = new Response({
      statusCode: 401,
      headers: { 'WWW-Authenticate': CHALLENGE },
      url: req.url,
      request: req,
      body: { async *[Symbol.asyncIterator]() {}, cancel },
    });
    await expect(hook(first, context)).rejects.toBeInstanceOf(UnrewindableBodyError);
    await expect(hook(first, context)).rejects.toMatchObject({
      code: 'ERR_SESS_UNREWINDABLE_BODY',
      response: first,
    });
    expect(send).not.toHaveBeenCalled();
    expect(cancel).toHaveBeenCalled();
  });

  it('re-sends a replayable body with the method kept', async () => {
    const auth = new HTTPDigestAuth('user', 'pass');
    const { req, hook } = await prepare(auth, { method: 'POST', json: { a: 1 } });
    const { context, sent } = fakeContext();
    await hook(unauthorized(req), context);
    expect(sent[0]?.method).toBe('POST');
    expect(sent[0]?.body).toBe(req.body);
    expect(sent[0]?.headers.get('content-type')).toBe('application/json');
  });
});
