/** Session defaults apply to every request; a request's value wins and its null removes one. */
import { startTestServer } from '@sess/testkit';
import { Session } from 'sess';

const server = await startTestServer();
try {
  await using s = new Session();
  s.headers.update({ 'X-Client': 'example', 'X-Trace': 'on' });
  s.params = { api_version: '2' };
  s.auth = ['user', 'pass'];
  s.timeout = { connect: 2_000, read: 5_000 };

  const plain = (await s.get(`${server.url}/get`)).json<{ args: object; headers: Record<string, string> }>();
  console.log('defaults only:', plain.args, plain.headers['X-Client'], plain.headers.Authorization);

  const overridden = (
    await s.get(`${server.url}/get`, {
      params: { api_version: '3', page: 2 },
      headers: { 'X-Trace': null, 'X-Client': 'override' },
    })
  ).json<{ args: object; headers: Record<string, string> }>();
  console.log(
    'overridden:',
    overridden.args,
    overridden.headers['X-Client'],
    'X-Trace' in overridden.headers,
  );

  const anonymous = (await s.get(`${server.url}/get`, { auth: null })).json<{
    headers: Record<string, string>;
  }>();
  console.log('auth: null removes the session auth:', !('Authorization' in anonymous.headers));
} finally {
  await server.close();
}
