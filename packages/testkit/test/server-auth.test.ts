import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/index.js';
import { type RawResponse, send } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('basic and bearer auth', () => {
  it('/basic-auth accepts the right credentials', async () => {
    const res = await send(`${server.url}/basic-auth/alice/s3cret`, {
      headers: { Authorization: basic('alice', 's3cret') },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ authenticated: true, user: 'alice' });
  });

  it('/basic-auth challenges missing or wrong credentials with 401', async () => {
    for (const headers of [{}, { Authorization: basic('alice', 'wrong') }, { Authorization: 'Basic !!!' }]) {
      const res = await send(`${server.url}/basic-auth/alice/s3cret`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="Fake Realm"');
    }
  });

  it('/basic-auth allows a colon in the password', async () => {
    const res = await send(`${server.url}/basic-auth/u/a:b`, {
      headers: { Authorization: basic('u', 'a:b') },
    });
    expect(res.status).toBe(200);
  });

  it('/hidden-basic-auth answers 404 instead of a challenge', async () => {
    const wrong = await send(`${server.url}/hidden-basic-auth/u/p`, {
      headers: { Authorization: basic('u', 'x') },
    });
    expect(wrong.status).toBe(404);
    expect(wrong.headers['www-authenticate']).toBeUndefined();
    const right = await send(`${server.url}/hidden-basic-auth/u/p`, {
      headers: { Authorization: basic('u', 'p') },
    });
    expect(right.json()).toEqual({ authenticated: true, user: 'u' });
  });

  it('/bearer wants a Bearer token', async () => {
    const ok = await send(`${server.url}/bearer`, { headers: { Authorization: 'Bearer tok-123' } });
    expect(ok.json()).toEqual({ authenticated: true, token: 'tok-123' });
    const missing = await send(`${server.url}/bearer`);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect((await send(`${server.url}/bearer`, { headers: { Authorization: basic('a', 'b') } })).status).toBe(
      401,
    );
  });
});

// An RFC 7616 client written independently of the server, as a check on it.

function parseChallenge(header: string): Record<string, string> {
  expect(header).toMatch(/^Digest /);
  const out: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g))
    out[m[1] ?? ''] = m[2] ?? m[3] ?? '';
  return out;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

interface DigestInput {
  user: string;
  password: string;
  method: string;
  uri: string;
  nc: number;
  cnonce: string;
  body?: string;
}

function authorization(challenge: Record<string, string>, input: DigestInput): string {
  const algorithm = challenge.algorithm ?? 'MD5';
  const sess = algorithm.endsWith('-sess');
  const name = HASHES[algorithm.replace(/-sess$/, '')];
  if (!name) throw new Error(`test client cannot do ${algorithm}`);
  const h = (s: string) => createHash(name).update(s).digest('hex');
  const { realm = '', nonce = '', opaque, qop } = challenge;
  const nc = input.nc.toString(16).padStart(8, '0');
  let ha1 = h(`${input.user}:${realm}:${input.password}`);
  if (sess) ha1 = h(`${ha1}:${nonce}:${input.cnonce}`);
  const ha2 =
    qop === 'auth-int'
      ? h(`${input.method}:${input.uri}:${h(input.body ?? '')}`)
      : h(`${input.method}:${input.uri}`);
  const response = qop
    ? h(`${ha1}:${nonce}:${nc}:${input.cnonce}:${qop}:${ha2}`)
    : h(`${ha1}:${nonce}:${ha2}`);
  let header = `Digest username="${input.user}", realm="${realm}", nonce="${nonce}", uri="${input.uri}", algorithm=${algorithm}, response="${response}"`;
  if (opaque !== undefined) header += `, opaque="${opaque}"`;
  if (qop) header += `, qop=${qop}, nc=${nc}, cnonce="${input.cnonce}"`;
  else if (sess) header += `, cnonce="${input.cnonce}"`;
  return header;
}

async function challengeFor(path: string, method = 'GET'): Promise<Record<string, string>> {
  const res = await send(`${server.url}${path}`, { method });
  expect(res.status).toBe(401);
  return parseChallenge(String(res.headers['www-authenticate']));
}

