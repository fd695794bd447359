/** Stream a body chunk by chunk with progress; memory stays at one chunk. */
import { startTestServer } from '@sess/testkit';
import { Session } from 'sess';

const server = await startTestServer();
try {
  await using s = new Session();
  const size = 5 * 1024 * 1024;
  const res = await s.get(`${server.url}/stream-bytes/${size}`, {
    stream: true,
    params: { chunk_size: 65536 },
  });
  let received = 0;
  let lastShown = 0;
  for await (const chunk of res.iterContent(64 * 1024)) {
    received += chunk.byteLength;
    const pct = Math.floor((received / size) * 100);
    if (pct >= lastShown + 20) {
      lastShown = pct;
      console.log(`progress ${pct}% (${received} bytes)`);
    }
  }
  console.log('done:', received, 'bytes');
} finally {
  await server.close();
}
