import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../../core/src/fetch/index.js';
import { type Echo, routes } from './fetch-routes.js';
import { type FakeServer, startServer } from './fetch-server.js';

/** session.fetch's redirect modes: follow (the session's rules), manual (the 3xx as is), error. */
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

describe("redirect: 'follow' (the default)", () => {
  it('follows to the end: redirected is true, url is the final URL', async () => {
    const res = await fetch(`${server.origin}/redirect?to=/echo?landed=1`);
    expect(res.status).toBe(200);
    expect(res.redirected).toBe(true);
    expect(res.url).toBe(`${server.origin}/echo?landed=1`);
    expect(((await res.json()) as Echo).url).toBe('/echo?landed=1');
  });

  it('a 303 after a POST becomes a GET; a 307 sends the method and body again', async () => {
    const r303 = await fetch(`${server.origin}/redirect?status=303`, { method: 'POST', body: 'x' });
    expect(((await r303.json()) as Echo).method).toBe('GET');
    const r307 = await fetch(`${server.origin}/redirect?status=307`, { method: 'POST', body: 'again' });
    const e = (await r307.json()) as Echo;
    expect([e.method, e.body]).toEqual(['POST', 'again']);
  });

  it('a response that was not redirected says so', async () => {
    const res = await fetch(`${server.origin}/echo`);
    expect(res.redirected).toBe(false);
    expect(res.url).toBe(`${server.origin}/echo`);
    await res.body?.cancel();
  });
});

describe("redirect: 'manual'", () => {
  it('returns the 3xx itself, Location and body included (as undici does)', async () => {
    const res = await fetch(`${server.origin}/redirect?to=/echo`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/echo');
    expect(res.redirected).toBe(false);
    expect(res.url).toBe(`${server.origin}/redirect?to=/echo`);
    expect(await res.text()).toBe('redirecting to /echo');
  });

  it("is read off a Request's redirect too", async () => {
    const res = await fetch(new Request(`${server.origin}/redirect?status=301`, { redirect: 'manual' }));
    expect(res.status).toBe(301);
    await res.body?.cancel();
  });
});

describe("redirect: 'error'", () => {
  it("rejects a redirect with TypeError('fetch failed'), cause 'unexpected redirect'", async () => {
    const err = await fetch(`${server.origin}/redirect`, { redirect: 'error' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
    expect(((err as Error).cause as Error).message).toBe('unexpected redirect');
  });

  it('lets a response that is not a redirect through', async () => {
    const res = await fetch(`${server.origin}/echo`, { redirect: 'error' });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it('an unknown mode is a TypeError', async () => {
    await expect(
      fetch(`${server.origin}/echo`, { redirect: 'sideways' } as unknown as RequestInit),
    ).rejects.toThrow(TypeError);
  });
});
