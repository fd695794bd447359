/**
 * A transport is two methods. This one answers `https://internal.example`
 * from memory (say, a cache or an in-process service); every other URL
 * still goes through the mounted UndiciAdapter.
 */
import { startTestServer } from '@sess/testkit';
import { type Adapter, type PreparedRequest, Response, Session } from 'sess';

class InProcessAdapter implements Adapter {
  sent = 0;
  async send(request: PreparedRequest): Promise<Response> {
    this.sent++;
    const body = new TextEncoder().encode(JSON.stringify({ answeredBy: 'in-process', url: request.url }));
    return new Response({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      url: request.url,
      request,
      body,
    });
  }
  async close(): Promise<void> {}
}

const server = await startTestServer();
try {
  await using s = new Session();
  const local = new InProcessAdapter();
  s.mount('https://internal.example', local);
  console.log((await s.get('https://internal.example/users/1')).json());
  console.log('network:', (await s.get(`${server.url}/get`)).statusCode);
  // Matching is on the parsed host, so a look-alike host never reaches the custom adapter.
  console.log(
    'adapter for internal.example.evil.test is undici:',
    s.getAdapter('https://internal.example.evil.test/') !== local,
  );
  console.log('in-process adapter answered', local.sent, 'request(s)');
} finally {
  await server.close();
}
