/** Stream a body chunk by chunk with progress; memory stays at one chunk. */
import { startTestServer } from '@sess/testkit';
import { Session } from 'sess';

const server = await startTestServer();
try {
  await using s = new Session();
  const size = 5 * 1024 * 1024;
  let lastShown = -20;
  const res = await s.get(`${server.url}/stream-bytes/${size}`, {
    stream: true,
    params: { chunk_size: 65536 },
    // Called at most every 50 ms and once at the end; the total is known when the server sends a
    // Content-Length (stream-bytes is chunked, so it is the size we asked for).
    onDownloadProgress: ({ loaded, total }) => {
      const pct = Math.floor((loaded / (total ?? size)) * 100);
      if (pct >= lastShown + 20 || loaded === size) {
        lastShown = pct;
        console.log(`progress ${pct}% (${loaded} bytes)`);
      }
    },
  });
  let received = 0;
  for await (const chunk of res.iterContent(64 * 1024)) received += chunk.byteLength;
  console.log('done:', received, 'bytes');
} finally {
  await server.close();
}
