import { ConnectionError, Session } from 'sess';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetch } from '../src/fetch.js';
import { armDrip, type Echo, routes } from './fetch-routes.js';
import { type FakeServer, startServer } from './fetch-server.js';

/**
 * The `sess` package's own `fetch`: a throw-away session per call, closed
 * when the body is done or cancelled (not before: it streams), and on errors.
 */
let server: FakeServer;
beforeAll(async () => {
  server = await startServer(routes);
});
afterAll(() => server.close());
afterEach(() => {
  vi.restoreAllMocks();
});

function spyClose() {
  return vi.spyOn(Session.prototype, 'close');
}

describe("sess's fetch", () => {
  it('sends sess defaults and returns a global Response; the session closes when the body is read', async () => {
    const close = spyClose();
    const res = await fetch(`${server.origin}/echo`);
    expect(res).toBeInstanceOf(Response);
    expect(close).not.toHaveBeenCalled();
    const e = (await res.json()) as Echo;
    expect(e.headers.find(([k]) => k === 'User-Agent')?.[1]).toMatch(/^sess\//);
    await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(1));
  });

  it('a body still streaming keeps the session open; a cancel closes it', async () => {
    const close = spyClose();
    const drip = armDrip();
    const res = await fetch(`${server.origin}/drip`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first;');
    expect(close).not.toHaveBeenCalled();
    await reader.cancel();
    await drip.closed;
    await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(1));
  });

  it('a response without a body (HEAD, 204) closes the session at once', async () => {
    const close = spyClose();
    const res = await fetch(`${server.origin}/status/204`);
    expect(res.body).toBeNull();
    await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(1));
  });

  it('a failure closes the session and rejects as fetch does', async () => {
    const close = spyClose();
    const err = await fetch('http://127.0.0.1:1/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).cause).toBeInstanceOf(ConnectionError);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('remembers nothing between calls', async () => {
    await (await fetch(`${server.origin}/headers-out`)).text();
    const e = (await (await fetch(`${server.origin}/echo`)).json()) as Echo;
    expect(e.headers.find(([k]) => k.toLowerCase() === 'cookie')).toBeUndefined();
  });
});
