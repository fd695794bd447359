import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { ChunkedEncodingError, ConnectionError, type PreparedRequest, type Response } from '@sess/core';
import { collectBody } from '../collect-body.js';
import {
  assertErrorOf,
  atHeaders,
  bytesOf,
  echoOf,
  headerValues,
  hop,
  prepare,
  rejection,
  textOf,
} from './harness.js';
import { startScriptedServer } from './raw-servers.js';
import { GZIP_TEXT, PATHS } from './routes.js';
import type { Suite } from './suite.js';

const MiB = 1024 * 1024;
const UPLOAD_SIZE = 32 * MiB;
const UPLOAD_CHUNK = 64 * 1024;
/** How far a streamed body may run ahead of its reader: socket buffers and a window, not the body. */
const MAX_AHEAD = 16 * MiB;
const DOWNLOAD_SIZE = 50 * MiB;

function everyByte(times: number): Uint8Array {
  const out = new Uint8Array(256 * times);
  for (let i = 0; i < out.length; i++) out[i] = i & 0xff;
  return out;
}

async function expectedBytes(request: PreparedRequest): Promise<Uint8Array> {
  return (await collectBody(request.body)) ?? new Uint8Array(0);
}

async function drain(res: Response): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of res.iterContent()) parts.push(c);
  return Buffer.concat(parts).toString();
}

