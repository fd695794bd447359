import type { ServerHttp2Stream } from 'node:http2';
import { describe, expect, it } from 'vitest';
import { harness } from './support/harness.js';
import { prepare, sendOptions, sleep, text, until } from './support/send.js';

const h = harness();
const MB = 1024 * 1024;

/** Answers with the number of request body bytes received. */
function countingHandler(onStream?: (stream: ServerHttp2Stream, received: () => number) => void) {
  return (stream: ServerHttp2Stream) => {
    let received = 0;
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    stream.on('end', () => {
      stream.respond({ ':status': 200 });
      stream.end(String(received));
    });
    onStream?.(stream, () => received);
  };
}

describe('bodies', () => {
  it('streams a 20 MB upload with backpressure to a server that reads slowly', async () => {
    let serverReceived = () => 0;
    let serverStream: ServerHttp2Stream | undefined;
    const server = await h.serve(
      countingHandler((stream, received) => {
        serverStream = stream;
        serverReceived = received;
        // Read nothing for a while: flow control must hold the client back.
        stream.pause();
      }),
    );
    const adapter = h.adapter();
    let produced = 0;
    async function* body() {
      const chunk = new Uint8Array(64 * 1024);
      for (let i = 0; i < 320; i++) {
        produced += chunk.byteLength;
        yield chunk;
      }
    }
    const t0 = performance.now();
    const pending = adapter.send(
      await prepare(`${server.origin}/up`, { method: 'POST', data: body() }),
      sendOptions(),
    );
    await until(() => serverStream !== undefined);
    await sleep(300);
    const pulledWhilePaused = produced;
    expect(serverReceived()).toBe(0);
    expect(pulledWhilePaused).toBeLessThan(1 * MB);
    serverStream?.resume();
    const res = await pending;
    expect(text(await res.read())).toBe(String(20 * MB));
    console.info(
      `20 MB upload: ${(pulledWhilePaused / 1024).toFixed(0)} KiB pulled from the source while the server read nothing, done in ${Math.round(performance.now() - t0)} ms`,
    );
  });

  it('sends a 20 MB in-memory body', async () => {
    const server = await h.serve(countingHandler());
    const adapter = h.adapter();
    const res = await adapter.send(
      await prepare(`${server.origin}/`, { method: 'PUT', data: new Uint8Array(20 * MB) }),
      sendOptions(),
    );
    expect(text(await res.read())).toBe(String(20 * MB));
  });

  it('streams a 64 MB download; a slow reader holds the server back', async () => {
    const total = 64 * MB;
    let sent = 0;
    const server = await h.serve(async (stream) => {
      stream.respond({ ':status': 200, 'content-length': String(total) });
      const chunk = Buffer.alloc(64 * 1024, 7);
      while (sent < total && !stream.destroyed) {
        sent += chunk.length;
        if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
      }
      stream.end();
    });
    const adapter = h.adapter();
    const t0 = performance.now();
    const res = await adapter.send(await prepare(`${server.origin}/big`), sendOptions());
    const chunks = res.iterContent()[Symbol.asyncIterator]();
    let got = ((await chunks.next()).value as Uint8Array).byteLength;
    await sleep(300);
    const sentWhilePaused = sent;
    // The stream window (256 KiB), our buffer (64 KiB) and socket buffers: nowhere near 64 MB.
    expect(sentWhilePaused).toBeLessThan(8 * MB);
    for (;;) {
      const r = await chunks.next();
      if (r.done) break;
      got += r.value.byteLength;
    }
    expect(got).toBe(total);
    const ms = performance.now() - t0;
    console.info(
      `64 MB download: ${(sentWhilePaused / MB).toFixed(2)} MB sent while the reader paused, ${Math.round(ms)} ms total`,
    );
  });

  it('many large downloads at once share one session', async () => {
    const server = await h.serve(
      (stream) => {
        stream.respond({ ':status': 200 });
        stream.end(Buffer.alloc(2 * MB, 1));
        // Node's server refuses streams past 10 MB of queued output by default.
      },
      { server: { maxSessionMemory: 100 } },
    );
    const adapter = h.adapter();
    const sizes = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await adapter.send(await prepare(`${server.origin}/`), sendOptions());
        return (await res.read()).byteLength;
      }),
    );
    expect(sizes).toEqual(Array(10).fill(2 * MB));
    expect(server.connections).toBe(1);
  });
});
