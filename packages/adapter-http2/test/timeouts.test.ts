import type { ServerHttp2Stream } from 'node:http2';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ConnectTimeoutError, ReadTimeoutError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { serverTls } from './support/fixtures.js';
import { respond } from './support/h2-server.js';
import { harness } from './support/harness.js';
import { startRawH2 } from './support/raw-h2.js';
import { prepare, sendOptions, sleep, text, timed, until } from './support/send.js';

const h = harness();

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets: net.Socket[] = [];
  server.on('connection', (s: net.Socket) => sockets.push(s));
  h.track({
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
  return (server.address() as net.AddressInfo).port;
}

describe('timeouts', () => {
  it('connect: a TLS handshake that never completes -> ConnectTimeoutError within 2x', async () => {
    let accepted = 0;
    const port = await listen(
      net.createServer((s) => {
        accepted++;
        s.on('error', () => {});
        s.resume();
      }),
    );
    const adapter = h.adapter();
    // A cold burst: ten requests share the one attempt, and its fate.
    const results = await Promise.all(
      Array.from({ length: 10 }, async () =>
        timed(
          adapter.send(
            await prepare(`https://127.0.0.1:${port}/`),
            sendOptions({ timeout: { connect: 200 } }),
          ),
        ),
      ),
    );
    for (const { error, ms } of results) {
      expect(error).toBeInstanceOf(ConnectTimeoutError);
      expect(ms).toBeGreaterThanOrEqual(180);
      expect(ms).toBeLessThan(400);
    }
    expect(accepted).toBe(1);
    console.info(`connect timeout 200 ms (TLS stall) -> ${Math.round(results[0]?.ms ?? 0)} ms`);
  });

  it('connect: TLS + ALPN h2 done but no SETTINGS frame ever -> ConnectTimeoutError within 2x', async () => {
    const port = await listen(
      tls.createServer({ ...serverTls(), ALPNProtocols: ['h2'] }, (s) => {
        s.on('error', () => {});
        s.resume();
      }),
    );
    const adapter = h.adapter();
    const { error, ms } = await timed(
      adapter.send(await prepare(`https://127.0.0.1:${port}/`), sendOptions({ timeout: { connect: 200 } })),
    );
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect((error as Error).message).toMatch(/SETTINGS/);
    expect(ms).toBeLessThan(400);
  });

  it('connect: h2c with no SETTINGS frame ever -> ConnectTimeoutError within 2x', async () => {
    const raw = h.track(await startRawH2({ settings: null }));
    const adapter = h.adapter({ h2c: true });
    const { error, ms } = await timed(
      adapter.send(await prepare(`${raw.origin}/`), sendOptions({ timeout: { connect: 200 } })),
    );
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(180);
    expect(ms).toBeLessThan(400);
    await until(() => raw.sockets.every((s) => s.destroyed));
  });

  it('read: no headers -> ReadTimeoutError within 2x; the session serves the next request', async () => {
    const server = await h.serve((stream, headers) => {
      if (headers[':path'] !== '/silent') respond(stream, 'ok');
    });
    const adapter = h.adapter();
    const { error, ms } = await timed(
      adapter.send(await prepare(`${server.origin}/silent`), sendOptions({ timeout: { read: 200 } })),
    );
    expect(error).toBeInstanceOf(ReadTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(180);
    expect(ms).toBeLessThan(400);
    const next = await adapter.send(await prepare(`${server.origin}/`), sendOptions());
    expect(text(await next.read())).toBe('ok');
    expect(server.connections).toBe(1);
    console.info(`read timeout 200 ms (no headers) -> ${Math.round(ms)} ms`);
  });

  it('read: a body that stalls mid-way -> ReadTimeoutError within 2x', async () => {
    const server = await h.serve((stream) => {
      stream.respond({ ':status': 200 });
      stream.write('part');
    });
    const adapter = h.adapter();
    const res = await adapter.send(
      await prepare(`${server.origin}/`),
      sendOptions({ timeout: { read: 200 } }),
    );
    const { error, ms } = await timed(res.read());
    expect(error).toBeInstanceOf(ReadTimeoutError);
    expect(ms).toBeLessThan(400);
  });

  it('read: the clock restarts on every chunk, and does not run while the caller is slow', async () => {
    const server = await h.serve(async (stream: ServerHttp2Stream) => {
      stream.respond({ ':status': 200 });
      for (let i = 0; i < 4; i++) {
        await sleep(80);
        if (stream.destroyed) return;
        stream.write(`${i}`);
      }
      stream.end();
    });
    const adapter = h.adapter();
    const res = await adapter.send(
      await prepare(`${server.origin}/`),
      sendOptions({ timeout: { read: 200 } }),
    );
    let body = '';
    for await (const chunk of res.iterContent()) {
      body += text(chunk);
      // A slow reader is not a silent server.
      await sleep(250);
    }
    expect(body).toBe('0123');
  });
});
