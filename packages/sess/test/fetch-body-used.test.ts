import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../../core/src/fetch/index.js';
import { armDrip, routes } from './fetch-routes.js';
import { type FakeServer, startServer } from './fetch-server.js';

/**
 * fetch's one-read rule (bodyUsed, locked streams, clone before reading)
 * holds whichever way the body is read: whole (text(), json(), ...) or as
 * the `body` stream, which is made only when asked for.
 */
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

describe('bodyUsed and the one-read rule', () => {
  it('text() uses the body: bodyUsed, a second read and a clone are TypeErrors', async () => {
    const res = await fetch(`${server.origin}/text`);
    expect(res.bodyUsed).toBe(false);
    const text = res.text();
    expect(res.bodyUsed).toBe(true);
    expect(await text).toBe('héllo');
    await expect(res.json()).rejects.toThrow(TypeError);
    expect(() => res.clone()).toThrow(TypeError);
  });

  it('body is one stream, the same on every access; locking it makes text() a TypeError', async () => {
    const res = await fetch(`${server.origin}/text`);
    const body = res.body;
    expect(body).toBe(res.body);
    expect(res.bodyUsed).toBe(false);
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    await expect(res.text()).rejects.toThrow(TypeError);
    await reader.cancel();
    expect(res.bodyUsed).toBe(true);
  });

  it('body asked for after text(): a used-up stream that reads as done', async () => {
    const res = await fetch(`${server.origin}/text`);
    await res.text();
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(true);
  });

  it('bytes(), arrayBuffer(), blob() and formData() through the same path', async () => {
    // bytes() is newer than Node 20's typings.
    const withBytes = (await fetch(`${server.origin}/bytes`)) as Response & { bytes(): Promise<Uint8Array> };
    const bytes = await withBytes.bytes();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.byteLength).toBe(256);
    const buf = await (await fetch(`${server.origin}/text`)).arrayBuffer();
    expect(buf.byteLength).toBe(Buffer.byteLength('héllo'));
    const blob = await (await fetch(`${server.origin}/text`)).blob();
    expect([blob.type, await blob.text()]).toEqual(['text/plain;charset=utf-8', 'héllo']);
    const form = await (await fetch(`${server.origin}/form-out`)).formData();
    expect([...form]).toEqual([
      ['k', 'v'],
      ['x', '1'],
    ]);
  });

  it('clone() before reading: both read whole, in either order, and bodyUsed is per response', async () => {
    const res = await fetch(`${server.origin}/text`);
    const twin = res.clone();
    expect(await twin.arrayBuffer()).toBeInstanceOf(ArrayBuffer);
    expect(twin.bodyUsed).toBe(true);
    expect(res.bodyUsed).toBe(false);
    expect(await res.text()).toBe('héllo');
    expect(res.bodyUsed).toBe(true);
    const again = await fetch(`${server.origin}/text`);
    const second = again.clone();
    const third = again.clone();
    expect([await again.text(), await second.text(), await third.text()]).toEqual([
      'héllo',
      'héllo',
      'héllo',
    ]);
  });

  it('an abort with the body never touched releases the connection at once', async () => {
    const drip = armDrip();
    const c = new AbortController();
    const res = await fetch(`${server.origin}/drip`, { signal: c.signal });
    c.abort();
    await drip.closed;
    await expect(res.text()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a Response dropped unread gives its connection back when it is garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const drip = armDrip();
    // Made in a function of its own, so that nothing here keeps the Response.
    const status = await (async () => (await fetch(`${server.origin}/drip`)).status)();
    expect(status).toBe(200);
    let closed = false;
    void drip.closed.then(() => {
      closed = true;
    });
    for (let i = 0; i < 50 && !closed; i++) {
      gc();
      await sleep(20);
    }
    expect(closed).toBe(true);
  });
});