async function answer(
  path: string,
  challenge: Record<string, string>,
  input: Partial<DigestInput>,
): Promise<RawResponse> {
  const full: DigestInput = {
    user: 'user',
    password: 'passwd',
    method: 'GET',
    uri: path,
    nc: 1,
    cnonce: 'abc123',
    ...input,
  };
  return send(`${server.url}${path}`, {
    method: full.method,
    headers: { Authorization: authorization(challenge, full) },
    body: full.body,
  });
}

describe('digest auth (RFC 7616)', () => {
  for (const algorithm of ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256']) {
    it(`accepts a correct ${algorithm} response and refuses a wrong password`, async () => {
      const path = `/digest-auth/auth/user/passwd/${algorithm}`;
      const challenge = await challengeFor(path);
      expect(challenge).toMatchObject({ realm: expect.any(String), qop: 'auth', algorithm });
      expect(challenge.nonce).toMatch(/^[0-9a-f]{32}$/);
      expect(challenge.opaque).toMatch(/^[0-9a-f]{32}$/);

      const ok = await answer(path, challenge, {});
      expect(ok.status).toBe(200);
      expect(ok.json()).toEqual({ authenticated: true, user: 'user' });

      const wrong = await answer(path, challenge, { password: 'nope', nc: 2 });
      expect(wrong.status).toBe(401);
      const fresh = parseChallenge(String(wrong.headers['www-authenticate']));
      expect(fresh.nonce).not.toBe(challenge.nonce);
      expect(fresh.stale).toBeUndefined();
    });
  }

  it('defaults to MD5 without an algorithm in the path', async () => {
    const challenge = await challengeFor('/digest-auth/auth/user/passwd');
    expect(challenge.algorithm).toBe('MD5');
    expect((await answer('/digest-auth/auth/user/passwd', challenge, {})).status).toBe(200);
  });

  it('counts nonce uses: a replayed nc is refused, a higher one accepted', async () => {
    const path = '/digest-auth/auth/user/passwd/SHA-256';
    const challenge = await challengeFor(path);
    expect((await answer(path, challenge, { nc: 1 })).status).toBe(200);
    expect((await answer(path, challenge, { nc: 1, cnonce: 'other' })).status).toBe(401);
    expect((await answer(path, challenge, { nc: 2 })).status).toBe(200);
  });

  it('refuses a response for another user, another uri, a changed opaque or a mismatched algorithm', async () => {
    const path = '/digest-auth/auth/user/passwd/MD5';
    const c = await challengeFor(path);
    expect((await answer(path, c, { user: 'mallory' })).status).toBe(401);
    expect((await answer(path, c, { uri: '/digest-auth/auth/user/passwd' })).status).toBe(401);
    expect((await answer(path, { ...c, opaque: 'ffff' }, {})).status).toBe(401);
    expect((await answer(path, { ...c, algorithm: 'SHA-256' }, {})).status).toBe(401);
    expect((await answer(path, c, { nc: 9 })).status).toBe(200);
  });

  it('refuses a nonce it never issued', async () => {
    const path = '/digest-auth/auth/user/passwd/MD5';
    const c = await challengeFor(path);
    const res = await answer(path, { ...c, nonce: 'f'.repeat(32) }, {});
    expect(res.status).toBe(401);
    // The proof was right, only the nonce unknown: RFC 7616 calls that stale.
    expect(parseChallenge(String(res.headers['www-authenticate'])).stale).toBe('TRUE');
  });

  it('supports auth-int, which covers the body', async () => {
    const path = '/digest-auth/auth-int/user/passwd/SHA-256';
    const c = await challengeFor(path, 'POST');
    expect(c.qop).toBe('auth-int');
    expect((await answer(path, c, { method: 'POST', body: 'payload' })).status).toBe(200);
    const tampered = await send(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        Authorization: authorization(c, {
          user: 'user',
          password: 'passwd',
          method: 'POST',
          uri: path,
          nc: 2,
          cnonce: 'x',
          body: 'payload',
        }),
      },
      body: 'tampered',
    });
    expect(tampered.status).toBe(401);
  });

  it('falls back to RFC 2069 (no qop) for an unknown qop, as httpbin does', async () => {
    const path = '/digest-auth/none/user/passwd/MD5';
    const c = await challengeFor(path);
    expect(c.qop).toBeUndefined();
    expect((await answer(path, c, {})).status).toBe(200);
  });

  it('refuses an unknown algorithm with 400', async () => {
    expect((await send(`${server.url}/digest-auth/auth/user/passwd/SHA-1`)).status).toBe(400);
  });
});
