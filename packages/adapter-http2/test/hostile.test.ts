import { constants } from 'node:http2';
import { ChunkedEncodingError, ConnectionError, ReadTimeoutError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { FLAG, FRAME, frame, headerBlock, literal, SETTING } from './support/frames.js';
import { respond } from './support/h2-server.js';
import { harness } from './support/harness.js';
import { type RawConnection, startRawH2, startRawServer } from './support/raw-h2.js';
import { prepare, sendOptions, text, timed } from './support/send.js';

const h = harness();

describe('hostile servers end in a typed error, in bounded time and memory', () => {
  it('a CONTINUATION flood -> ConnectionError quickly, after a bounded number of bytes', async () => {
    const raw = h.track(
      await startRawH2({
        onRequest(conn: RawConnection, id: number) {
          conn.write(frame(FRAME.HEADERS, 0, id, headerBlock(200, [['x-a', 'b']])));
          const flood = frame(FRAME.CONTINUATION, 0, id, literal('x-flood', 'y'.repeat(1000)));
          const pump = () => {
            while (!conn.socket.destroyed && raw.written < 256 * 1024 * 1024) {
              if (!conn.write(flood)) {
                conn.socket.once('drain', pump);
                return;
              }
            }
          };
          pump();
        },
      }),
    );
    const adapter = h.adapter({ h2c: true });
    const { error, ms } = await timed(adapter.send(await prepare(`${raw.origin}/`), sendOptions()));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(ms).toBeLessThan(2000);
    // What the server managed to push before the client hung up: socket buffers, not the flood.
    expect(raw.written).toBeLessThan(32 * 1024 * 1024);
    console.info(
      `CONTINUATION flood: ConnectionError after ${Math.round(ms)} ms, ${(raw.written / 1e6).toFixed(1)} MB written`,
    );
  });

  it('a header list over maxHeaderListSize -> ConnectionError, even before our SETTINGS are acknowledged', async () => {
    const fields: Array<[string, string]> = Array.from({ length: 40 }, (_, i) => [
      `x-h${i}`,
      'v'.repeat(1000),
    ]);
    const raw = h.track(
      await startRawH2({
        onRequest(conn, id) {
          const block = headerBlock(200, fields);
          // Split across CONTINUATION frames like a real server with a 16 KiB frame size.
          const parts: Buffer[] = [];
          for (let i = 0; i < block.length; i += 16_384) parts.push(block.subarray(i, i + 16_384));
          parts.forEach((part, i) => {
            const last = i === parts.length - 1;
            const flags = (last ? FLAG.END_HEADERS : 0) | (i === 0 ? FLAG.END_STREAM : 0);
            conn.write(frame(i === 0 ? FRAME.HEADERS : FRAME.CONTINUATION, flags, id, part));
          });
        },
      }),
    );
    const small = h.adapter({ h2c: true, maxHeaderListSize: 16_384 });
    const err = (await timed(small.send(await prepare(`${raw.origin}/`), sendOptions()))).error;
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/maxHeaderListSize/);
    // The same 40 KiB of headers is fine under the default (64 KiB).
    const roomy = h.adapter({ h2c: true });
    const res = await roomy.send(await prepare(`${raw.origin}/`), sendOptions());
    expect(res.headers.get('x-h39')).toBe('v'.repeat(1000));
  });

  it('a flow-control window that never opens -> ReadTimeoutError within 2x; the upload is held back', async () => {
    const raw = h.track(await startRawH2({ settings: [[SETTING.INITIAL_WINDOW_SIZE, 0]] }));
    const adapter = h.adapter({ h2c: true });
    let pulled = 0;
    async function* body() {
      for (let i = 0; i < 1000; i++) {
        pulled += 16_384;
        yield new Uint8Array(16_384);
      }
    }
    const { error, ms } = await timed(
      adapter.send(
        await prepare(`${raw.origin}/`, { method: 'POST', data: body() }),
        sendOptions({ timeout: { read: 200 } }),
      ),
    );
    expect(error).toBeInstanceOf(ReadTimeoutError);
    expect(ms).toBeLessThan(400);
    // 16 MB offered; with no window only Node's write buffer's worth was taken.
    expect(pulled).toBeLessThan(1024 * 1024);
    console.info(
      `stalled window: ReadTimeoutError after ${Math.round(ms)} ms, ${pulled} bytes pulled of 16 MB`,
    );
  });

  it('a stream reset mid-body -> ChunkedEncodingError; the session lives on', async () => {
    const server = await h.serve((stream, headers) => {
      if (headers[':path'] !== '/reset') return respond(stream, 'ok');
      stream.respond({ ':status': 200, 'content-length': '100000' });
      stream.write(Buffer.alloc(10_000), () => stream.close(constants.NGHTTP2_INTERNAL_ERROR));
    });
    const adapter = h.adapter();
    const res = await adapter.send(await prepare(`${server.origin}/reset`), sendOptions());
    const { error, ms } = await timed(res.read());
    expect(error).toBeInstanceOf(ChunkedEncodingError);
    expect(ms).toBeLessThan(1000);
    const next = await adapter.send(await prepare(`${server.origin}/`), sendOptions());
    expect(text(await next.read())).toBe('ok');
    expect(server.connections).toBe(1);
  });

  it('a PUSH_PROMISE although we sent ENABLE_PUSH 0 -> ConnectionError, no hang', async () => {
    const raw = h.track(
      await startRawH2({
        onRequest(conn, id) {
          const promised = Buffer.concat([
            Buffer.from([0, 0, 0, 2]),
            literal(':method', 'GET'),
            literal(':path', '/pushed'),
            literal(':scheme', 'http'),
            literal(':authority', 'x'),
          ]);
          conn.write(frame(FRAME.PUSH_PROMISE, FLAG.END_HEADERS, id, promised));
          conn.write(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, id, headerBlock(200)));
        },
      }),
    );
    const adapter = h.adapter({ h2c: true });
    const { error, ms } = await timed(adapter.send(await prepare(`${raw.origin}/`), sendOptions()));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(ms).toBeLessThan(1000);
  });

  it('a dead peer (PING never answered) -> ConnectionError within ~2 ping intervals, without a read timeout', async () => {
    const raw = h.track(await startRawH2({ ignorePing: true }));
    const adapter = h.adapter({ h2c: true, pingInterval: 150 });
    const { error, ms } = await timed(adapter.send(await prepare(`${raw.origin}/`), sendOptions()));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/PING/);
    expect(ms).toBeLessThan(600);
    console.info(`dead peer: ConnectionError after ${Math.round(ms)} ms (pingInterval 150)`);
  });

  it('a peer that answers PING keeps its session', async () => {
    const server = await h.serve((stream) => setTimeout(() => respond(stream, 'slow but alive'), 400), {
      secure: false,
    });
    const adapter = h.adapter({ h2c: true, pingInterval: 100 });
    const res = await adapter.send(await prepare(`${server.origin}/`), sendOptions());
    expect(text(await res.read())).toBe('slow but alive');
  });

  it('a server that is not HTTP/2 at all -> ConnectionError', async () => {
    const garbage = h.track(
      await startRawServer((s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')),
    );
    const adapter = h.adapter({ h2c: true });
    const { error, ms } = await timed(
      adapter.send(await prepare(`${garbage.origin}/`), sendOptions({ timeout: { connect: 1000 } })),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(ms).toBeLessThan(1000);
  });

  it('a GOAWAY (last stream 0) on every session -> ConnectionError after a bounded number of tries', async () => {
    const goaway = Buffer.alloc(8); // last-stream-id 0, NO_ERROR
    const raw = h.track(
      await startRawH2({ onRequest: (conn) => conn.write(frame(FRAME.GOAWAY, 0, 0, goaway)) }),
    );
    const adapter = h.adapter({ h2c: true });
    const { error, ms } = await timed(adapter.send(await prepare(`${raw.origin}/`), sendOptions()));
    expect(error).toBeInstanceOf(ConnectionError);
    // The first try and three re-sends, each on a new connection: never a loop.
    expect(raw.sockets.length).toBe(4);
    expect(ms).toBeLessThan(2000);
  });
});
