/**
 * The seed chapter, "Remembering Things - The Session Object", run for real
 * against the embedded httpbin-like server on 127.0.0.1. Each step checks
 * what it shows, so a regression makes the demo exit non-zero.
 */
import { startTestServer } from '@sess/testkit';
import sess, { Session } from 'sess';

const server = await startTestServer();
const base = server.url;
let failures = 0;

function show(label: string, value: unknown, ok: boolean): void {
  if (!ok) failures++;
  console.log(`${ok ? '✔' : '✘'} ${label}: ${JSON.stringify(value)}`);
}

try {
  console.log(`embedded test server on ${base}\n`);
  console.log('1. A Session remembers cookies');
  {
    await using s = new Session();
    const before = (await s.get(`${base}/cookies`)).json<{ cookies: Record<string, string> }>();
    show('cookies sent before login (none)', before.cookies, Object.keys(before.cookies).length === 0);
    await s.get(`${base}/cookies/set/sessioncookie/123456789`);
    show('session jar after login', s.cookies.getDict(), s.cookies.getDict().sessioncookie === '123456789');
    const after = (await s.get(`${base}/cookies`)).json<{ cookies: Record<string, string> }>();
    show('cookies sent after login', after.cookies, after.cookies.sessioncookie === '123456789');
  }

  console.log('\n2. The functional API forgets them');
  await sess.get(`${base}/cookies/set/sessioncookie/123456789`);
  const forgot = (await sess.get(`${base}/cookies`)).json<{ cookies: Record<string, string> }>();
  show(
    'cookies sent by sess.get() afterwards (none)',
    forgot.cookies,
    Object.keys(forgot.cookies).length === 0,
  );

  console.log('\n3. Persistent headers, params and auth');
  const s = new Session();
  s.headers.update({ 'X-My-Custom-Header': 'HelloSession' });
  s.auth = ['testuser', 'testpass'];
  s.params.session_param = 'persistent';
  const got = (await s.get(`${base}/get`)).json<{
    headers: Record<string, string>;
    args: Record<string, string>;
  }>();
  show(
    'X-My-Custom-Header sent',
    got.headers['X-My-Custom-Header'],
    got.headers['X-My-Custom-Header'] === 'HelloSession',
  );
  show('query parameters sent', got.args, got.args.session_param === 'persistent');
  const auth = await s.get(`${base}/basic-auth/testuser/testpass`);
  show('basic-auth endpoint', auth.json(), auth.statusCode === 200);
  const again = (await s.get(`${base}/headers`)).json<{ headers: Record<string, string> }>();
  show(
    'second request still has the header',
    again.headers['X-My-Custom-Header'],
    again.headers['X-My-Custom-Header'] === 'HelloSession',
  );

  console.log('\n4. Closing the session');
  await s.close();
  const err = await s.get(`${base}/get`).catch((e: Error) => e);
  show('a closed session refuses to send', err instanceof Error ? err.message : err, err instanceof Error);
} finally {
  await server.close();
}

console.log(
  failures === 0
    ? '\ndemo: every step behaved as the chapter says'
    : `\ndemo: ${failures} step(s) misbehaved`,
);
process.exitCode = failures === 0 ? 0 : 1;
