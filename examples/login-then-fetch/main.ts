/** Log in once; the session's jar carries the cookie to every later request. */
import { startTestServer } from '@sess/testkit';
import { Session } from 'sess';

const server = await startTestServer();
try {
  await using s = new Session();
  // The server answers the login with Set-Cookie and a redirect; the jar stores the cookie on the way.
  const login = await s.get(`${server.url}/cookies/set`, { params: { sessionid: 'abc123', user: 'ada' } });
  console.log('login landed on', login.url, 'after', login.history.length, 'redirect(s)');
  console.log('jar now holds', s.cookies.getDict());
  for (const page of ['/cookies', '/anything/profile', '/anything/settings']) {
    const res = await s.get(`${server.url}${page}`);
    const sent = res.json<{ cookies?: Record<string, string>; headers: Record<string, string> }>();
    console.log(page, '->', res.statusCode, 'cookie sent:', sent.cookies ?? sent.headers.Cookie);
  }
} finally {
  await server.close();
}