/** Request and response bodies: what goes out, what comes back, and how much is held in between. */
export function bodyChecks(suite: Suite): void {
  suite.check(
    'request bodies',
    'none, bytes, form-encoded and multipart arrive byte for byte',
    [],
    async () => {
      const { main } = suite.env;
      await suite.withAdapter(async (adapter) => {
        const none = echoOf(await hop(adapter, await prepare(main.url(PATHS.echo))));
        assert.equal(none.bodyLength, 0);
        assert.deepEqual(
          headerValues(none.headers, 'transfer-encoding'),
          [],
          'a GET without a body is not chunked',
        );

        const requests = [
          await prepare(main.url(PATHS.echo), { method: 'POST', data: everyByte(4) }),
          await prepare(main.url(PATHS.echo), { method: 'PUT', data: { a: '1', b: 'x y', c: '\u00e9&=' } }),
          await prepare(main.url(PATHS.echo), {
            method: 'POST',
            data: { field: 'value' },
            files: { file: ['data.bin', everyByte(8), 'application/octet-stream'] },
          }),
        ];
        for (const request of requests) {
          const expected = await expectedBytes(request);
          const echo = echoOf(await hop(adapter, request));
          const what = `${request.method} ${request.headers.get('content-type') ?? 'bytes'}`;
          assert.equal(echo.bodyLength, expected.byteLength, `${what}: body length`);
          assert.deepEqual(bytesOf(echo.body), expected, `${what}: body bytes`);
          const type = request.headers.get('content-type');
          if (type !== undefined) assert.deepEqual(headerValues(echo.headers, 'content-type'), [type]);
        }
      });
    },
  );

  suite.check('raw body', 'a gzip body reaches core as sent and is decoded once', [], async () => {
    const { main } = suite.env;
    await suite.withAdapter(async (adapter) => {
      const whole = await hop(adapter, await prepare(main.url(PATHS.gzip)));
      assert.equal(textOf(whole), GZIP_TEXT);
      const streamed = await hop(adapter, await prepare(main.url(PATHS.gzip)), { stream: true });
      assert.equal(await drain(streamed), GZIP_TEXT);
    });
  });

  suite.check(
    'streamed upload',
    `an async generator of ${UPLOAD_SIZE / MiB} MiB goes out with backpressure`,
    ['network', 'streamingUpload'],
    async () => {
      const { main } = suite.env;
      const t = main.track();
      const hash = createHash('sha1');
      let produced = 0;
      let maxAhead = 0;
      async function* body(): AsyncGenerator<Uint8Array> {
        for (let i = 0; produced < UPLOAD_SIZE; i++) {
          const chunk = new Uint8Array(UPLOAD_CHUNK).fill(i & 0xff);
          produced += chunk.byteLength;
          maxAhead = Math.max(maxAhead, produced - t.bytesIn);
          hash.update(chunk);
          yield chunk;
        }
      }
      await suite.withAdapter(async (adapter) => {
        const request = await prepare(main.url(PATHS.upload, t), { method: 'POST', data: body() });
        const res = await hop(adapter, request, { timeout: { connect: 5000, read: 10_000 } });
        const answer = JSON.parse(textOf(res)) as { length: number; sha1: string };
        assert.equal(answer.length, UPLOAD_SIZE, 'bytes the server received');
        assert.equal(answer.sha1, hash.digest('hex'), 'the body arrived intact');
        assert.ok(
          maxAhead <= MAX_AHEAD,
          `the generator ran ${(maxAhead / MiB).toFixed(1)} MiB ahead of the server (at most ${MAX_AHEAD / MiB} MiB): the body was buffered`,
        );
      });
    },
  );

  suite.check(
    'streamed download',
    `${DOWNLOAD_SIZE / MiB} MiB through iterContent, never far ahead of the reader`,
    ['network'],
    async () => {
      const { main } = suite.env;
      const t = main.track();
      await suite.withAdapter(async (adapter) => {
        const request = await prepare(main.url(PATHS.download, t, { n: DOWNLOAD_SIZE }));
        const res = await atHeaders(hop(adapter, request, { stream: true }), 'the download');
        const it = res.iterContent()[Symbol.asyncIterator]();
        let got = 0;
        let chunks = 0;
        let maxAhead = 0;
        let step = await it.next();
        // The reader stalls: the server must stall too, a few buffers later.
        await new Promise((resolve) => setTimeout(resolve, 300));
        for (; !step.done; step = await it.next()) {
          got += step.value.byteLength;
          chunks++;
          maxAhead = Math.max(maxAhead, t.bytesOut - got);
        }
        assert.equal(got, DOWNLOAD_SIZE, 'bytes received');
        assert.ok(chunks > 1, 'the body came in one piece: it was buffered');
        assert.ok(
          maxAhead <= MAX_AHEAD,
          `the server got ${(maxAhead / MiB).toFixed(1)} MiB ahead of the reader (at most ${MAX_AHEAD / MiB} MiB): the body was buffered`,
        );
        assert.equal(await t.closed, true, 'the server finished its response');
      });
    },
  );

  suite.check(
    'truncated body',
    'a body cut short of its Content-Length is a ChunkedEncodingError (HTTP/2: or ConnectionError)',
    ['network'],
    async () => {
      const { main } = suite.env;
      const raw =
        suite.caps.http2 ||
        (await startScriptedServer(
          `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n${'x'.repeat(100)}`,
        ));
      const url = raw === true ? main.url(PATHS.truncated) : `http://127.0.0.1:${raw.port}/truncated`;
      // HTTP/2 has no connection to cut under one response: the stream is reset, which a transport may report either way.
      const accepted = suite.caps.http2 ? [ChunkedEncodingError, ConnectionError] : [ChunkedEncodingError];
      try {
        await suite.withAdapter(async (adapter) => {
          assertErrorOf(await rejection(hop(adapter, await prepare(url))), accepted, 'read()');
          const res = await hop(adapter, await prepare(url), { stream: true });
          assertErrorOf(await rejection(drain(res)), accepted, 'iterContent()');
        });
      } finally {
        if (raw !== true) await raw.close();
      }
    },
  );

  suite.check(
    'truncated chunked body',
    'a chunked body without its last chunk is a ChunkedEncodingError',
    ['network', 'h1'],
    async () => {
      const raw = await startScriptedServer(
        `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n${'y'.repeat(100)}\r\n`,
      );
      try {
        await suite.withAdapter(async (adapter) => {
          const url = `http://127.0.0.1:${raw.port}/chunked`;
          assertErrorOf(await rejection(hop(adapter, await prepare(url))), [ChunkedEncodingError], 'read()');
        });
      } finally {
        await raw.close();
      }
    },
  );
}
