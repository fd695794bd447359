import { constants, type ServerHttp2Stream } from 'node:http2';
import { AbortError, TimeoutError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { respond } from './support/h2-server.js';
import { harness } from './support/harness.js';
import { prepare, sendOptions, text, timed, until } from './support/send.js';

const h = harness();

/** A server whose `/hold` streams wait to be answered by the test; it records how each stream closed. */
async function holdingServer(settings = {}) {
  const held: ServerHttp2Stream[] = [];
  const rstCodes: number[] = [];
  const server = await h.serve(
    (stream, headers) => {
      stream.on('close', () => rstCodes.push(stream.rstCode));
      if (headers[':path'] === '/hold') held.push(stream);
      else if (headers[':path'] === '/partial') {
        stream.respond({ ':status': 200 });
        stream.write('first chunk');
        held.push(stream);
      } else respond(stream, 'ok');
    },
    { settings },
  );
  return { server, held, rstCodes };
}

describe('abort', () => {
  it('a queued request: AbortError at once, nothing sent, the session serves the next request', async () => {
    const { server, held } = await holdingServer({ maxConcurrentStreams: 1 });
    const adapter = h.adapter({ maxSessionsPerOrigin: 1 });
    const first = adapter.send(await prepare(`${server.origin}/hold`), sendOptions());
    await until(() => held.length === 1);
    const ac = new AbortController();
    const queued = adapter.send(await prepare(`${server.origin}/queued`), sendOptions({ signal: ac.signal }));
    await until(() => adapter.poolStats()[server.origin]?.queued === 1);
    setTimeout(() => ac.abort(new Error('changed my mind')), 20);
    const { ms, error } = await timed(queued);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toEqual(new Error('changed my mind'));
    expect(ms).toBeLessThan(200);
    expect(adapter.poolStats()[server.origin]?.queued).toBe(0);
    respond(held[0] as ServerHttp2Stream, 'first');
    expect(text(await (await first).read())).toBe('first');
    const next = await adapter.send(await prepare(`${server.origin}/next`), sendOptions());
    expect(text(await next.read())).toBe('ok');
    expect(server.streams).toBe(2);
    expect(server.connections).toBe(1);
  });

  it('waiting for headers: AbortError, RST_STREAM CANCEL, and the session survives', async () => {
    const { server, held, rstCodes } = await holdingServer();
    const adapter = h.adapter();
    const ac = new AbortController();
    const pending = adapter.send(await prepare(`${server.origin}/hold`), sendOptions({ signal: ac.signal }));
    await until(() => held.length === 1);
    ac.abort();
    expect((await timed(pending)).error).toBeInstanceOf(AbortError);
    await until(() => rstCodes.length === 1);
    expect(rstCodes[0]).toBe(constants.NGHTTP2_CANCEL);
    const next = await adapter.send(await prepare(`${server.origin}/`), sendOptions());
    expect(text(await next.read())).toBe('ok');
    expect(server.connections).toBe(1);
  });

  it('mid-body: the read fails with AbortError, RST_STREAM CANCEL, and the session survives', async () => {
    const { server, held, rstCodes } = await holdingServer();
    const adapter = h.adapter();
    const ac = new AbortController();
    const res = await adapter.send(
      await prepare(`${server.origin}/partial`),
      sendOptions({ signal: ac.signal }),
    );
    const it = res.iterContent()[Symbol.asyncIterator]();
    expect(text((await it.next()).value as Uint8Array)).toBe('first chunk');
    setTimeout(() => ac.abort(), 20);
    const { error, ms } = await timed(it.next());
    expect(error).toBeInstanceOf(AbortError);
    expect(ms).toBeLessThan(200);
    await until(() => rstCodes.length === 1);
    expect(rstCodes[0]).toBe(constants.NGHTTP2_CANCEL);
    expect(held).toHaveLength(1);
    const next = await adapter.send(await prepare(`${server.origin}/`), sendOptions());
    expect(text(await next.read())).toBe('ok');
    expect(server.connections).toBe(1);
  });

  it("the session's deadline (a signal fired with TimeoutError) surfaces as that TimeoutError", async () => {
    const { server } = await holdingServer();
    const adapter = h.adapter();
    const ac = new AbortController();
    const deadline = new TimeoutError('The request took longer than its total timeout of 100 ms');
    setTimeout(() => ac.abort(deadline), 100);
    const { error, ms } = await timed(
      adapter.send(await prepare(`${server.origin}/hold`), sendOptions({ signal: ac.signal })),
    );
    expect(error).toBe(deadline);
    expect(ms).toBeLessThan(200);
  });

  it('an already aborted signal fails before anything is sent', async () => {
    const { server } = await holdingServer();
    const adapter = h.adapter();
    const { error } = await timed(
      adapter.send(await prepare(`${server.origin}/`), sendOptions({ signal: AbortSignal.abort() })),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(server.connections).toBe(0);
  });
});
