/**
 * A transport on the global fetch, mounted for one origin: the session
 * around it redirects, keeps cookies and decodes as usual.
 */
import { startTestServer } from '@sess/testkit';
import { Session } from 'sess';
import { FetchAdapter } from './src/fetch-adapter.js';

const server = await startTestServer();
try {
  await using s = new Session();
  s.mount(server.url, new FetchAdapter());

  // The adapter returns the 302s; the session follows them and stores the cookie.
  const res = await s.get(`${server.url}/cookies/set?flavour=oat`);
  console.log(res.statusCode, res.url, `after ${res.history.length} redirect(s)`);
  console.log('cookies the server saw:', res.json<{ cookies: unknown }>().cookies);

  // fetch decoded the gzip body already; core takes it as it is.
  console.log('gzipped:', (await s.get(`${server.url}/gzip`)).json<{ gzipped: boolean }>().gzipped);

  // Streamed: chunks as they arrive.
  const stream = await s.get(`${server.url}/stream-bytes/65536?chunk_size=8192`, { stream: true });
  let bytes = 0;
  for await (const chunk of stream.iterContent()) bytes += chunk.byteLength;
  console.log('streamed', bytes, 'bytes');

  // Errors are sess's classes, whatever the transport.
  await s.get(`${server.url}/delay/2`, { timeout: { read: 200 } }).catch((err: Error) => {
    console.log('timeout:', err.name);
  });
} finally {
  await server.close();
}
