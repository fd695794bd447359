import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/index.js';
import { headerValues, send } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('cookies', () => {
  it('/cookies lists the Cookie header by name', async () => {
    const res = await send(`${server.url}/cookies`, { headers: { Cookie: 'a=1; b=two; a=shadowed' } });
    expect(res.json()).toEqual({ cookies: { a: '1', b: 'two' } });
  });

  it('/cookies with no Cookie header is empty', async () => {
    expect((await send(`${server.url}/cookies`)).json()).toEqual({ cookies: {} });
  });

  it('/cookies/set?name=value sets each one and redirects to /cookies', async () => {
    const res = await send(`${server.url}/cookies/set?k1=v1&k2=v2`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/cookies');
    expect(headerValues(res, 'set-cookie')).toEqual(['k1=v1; Path=/', 'k2=v2; Path=/']);
  });

  it('/cookies/set/NAME/VALUE sets one cookie', async () => {
    const res = await send(`${server.url}/cookies/set/flavour/oat`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/cookies');
    expect(headerValues(res, 'set-cookie')).toEqual(['flavour=oat; Path=/']);
  });

  it('/cookies/delete expires the named cookies', async () => {
    const res = await send(`${server.url}/cookies/delete?a&b`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/cookies');
    const cookies = headerValues(res, 'set-cookie');
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(/^a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=\/$/);
    expect(cookies[1]).toMatch(/^b=; /);
  });

  it('answers a cookie value that would split the header with 400 and keeps serving', async () => {
    const res = await send(`${server.url}/cookies/set/a/b%0d%0aX-Injected:%201`);
    expect(res.status).toBe(400);
    expect(res.headers['x-injected']).toBeUndefined();
    expect((await send(`${server.url}/get`)).status).toBe(200);
  });
});

/** Follows Location headers by hand, returning every status and location seen. */
async function chain(start: string, limit = 10): Promise<Array<[number, string | undefined]>> {
  const seen: Array<[number, string | undefined]> = [];
  let url = start;
  for (let i = 0; i < limit; i++) {
    const res = await send(url);
    seen.push([res.status, res.headers.location]);
    if (!res.headers.location) break;
    url = new URL(res.headers.location, url).href;
  }
  return seen;
}

describe('redirects', () => {
  it('/redirect/N is a chain of N relative 302s ending at /get', async () => {
    expect(await chain(`${server.url}/redirect/3`)).toEqual([
      [302, '/relative-redirect/2'],
      [302, '/relative-redirect/1'],
      [302, '/get'],
      [200, undefined],
    ]);
  });

  it('/redirect/N?absolute=true and /absolute-redirect/N use absolute URLs', async () => {
    expect(await chain(`${server.url}/absolute-redirect/2`)).toEqual([
      [302, `${server.url}/absolute-redirect/1`],
      [302, `${server.url}/get`],
      [200, undefined],
    ]);
    const res = await send(`${server.url}/redirect/1?absolute=true`);
    expect(res.headers.location).toBe(`${server.url}/get`);
  });

  it('/relative-redirect/1 goes straight to /get; a count of 0 is not found', async () => {
    expect((await send(`${server.url}/relative-redirect/1`)).headers.location).toBe('/get');
    expect((await send(`${server.url}/redirect/0`)).status).toBe(404);
  });

  it('redirect responses carry a small body to drain', async () => {
    const res = await send(`${server.url}/redirect/1`);
    expect(res.body.byteLength).toBeGreaterThan(0);
    expect(Number(res.headers['content-length'])).toBe(res.body.byteLength);
  });

  it('/redirect-to sends any 3xx to any URL, for any method', async () => {
    for (const [method, code] of [
      ['GET', 301],
      ['POST', 307],
      ['PUT', 308],
      ['DELETE', 303],
    ] as const) {
      const target = encodeURIComponent('https://elsewhere.test/path?x=1');
      const res = await send(`${server.url}/redirect-to?url=${target}&status_code=${code}`, { method });
      expect(res.status).toBe(code);
      expect(res.headers.location).toBe('https://elsewhere.test/path?x=1');
    }
  });

  it('/redirect-to defaults to 302, ignores a status outside 3xx, and needs url', async () => {
    expect((await send(`${server.url}/redirect-to?url=/get`)).status).toBe(302);
    expect((await send(`${server.url}/redirect-to?url=/get&status_code=200`)).status).toBe(302);
    expect((await send(`${server.url}/redirect-to`)).status).toBe(400);
  });

  it('/redirect-to reads url and status_code from a POSTed form', async () => {
    const res = await send(`${server.url}/redirect-to`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'url=%2Fanything&status_code=307',
    });
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe('/anything');
  });

  it('/redirect-to percent-encodes a target that is not ASCII', async () => {
    const res = await send(`${server.url}/redirect-to?url=${encodeURIComponent('/anything/é x')}`);
    expect(res.headers.location).toBe('/anything/%C3%A9%20x');
  });
});
