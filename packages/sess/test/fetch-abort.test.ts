import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionError, ReadTimeoutError, Session, TimeoutError } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../../core/src/fetch/index.js';
import { armDrip, routes } from './fetch-routes.js';
import { type FakeServer, startServer } from './fetch-server.js';

/** Aborts, timeouts and failures: the errors fetch callers (and SDKs' retry logic) expect. */
let server: FakeServer;
let session: Session;
let fetch: ReturnType<typeof createFetch>;
beforeAll(async () => {
  server = await startServer(routes);
  session = new Session();
  fetch = createFetch(session);
});
afterAll(async () => {
  await session.close();
  await server.close();
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function isDomException(err: unknown, name: string): boolean {
  return err instanceof DOMException && err.name === name;
}

describe('abort', () => {
  it('a signal aborted before the call: AbortError, nothing sent', async () => {
    const before = server.seen.length;
    const err = await fetch(`${server.origin}/echo`, { signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect(isDomException(err, 'AbortError')).toBe(true);
    expect(server.seen.length).toBe(before);
  });

  it('while waiting for the headers: AbortError', async () => {
    const c = new AbortController();
    const pending = fetch(`${server.origin}/hang`, { signal: c.signal });
    setTimeout(() => c.abort(), 50);
    const err = await pending.catch((e: unknown) => e);
    expect(isDomException(err, 'AbortError')).toBe(true);
  });

  it('during the body: the stream errors with the AbortError and the connection is dropped', async () => {
    const drip = armDrip();
    const c = new AbortController();
    const res = await fetch(`${server.origin}/drip`, { signal: c.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first;');
    const next = reader.read();
    c.abort();
    const err = await next.catch((e: unknown) => e);
    expect(isDomException(err, 'AbortError')).toBe(true);
    await drip.closed;
  });

  it('during the body, with no read pending: the next read fails with the AbortError', async () => {
    const drip = armDrip();
    const c = new AbortController();
    const res = await fetch(`${server.origin}/drip`, { signal: c.signal });
    c.abort();
    const err = await res.text().catch((e: unknown) => e);
    expect(isDomException(err, 'AbortError')).toBe(true);
    await drip.closed;
  });

  it("the caller's DOMException reason is kept (AbortSignal.timeout gives TimeoutError); another reason becomes the cause", async () => {
    const timedOut = await fetch(`${server.origin}/hang`, { signal: AbortSignal.timeout(50) }).catch(
      (e: unknown) => e,
    );
    expect(isDomException(timedOut, 'TimeoutError')).toBe(true);
    const c = new AbortController();
    const reason = new Error('user went away');
    const pending = fetch(`${server.origin}/hang`, { signal: c.signal });
    setTimeout(() => c.abort(reason), 20);
    const err = await pending.catch((e: unknown) => e);
    expect(isDomException(err, 'AbortError')).toBe(true);
    expect((err as Error).cause).toBe(reason);
  });

  it("a Request's signal is obeyed", async () => {
    const c = new AbortController();
    const pending = fetch(new Request(`${server.origin}/hang`, { signal: c.signal }));
    setTimeout(() => c.abort(), 20);
    expect(isDomException(await pending.catch((e: unknown) => e), 'AbortError')).toBe(true);
  });

  it('cancelling the body releases the connection: the server sees the client go', async () => {
    const drip = armDrip();
    const res = await fetch(`${server.origin}/drip`);
    await res.body?.cancel();
    await drip.closed;
    // The session still works.
    const ok = await fetch(`${server.origin}/echo`);
    expect(ok.status).toBe(200);
    await ok.text();
  });
});

describe('timeouts and failures', () => {
  it("the session's total timeout: a DOMException TimeoutError whose cause is sess's TimeoutError", async () => {
    await using s = new Session();
    s.timeout = { total: 100 };
    const err = await createFetch(s)(`${server.origin}/hang`).catch((e: unknown) => e);
    expect(isDomException(err, 'TimeoutError')).toBe(true);
    expect((err as Error).cause).toBeInstanceOf(TimeoutError);
  });

  it("a per-call timeout (init.timeout); a read timeout is TypeError('fetch failed')", async () => {
    const err = await fetch(`${server.origin}/hang`, { timeout: { read: 100 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
    expect((err as Error).cause).toBeInstanceOf(ReadTimeoutError);
  });

  it("a refused connection: TypeError('fetch failed') with a sess ConnectionError as cause", async () => {
    const err = await fetch(`http://127.0.0.1:${await closedPort()}/`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
    expect((err as Error).cause).toBeInstanceOf(ConnectionError);
  });

  it('a URL that is not one, or a bad header: a TypeError', async () => {
    await expect(fetch('not a url')).rejects.toThrow(TypeError);
    await expect(fetch(`${server.origin}/echo`, { headers: { 'Bad Name': 'x' } })).rejects.toThrow(TypeError);
    await expect(fetch(`${server.origin}/echo`, { method: 'CONNECT' })).rejects.toThrow(TypeError);
  });
});
