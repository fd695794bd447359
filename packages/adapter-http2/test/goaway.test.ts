import { constants, type ServerHttp2Stream } from 'node:http2';
import { ConnectionError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { respond } from './support/h2-server.js';
import { harness } from './support/harness.js';
import { prepare, sendOptions, settle, text, until } from './support/send.js';

const h = harness();

describe('GOAWAY and refused streams', () => {
  it('GOAWAY mid-load: every request succeeds on a new session or fails with ConnectionError, none processed twice', async () => {
    const processed = new Map<string, number>();
    const perSession = new Map<unknown, number>();
    const server = await h.serve((stream, headers, session) => {
      const n = (perSession.get(session) ?? 0) + 1;
      perSession.set(session, n);
      // Every session goes away after its 25th stream; the streams the client already sent past it are refused.
      if (n === 25) session.goaway(constants.NGHTTP2_NO_ERROR, stream.id);
      setTimeout(() => {
        if (stream.destroyed || stream.closed) return;
        const id = String(headers['x-request-id']);
        processed.set(id, (processed.get(id) ?? 0) + 1);
        respond(stream, id);
      }, 5);
    });
    const adapter = h.adapter({ maxSessionsPerOrigin: 4 });
    const t0 = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) =>
        settle(
          (async () => {
            const res = await adapter.send(
              await prepare(`${server.origin}/`, { headers: { 'x-request-id': `r${i}` } }),
              sendOptions(),
            );
            return text(await res.read());
          })(),
        ),
      ),
    );
    const ms = performance.now() - t0;
    let ok = 0;
    results.forEach((r, i) => {
      if (r.ok) {
        ok++;
        expect(r.value).toBe(`r${i}`);
        expect(processed.get(`r${i}`)).toBe(1);
      } else expect(r.error).toBeInstanceOf(ConnectionError);
    });
    for (const count of processed.values()) expect(count).toBe(1);
    expect(server.connections).toBeGreaterThan(1);
    console.info(
      `GOAWAY every 25 streams: ${ok}/200 ok, ${200 - ok} ConnectionError, ${server.connections} connections, ${server.streams} streams seen, ${Math.round(ms)} ms`,
    );
  });

  it('re-sends a request refused with REFUSED_STREAM once, on the same session', async () => {
    let seen = 0;
    const server = await h.serve((stream) => {
      seen++;
      if (seen === 1) stream.close(constants.NGHTTP2_REFUSED_STREAM);
      else respond(stream, 'second time');
    });
    const adapter = h.adapter();
    const res = await adapter.send(
      await prepare(`${server.origin}/`, { method: 'POST', data: 'payload' }),
      sendOptions(),
    );
    expect(text(await res.read())).toBe('second time');
    expect(seen).toBe(2);
    expect(server.connections).toBe(1);
  });

  it('gives up with ConnectionError when the server refuses again', async () => {
    const server = await h.serve((stream) => stream.close(constants.NGHTTP2_REFUSED_STREAM));
    const adapter = h.adapter();
    const r = await settle(adapter.send(await prepare(`${server.origin}/`), sendOptions()));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBeInstanceOf(ConnectionError);
    expect(server.streams).toBe(2);
  });

  it('does not re-send a one-shot streamed body that was already pulled from', async () => {
    const server = await h.serve((stream) => {
      stream.once('data', () => stream.close(constants.NGHTTP2_REFUSED_STREAM));
    });
    const adapter = h.adapter();
    async function* body() {
      yield new TextEncoder().encode('one-shot');
      await new Promise((resolve) => setTimeout(resolve, 50));
      yield new TextEncoder().encode('more');
    }
    const r = await settle(
      adapter.send(await prepare(`${server.origin}/`, { method: 'POST', data: body() }), sendOptions()),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBeInstanceOf(ConnectionError);
    expect(server.streams).toBe(1);
  });

  it('a session error fails only its own streams', async () => {
    const held: ServerHttp2Stream[] = [];
    const server = await h.serve((stream) => held.push(stream), { settings: { maxConcurrentStreams: 1 } });
    const adapter = h.adapter({ maxSessionsPerOrigin: 2 });
    const a = settle(adapter.send(await prepare(`${server.origin}/a`), sendOptions()));
    const b = settle(adapter.send(await prepare(`${server.origin}/b`), sendOptions()));
    await until(() => held.length === 2);
    expect(server.connections).toBe(2);
    const [first, second] = held as [ServerHttp2Stream, ServerHttp2Stream];
    first.session?.destroy(new Error('boom'));
    respond(second, 'fine');
    const [ra, rb] = await Promise.all([a, b]);
    const failed = ra.ok ? rb : ra;
    const passed = ra.ok ? ra : rb;
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error).toBeInstanceOf(ConnectionError);
    expect(passed.ok).toBe(true);
    if (passed.ok) expect(text(await passed.value.read())).toBe('fine');
  });
});
