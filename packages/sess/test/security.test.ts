import { startTestServer, type TestServer } from '@sess/testkit';
import { BearerAuth, HTTPDigestAuth, InvalidSchemaError, Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Credential and cookie rules over real sockets. 127.0.0.1 and localhost are
 * two hosts to a cookie jar and to the redirect rules, so one loopback server
 * plays both the origin and "another host".
 */
let server: TestServer;
let a: string; // http://127.0.0.1:PORT
let b: string; // http://localhost:PORT
beforeAll(async () => {
  server = await startTestServer();
  a = server.url;
  b = `http://localhost:${server.port}`;
});
afterAll(async () => {
  await server.close();
});

type Echo = { headers: Record<string, string>; cookies?: Record<string, string> };

describe('redirect credential stripping, end to end', () => {
  it('Authorization and Cookie do not follow a redirect to another host', async () => {
    await using s = new Session();
    await s.get(`${a}/cookies/set/sid/secret`);
    const res = await s.get(`${a}/redirect-to`, {
      params: { url: `${b}/headers` },
      auth: new BearerAuth('tok'),
    });
    const seen = res.json<Echo>().headers;
    expect(res.url).toBe(`${b}/headers`);
    expect(seen.Authorization).toBeUndefined();
    expect(seen.Cookie).toBeUndefined();
  });

  it('they do follow a same-host redirect', async () => {
    await using s = new Session();
    await s.get(`${a}/cookies/set/sid/secret`);
    const res = await s.get(`${a}/redirect-to`, { params: { url: '/headers' }, auth: ['u', 'p'] });
    const seen = res.json<Echo>().headers;
    expect(seen.Authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(seen.Cookie).toBe('sid=secret');
  });

  it('per-request cookies reach their host only and are never stored', async () => {
    await using s = new Session();
    const same = await s.get(`${a}/redirect-to`, { params: { url: '/cookies' }, cookies: { once: '1' } });
    expect(same.json<Echo>().cookies).toEqual({ once: '1' });
    const cross = await s.get(`${a}/redirect-to`, {
      params: { url: `${b}/cookies` },
      cookies: { once: '1' },
    });
    expect(cross.json<Echo>().cookies).toEqual({});
    expect(s.cookies.getDict()).toEqual({});
  });

  it('a cookie set for 127.0.0.1 is never sent to localhost', async () => {
    await using s = new Session();
    await s.get(`${a}/cookies/set/sid/x`);
    expect((await s.get(`${b}/cookies`)).json<Echo>().cookies).toEqual({});
    expect((await s.get(`${a}/cookies`)).json<Echo>().cookies).toEqual({ sid: 'x' });
  });

  it('a redirect to file: fails with InvalidSchemaError', async () => {
    await using s = new Session();
    const err = await s
      .get(`${a}/redirect-to`, { params: { url: 'file:///etc/passwd' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidSchemaError);
  });
});

describe('digest auth against the embedded server', () => {
  for (const algorithm of ['MD5', 'SHA-256', 'MD5-sess']) {
    it(`${algorithm}: one challenge, one answer`, async () => {
      await using s = new Session();
      const res = await s.get(`${a}/digest-auth/auth/user/passwd/${algorithm}`, {
        auth: new HTTPDigestAuth('user', 'passwd'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ authenticated: true, user: 'user' });
      expect(res.history.map((h) => h.statusCode)).toEqual([401]);
    });
  }

  it('a wrong password ends with the second 401, not a loop', async () => {
    await using s = new Session();
    const res = await s.get(`${a}/digest-auth/auth/user/passwd/MD5`, {
      auth: new HTTPDigestAuth('user', 'nope'),
    });
    expect(res.statusCode).toBe(401);
  });

  it('works across a same-host redirect', async () => {
    await using s = new Session();
    const res = await s.get(`${a}/redirect-to`, {
      params: { url: '/digest-auth/auth/user/passwd/SHA-256' },
      auth: new HTTPDigestAuth('user', 'passwd'),
    });
    expect(res.statusCode).toBe(200);
  });
});
