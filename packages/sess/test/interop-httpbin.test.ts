import { type HttpbinServer, httpbinAvailable, startHttpbin } from '@sess/testkit';
import sess, { HTTPDigestAuth, Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The seed chapter against the seed's own server: Debian's python3-httpbin
 * under gunicorn on 127.0.0.1. CI installs it (.ci/run) and these tests must
 * run there; on a machine without it they are skipped, saying why, so that
 * `pnpm test` works with only Node and npm.
 */
const available = httpbinAvailable();
const mustRun = Boolean(process.env.CI);
if (!available) {
  console.warn('interop-httpbin: skipped, httpbin is missing (apt-get install python3-httpbin gunicorn)');
}

describe.skipIf(!available && !mustRun)('the seed scenario against Debian httpbin', () => {
  let hb: HttpbinServer;
  beforeAll(async () => {
    hb = await startHttpbin();
  });
  afterAll(async () => {
    await hb?.close();
  });

  type Cookies = { cookies: Record<string, string> };

  it('a Session remembers the login cookie; the functional API forgets it', async () => {
    await using s = new Session();
    expect((await s.get(`${hb.url}/cookies`)).json<Cookies>().cookies).toEqual({});
    await s.get(`${hb.url}/cookies/set/sessioncookie/123456789`);
    expect(s.cookies.getDict()).toEqual({ sessioncookie: '123456789' });
    expect((await s.get(`${hb.url}/cookies`)).json<Cookies>().cookies).toEqual({
      sessioncookie: '123456789',
    });
    await sess.get(`${hb.url}/cookies/set/sessioncookie/123456789`);
    expect((await sess.get(`${hb.url}/cookies`)).json<Cookies>().cookies).toEqual({});
  });

  it('persistent headers, params and auth', async () => {
    await using s = new Session();
    s.headers.update({ 'X-My-Custom-Header': 'HelloSession' });
    s.auth = ['user', 'passwd'];
    s.params.session_param = 'persistent';
    const got = (await s.get(`${hb.url}/get`)).json<{ headers: Record<string, string>; args: object }>();
    expect(got.headers['X-My-Custom-Header']).toBe('HelloSession');
    expect(got.args).toEqual({ session_param: 'persistent' });
    expect((await s.get(`${hb.url}/basic-auth/user/passwd`)).json()).toEqual({
      authenticated: true,
      user: 'user',
    });
  });

  it('digest auth as httpbin does it (a cookie set by the 401 goes with the answer)', async () => {
    await using s = new Session();
    const res = await s.get(`${hb.url}/digest-auth/auth/user/passwd/MD5`, {
      auth: new HTTPDigestAuth('user', 'passwd'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ authenticated: true, user: 'user' });
  });

  it('redirects, gzip and deflate, streamed uploads', async () => {
    await using s = new Session();
    const r = await s.get(`${hb.url}/redirect/3`);
    expect(r.history.map((h) => h.statusCode)).toEqual([302, 302, 302]);
    expect((await s.get(`${hb.url}/gzip`)).json<{ gzipped: boolean }>().gzipped).toBe(true);
    expect((await s.get(`${hb.url}/deflate`)).json<{ deflated: boolean }>().deflated).toBe(true);
    async function* chunks() {
      yield new TextEncoder().encode('hello ');
      yield new TextEncoder().encode('world');
    }
    const up = await s.post(`${hb.url}/post`, { data: chunks() });
    expect(up.json<{ data: string }>().data).toBe('hello world');
  });
});
