import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/index.js';
import { send } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type Echo = {
  args: Record<string, string | string[]>;
  headers: Record<string, string>;
  origin: string;
  url: string;
  data: string;
  form: Record<string, string | string[]>;
  files: Record<string, string | string[]>;
  json: unknown;
  method: string;
};

describe('echo endpoints', () => {
  it('/get echoes args (repeated keys as lists), Title-Case headers, origin and url', async () => {
    const res = await send(`${server.url}/get?a=1&a=2&b=x%20y`, { headers: { 'x-custom-header': 'v1' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const body = res.json<Echo>();
    expect(Object.keys(body)).toEqual(['args', 'headers', 'origin', 'url']);
    expect(body.args).toEqual({ a: ['1', '2'], b: 'x y' });
    expect(body.headers['X-Custom-Header']).toBe('v1');
    expect(body.headers.Host).toBe(`127.0.0.1:${server.port}`);
    expect(body.origin).toBe('127.0.0.1');
    expect(body.url).toBe(`${server.url}/get?a=1&a=2&b=x%20y`);
  });

  it('shows a header sent twice once, with both values', async () => {
    const res = await send(`${server.url}/headers`, { headers: { 'X-Twice': ['a', 'b'] } });
    expect(res.json<{ headers: Record<string, string> }>().headers['X-Twice']).toBe('a, b');
  });

  it('works with fetch as well (the global client)', async () => {
    const res = await fetch(`${server.url}/get?q=1`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).args).toEqual({ q: '1' });
  });

  it('/post parses a JSON body into json and keeps the text in data', async () => {
    const text = JSON.stringify({ n: 1, list: [true, null] });
    const res = await send(`${server.url}/post`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: text,
    });
    const body = res.json<Echo>();
    expect(Object.keys(body)).toEqual(['args', 'data', 'files', 'form', 'headers', 'json', 'origin', 'url']);
    expect(body.json).toEqual({ n: 1, list: [true, null] });
    expect(body.data).toBe(text);
    expect(body.form).toEqual({});
  });

  it('/put parses an urlencoded form', async () => {
    const res = await send(`${server.url}/put`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=two+words&a=3',
    });
    const body = res.json<Echo>();
    expect(body.form).toEqual({ a: ['1', '3'], b: 'two words' });
    expect(body.data).toBe('');
    expect(body.json).toBeNull();
  });

  it('/patch and /delete echo their bodies; text that is not JSON gives json null', async () => {
    const patch = await send(`${server.url}/patch`, { method: 'PATCH', body: 'plain text' });
    expect(patch.json<Echo>().data).toBe('plain text');
    expect(patch.json<Echo>().json).toBeNull();
    const del = await send(`${server.url}/delete?x=1`, { method: 'DELETE' });
    expect(del.json<Echo>().args).toEqual({ x: '1' });
  });

  it('shows a body that is not UTF-8 as a base64 data: URL', async () => {
    const res = await send(`${server.url}/post`, { method: 'POST', body: Buffer.from([0xff, 0xfe, 0x00]) });
    expect(res.json<Echo>().data).toBe('data:application/octet-stream;base64,//4A');
  });

  it('parses multipart/form-data: fields into form, files into files', async () => {
    const form = new FormData();
    form.append('field', 'value');
    form.append('field', 'second');
    form.append('upload', new Blob(['file contents\n'], { type: 'text/plain' }), 'notes.txt');
    form.append('binary', new Blob([new Uint8Array([0x80, 0x81])], { type: 'application/x-thing' }), 'b.bin');
    const res = await fetch(`${server.url}/post`, { method: 'POST', body: form });
    const body = (await res.json()) as Echo;
    expect(body.form).toEqual({ field: ['value', 'second'] });
    expect(body.files).toEqual({ upload: 'file contents\n', binary: 'data:application/x-thing;base64,gIE=' });
    expect(body.data).toBe('');
  });

  it('answers a malformed multipart body with 400, not a crash', async () => {
    const res = await send(`${server.url}/post`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nno closing delimiter',
    });
    expect(res.status).toBe(400);
    expect((await send(`${server.url}/get`)).status).toBe(200);
  });

  it('reassembles a chunked upload', async () => {
    const res = await send(`${server.url}/post`, { method: 'POST', body: ['first,', 'second,', 'third'] });
    const body = res.json<Echo>();
    expect(body.headers['Transfer-Encoding']).toBe('chunked');
    expect(body.data).toBe('first,second,third');
  });

  it('/anything takes any method and any subpath', async () => {
    for (const method of ['GET', 'POST', 'PROPFIND', 'DELETE']) {
      const res = await send(`${server.url}/anything/deep/er?k=v`, {
        method,
        body: method === 'POST' ? 'x' : undefined,
      });
      const body = res.json<Echo>();
      expect(body.method).toBe(method);
      expect(body.url).toBe(`${server.url}/anything/deep/er?k=v`);
      expect(body.args).toEqual({ k: 'v' });
    }
    expect((await send(`${server.url}/anything`)).status).toBe(200);
    expect((await send(`${server.url}/anythingelse`)).status).toBe(404);
  });

  it('/headers, /user-agent and /ip', async () => {
    const headers = await send(`${server.url}/headers`, {
      headers: { 'user-agent': 'sess-test/1', accept: 'a/b' },
    });
    expect(headers.json<{ headers: Record<string, string> }>().headers).toMatchObject({
      'User-Agent': 'sess-test/1',
      Accept: 'a/b',
    });
    const ua = await send(`${server.url}/user-agent`, { headers: { 'User-Agent': 'sess-test/2' } });
    expect(ua.json()).toEqual({ 'user-agent': 'sess-test/2' });
    const ip = await send(`${server.url}/ip`);
    expect(ip.json()).toEqual({ origin: '127.0.0.1' });
  });
});

describe('routing', () => {
  it('answers an unknown path with 404', async () => {
    const res = await send(`${server.url}/no/such/thing`);
    expect(res.status).toBe(404);
    expect(res.json()).toHaveProperty('error');
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await send(`${server.url}/post`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST, OPTIONS');
  });

  it('answers OPTIONS with the allowed methods, HEAD like GET without a body', async () => {
    const options = await send(`${server.url}/get`, { method: 'OPTIONS' });
    expect(options.status).toBe(200);
    expect(options.headers.allow).toBe('GET, HEAD, OPTIONS');
    const head = await send(`${server.url}/get`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body.byteLength).toBe(0);
  });
});
