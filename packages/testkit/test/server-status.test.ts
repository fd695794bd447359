import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/index.js';
import { headerValues, send } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('/status', () => {
  it('answers with the code asked for, for any method', async () => {
    for (const [method, code] of [
      ['GET', 200],
      ['POST', 201],
      ['PUT', 404],
      ['DELETE', 500],
      ['PATCH', 503],
    ] as const) {
      expect((await send(`${server.url}/status/${code}`, { method })).status).toBe(code);
    }
  });

  it('picks one code out of a comma-separated list', async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10; i++) seen.add((await send(`${server.url}/status/201,202,203:0`)).status);
    for (const code of seen) expect([201, 202]).toContain(code);
    expect((await send(`${server.url}/status/418:0,204:1`)).status).toBe(204);
  });

  it('points a 3xx at /redirect/1, as httpbin does', async () => {
    for (const code of [301, 302, 303, 307, 308]) {
      const res = await send(`${server.url}/status/${code}`);
      expect(res.status).toBe(code);
      expect(res.headers.location).toBe('/redirect/1');
    }
    expect((await send(`${server.url}/status/304`)).headers.location).toBeUndefined();
  });

  it('adds the challenge headers of 401 and 407', async () => {
    expect((await send(`${server.url}/status/401`)).headers['www-authenticate']).toBe(
      'Basic realm="Fake Realm"',
    );
    expect((await send(`${server.url}/status/407`)).headers['proxy-authenticate']).toBe(
      'Basic realm="Fake Realm"',
    );
  });

  it('sends 204 and 304 without a body or Content-Length', async () => {
    for (const code of [204, 304]) {
      const res = await send(`${server.url}/status/${code}`);
      expect(res.status).toBe(code);
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.body.byteLength).toBe(0);
    }
  });

  it('refuses what is not a status code', async () => {
    expect((await send(`${server.url}/status/abc`)).status).toBe(400);
    expect((await send(`${server.url}/status/99`)).status).toBe(400);
    expect((await send(`${server.url}/status/200,x`)).status).toBe(400);
  });
});

describe('/response-headers', () => {
  it('echoes query parameters as headers and as JSON, repeated ones as several headers', async () => {
    const res = await send(`${server.url}/response-headers?X-One=1&Set-Cookie=a%3D1&Set-Cookie=b%3D2`);
    expect(res.status).toBe(200);
    expect(res.headers['x-one']).toBe('1');
    expect(headerValues(res, 'set-cookie')).toEqual(['a=1', 'b=2']);
    const body = res.json<Record<string, unknown>>();
    expect(body['X-One']).toBe('1');
    expect(body['Set-Cookie']).toEqual(['a=1', 'b=2']);
    expect(body['Content-Length']).toBe(String(res.body.byteLength));
    expect(res.headers['content-length']).toBe(String(res.body.byteLength));
  });

  it('lets the query replace Content-Type', async () => {
    const res = await send(`${server.url}/response-headers?content-type=text/plain`);
    expect(res.headers['content-type']).toBe('text/plain');
  });

  it('answers a header value with CR/LF with 400 instead of sending it', async () => {
    const res = await send(`${server.url}/response-headers?X-Bad=a%0d%0aX-Evil:%201`);
    expect(res.status).toBe(400);
    expect(res.headers['x-evil']).toBeUndefined();
  });
});

describe('content endpoints', () => {
  it('/html, /json, /xml, /robots.txt have the right types', async () => {
    const html = await send(`${server.url}/html`);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('<html');
    const json = await send(`${server.url}/json`);
    expect(json.headers['content-type']).toBe('application/json');
    expect(json.json()).toHaveProperty('library');
    const xml = await send(`${server.url}/xml`);
    expect(xml.headers['content-type']).toBe('application/xml');
    expect(xml.text.startsWith('<?xml')).toBe(true);
    const robots = await send(`${server.url}/robots.txt`);
    expect(robots.text).toContain('Disallow: /deny');
  });

  it('/encoding/utf8 is UTF-8 with multi-byte and astral characters', async () => {
    const res = await send(`${server.url}/encoding/utf8`);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('Zwölf Boxkämpfer');
    expect(res.text).toContain('🚀');
    expect(res.body.byteLength).toBeGreaterThan(res.text.length);
  });

  it('/base64 decodes URL-safe and standard base64', async () => {
    expect((await send(`${server.url}/base64/c2VzcyB0ZXN0a2l0`)).text).toBe('sess testkit');
    expect((await send(`${server.url}/base64/Pz8_`)).text).toBe('???');
    expect((await send(`${server.url}/base64/${encodeURIComponent('Pz8/')}`)).text).toBe('???');
    expect((await send(`${server.url}/base64/not*base64`)).text).toMatch(/^Incorrect Base64 data/);
  });

  it('/links/N/OFFSET has a Link header with first, last, prev and next', async () => {
    const res = await send(`${server.url}/links/5/2`);
    expect(res.headers.link).toBe(
      '</links/5/0>; rel="first", </links/5/4>; rel="last", </links/5/1>; rel="prev", </links/5/3>; rel="next"',
    );
    expect(res.text).toContain('<a href="/links/5/4">4</a>');
    expect(res.text).not.toContain('href="/links/5/2"');
    expect((await send(`${server.url}/links/5/0`)).headers.link).not.toContain('prev');
    expect((await send(`${server.url}/links/5`)).headers.location).toBe('/links/5/0');
    expect((await send(`${server.url}/links/5/5`)).status).toBe(404);
  });

  it('/etag answers conditional requests', async () => {
    const plain = await send(`${server.url}/etag/abc`);
    expect(plain.status).toBe(200);
    expect(plain.headers.etag).toBe('"abc"');
    expect(
      (await send(`${server.url}/etag/abc`, { headers: { 'If-None-Match': '"x", "abc"' } })).status,
    ).toBe(304);
    expect((await send(`${server.url}/etag/abc`, { headers: { 'If-None-Match': '"x"' } })).status).toBe(200);
    expect((await send(`${server.url}/etag/abc`, { headers: { 'If-Match': '"x"' } })).status).toBe(412);
    expect((await send(`${server.url}/etag/abc`, { headers: { 'If-Match': '"abc"' } })).status).toBe(200);
  });
});
