import { startTestServer, type TestServer } from '@sess/testkit';
import sess, { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The requests Session chapter, end to end through `sess` against the embedded server. */
let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await startTestServer();
  base = server.url;
});
afterAll(async () => {
  await server.close();
});

type CookiesEcho = { cookies: Record<string, string> };

describe('the seed scenario', () => {
  it('a Session remembers the login cookie', async () => {
    await using s = new Session();
    const r1 = await s.get(`${base}/cookies`);
    expect(r1.json<CookiesEcho>().cookies).toEqual({});
    const r2 = await s.get(`${base}/cookies/set/sessioncookie/123456789`);
    expect(r2.statusCode).toBe(200);
    expect(r2.history.map((h) => h.statusCode)).toEqual([302]);
    expect(s.cookies.getDict()).toEqual({ sessioncookie: '123456789' });
    const r3 = await s.get(`${base}/cookies`);
    expect(r3.json<CookiesEcho>().cookies).toEqual({ sessioncookie: '123456789' });
  });

  it('the functional API forgets it', async () => {
    const r4 = await sess.get(`${base}/cookies/set/sessioncookie/123456789`);
    expect(r4.json<CookiesEcho>().cookies).toEqual({ sessioncookie: '123456789' });
    const r5 = await sess.get(`${base}/cookies`);
    expect(r5.json<CookiesEcho>().cookies).toEqual({});
  });

  it('persistent headers, params and auth apply to every request', async () => {
    await using s = new Session();
    s.headers.update({ 'X-My-Custom-Header': 'HelloSession' });
    s.auth = ['testuser', 'testpass'];
    s.params.session_param = 'persistent';
    const data = (await s.get(`${base}/get`)).json<{
      headers: Record<string, string>;
      args: Record<string, string>;
    }>();
    expect(data.headers['X-My-Custom-Header']).toBe('HelloSession');
    expect(data.headers.Authorization).toBe(`Basic ${Buffer.from('testuser:testpass').toString('base64')}`);
    expect(data.headers['User-Agent']).toMatch(/^sess\//);
    expect(data.args).toEqual({ session_param: 'persistent' });
    const auth = await s.get(`${base}/basic-auth/testuser/testpass`);
    expect(auth.json()).toEqual({ authenticated: true, user: 'testuser' });
    const headers = (await s.get(`${base}/headers`)).json<{ headers: Record<string, string> }>();
    expect(headers.headers['X-My-Custom-Header']).toBe('HelloSession');
  });

  it('closing the session releases its connections, and it refuses to send afterwards', async () => {
    const s = new Session();
    await s.get(`${base}/get`);
    await s.close();
    await expect(s.get(`${base}/get`)).rejects.toThrow(/closed/);
  });

  it('one session reuses one connection', async () => {
    const before = server.connectionCount;
    await using s = new Session();
    for (let i = 0; i < 20; i++) await s.get(`${base}/get`);
    expect(server.connectionCount - before).toBe(1);
  });
});
