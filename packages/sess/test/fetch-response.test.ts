import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../../core/src/fetch/index.js';
import { type Echo, routes } from './fetch-routes.js';
import { type FakeServer, startServer } from './fetch-server.js';

/** The global Response session.fetch returns, and what the session adds to each request. */
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

describe('the Response', () => {
  it('is a global Response with status, statusText, ok, type and url', async () => {
    const res = await fetch(`${server.origin}/text`);
    expect(res).toBeInstanceOf(Response);
    expect([res.status, res.statusText, res.ok, res.type]).toEqual([200, 'Fine Thanks', true, 'basic']);
    expect(res.url).toBe(`${server.origin}/text`);
    await res.text();
  });

  it('clone() gives two readable bodies and keeps url and redirected', async () => {
    const res = await fetch(`${server.origin}/redirect?to=/text`);
    const twin = res.clone();
    expect(twin).toBeInstanceOf(Response);
    expect([twin.url, twin.redirected, twin.status]).toEqual([res.url, true, 200]);
    expect(await res.text()).toBe('héllo');
    expect(await twin.text()).toBe('héllo');
  });

  it('headers: lower-cased names iterated in sorted order (fetch), values and repeats kept', async () => {
    const res = await fetch(`${server.origin}/headers-out`);
    const names = [...res.headers.keys()];
    expect(names).toEqual([...names].sort());
    expect(names.every((n) => n === n.toLowerCase())).toBe(true);
    expect(res.headers.get('X-Alpha')).toBe('first');
    expect(res.headers.get('x-zeta')).toBe('last');
    expect(res.headers.get('x-multi')).toBe('one, two');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect([...res.headers].filter(([k]) => k === 'set-cookie')).toHaveLength(2);
    await res.text();
  });

  it('204, 205 and 304 have a null body; so does HEAD', async () => {
    for (const status of [204, 205, 304]) {
      const res = await fetch(`${server.origin}/status/${status}`);
      expect([res.status, res.body]).toEqual([status, null]);
      expect(res.headers.get('x-status')).toBe(String(status));
      expect(await res.text()).toBe('');
    }
    const head = await fetch(`${server.origin}/bytes`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, null]);
    expect(head.headers.get('content-type')).toBe('application/octet-stream');
    // The connection is free again.
    expect((await fetch(`${server.origin}/echo`)).status).toBe(200);
  });

  it('4xx and 5xx resolve (ok false), they do not reject, even on a session that raises for them', async () => {
    const res = await fetch(`${server.origin}/status/503`);
    expect([res.status, res.ok]).toEqual([503, false]);
    await using s = new Session();
    s.throwHttpErrors = true;
    const strict = await createFetch(s)(`${server.origin}/status/404`);
    expect([strict.status, strict.ok]).toEqual([404, false]);
  });
});

describe('the session behind it', () => {
  it('session headers merge under the caller’s; the caller’s win and keep their case on the wire', async () => {
    await using s = new Session();
    s.headers.set('X-Team', 'sess');
    s.headers.set('X-Override', 'session');
    const res = await createFetch(s)(`${server.origin}/echo`, {
      headers: [
        ['X-Override', 'caller'],
        ['x-MiXeD-CaSe', 'yes'],
      ],
    });
    const e = (await res.json()) as Echo;
    expect(e.headers).toContainEqual(['X-Team', 'sess']);
    expect(e.headers).toContainEqual(['X-Override', 'caller']);
    expect(e.headers).toContainEqual(['x-MiXeD-CaSe', 'yes']);
    expect(e.headers.find(([k]) => k === 'User-Agent')?.[1]).toMatch(/^sess\//);
  });

  it('cookies are stored from Set-Cookie and sent back (no credentials mode)', async () => {
    await using s = new Session();
    const f = createFetch(s);
    await (await f(`${server.origin}/headers-out`)).text();
    expect(s.cookies.getDict()).toEqual({ a: '1', b: '2' });
    const e = (await (await f(`${server.origin}/echo`)).json()) as Echo;
    expect(e.headers.find(([k]) => k.toLowerCase() === 'cookie')?.[1]).toBe('a=1; b=2');
  });

  it('baseUrl and params apply; a relative URL is joined to baseUrl', async () => {
    await using s = new Session();
    s.baseUrl = server.origin;
    s.params = { v: '2' };
    const e = (await (await createFetch(s)('echo?q=1')).json()) as Echo;
    expect(e.url).toBe('/echo?q=1&v=2');
  });

  it('is bound: destructured and called without a this, it still uses the session', async () => {
    await using s = new Session();
    s.headers.set('X-Bound', 'yes');
    const { fetch: f } = { fetch: createFetch(s) };
    // The global fetch's type: anything typed to take one takes it.
    const asGlobal: typeof globalThis.fetch = f;
    void asGlobal;
    const call = f.bind(undefined);
    const e = (await (await call(`${server.origin}/echo`)).json()) as Echo;
    expect(e.headers).toContainEqual(['X-Bound', 'yes']);
  });
});
