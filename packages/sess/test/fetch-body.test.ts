import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../../core/src/fetch/index.js';
import { type Echo, routes } from './fetch-routes.js';
import { type FakeServer, startServer } from './fetch-server.js';

/** session.fetch's bodies: every BodyInit kind in, every way of reading one out. */
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

async function echo(init: RequestInit): Promise<Echo> {
  const res = await fetch(`${server.origin}/echo`, { method: 'POST', ...init });
  expect(res.status).toBe(200);
  return (await res.json()) as Echo;
}

function header(e: Echo, name: string): string | undefined {
  return e.headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

describe('request bodies', () => {
  it('a string: text/plain;charset=UTF-8, UTF-8 bytes, a Content-Length', async () => {
    const e = await echo({ body: 'héllo' });
    expect(Buffer.from(e.body, 'latin1').toString('utf8')).toBe('héllo');
    expect(header(e, 'content-type')).toBe('text/plain;charset=UTF-8');
    expect(header(e, 'content-length')).toBe('6');
  });

  it('bytes (Uint8Array, ArrayBuffer, DataView): as they are, no Content-Type', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    for (const body of [bytes, bytes.buffer, new DataView(bytes.buffer)]) {
      const e = await echo({ body });
      expect([...Buffer.from(e.body, 'latin1')]).toEqual([0, 1, 2, 255]);
      expect(header(e, 'content-type')).toBeUndefined();
    }
  });

  it("a Blob: its bytes and its type; a caller's Content-Type wins", async () => {
    const blob = new Blob(['{"a":1}'], { type: 'application/json' });
    const e = await echo({ body: blob });
    expect(e.body).toBe('{"a":1}');
    expect(header(e, 'content-type')).toBe('application/json');
    const own = await echo({ body: blob, headers: { 'Content-Type': 'text/x-mine' } });
    expect(header(own, 'content-type')).toBe('text/x-mine');
  });

  it('FormData: multipart/form-data with a boundary, fields and files', async () => {
    const form = new FormData();
    form.append('name', 'ada');
    form.append('file', new Blob(['file body'], { type: 'text/plain' }), 'notes.txt');
    const e = await echo({ body: form });
    const type = header(e, 'content-type') ?? '';
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    // Read back with the platform's own multipart parser.
    const parsed = await new Response(Buffer.from(e.body, 'latin1'), {
      headers: { 'content-type': type },
    }).formData();
    expect(parsed.get('name')).toBe('ada');
    const file = parsed.get('file') as File;
    expect(file.name).toBe('notes.txt');
    expect(await file.text()).toBe('file body');
  });

  it('URLSearchParams: urlencoded with its charset', async () => {
    const e = await echo({ body: new URLSearchParams({ q: 'a b', x: 'é&' }) });
    expect(e.body).toBe('q=a+b&x=%C3%A9%26');
    expect(header(e, 'content-type')).toBe('application/x-www-form-urlencoded;charset=UTF-8');
  });

  it("a ReadableStream with duplex: 'half' is streamed (chunked), chunk by chunk", async () => {
    const parts = ['one,', 'two,', 'three'];
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = parts.shift();
        if (next === undefined) c.close();
        else c.enqueue(new TextEncoder().encode(next));
      },
    });
    const e = await echo({ body: stream, duplex: 'half' } as RequestInit);
    expect(e.body).toBe('one,two,three');
    expect(header(e, 'transfer-encoding')).toBe('chunked');
    expect(stream.locked).toBe(true);
  });

  it('a ReadableStream without duplex, or a body on GET/HEAD, is a TypeError (as in fetch)', async () => {
    const stream = new ReadableStream({ start: (c) => c.close() });
    await expect(fetch(`${server.origin}/echo`, { method: 'POST', body: stream })).rejects.toThrow(TypeError);
    await expect(fetch(`${server.origin}/echo`, { method: 'GET', body: 'x' })).rejects.toThrow(
      /GET\/HEAD method cannot have body/,
    );
  });

  it("a Request's method, headers and body are read off it; init overrides them", async () => {
    const req = new Request(`${server.origin}/echo`, {
      method: 'PUT',
      body: 'from request',
      headers: { 'X-From': 'request' },
    });
    const res = await fetch(req);
    const e = (await res.json()) as Echo;
    expect(e.method).toBe('PUT');
    expect(e.body).toBe('from request');
    expect(header(e, 'x-from')).toBe('request');
    expect(header(e, 'content-type')).toBe('text/plain;charset=UTF-8');

    const req2 = new Request(`${server.origin}/echo`, { method: 'POST', body: 'ignored' });
    const e2 = (await (await fetch(req2, { method: 'PATCH', body: 'from init' })).json()) as Echo;
    expect(e2.method).toBe('PATCH');
    expect(e2.body).toBe('from init');
  });
});

describe('response bodies', () => {
  it('text(), json(), arrayBuffer(), blob()', async () => {
    expect(await (await fetch(`${server.origin}/text`)).text()).toBe('héllo');
    expect(await (await fetch(`${server.origin}/echo`)).json()).toMatchObject({ method: 'GET' });
    const buf = await (await fetch(`${server.origin}/bytes`)).arrayBuffer();
    expect(new Uint8Array(buf)).toEqual(Uint8Array.from({ length: 256 }, (_, i) => i));
    const blob = await (await fetch(`${server.origin}/bytes`)).blob();
    expect(blob.size).toBe(256);
    expect(blob.type).toBe('application/octet-stream');
  });

  it('the body stream yields Uint8Array chunks, and bodyUsed follows it', async () => {
    const res = await fetch(`${server.origin}/bytes`);
    expect(res.bodyUsed).toBe(false);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      expect(value).toBeInstanceOf(Uint8Array);
      total += value.byteLength;
    }
    expect(total).toBe(256);
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
  });

  it('a gzip body arrives decoded; Content-Encoding stays in the headers, as with undici', async () => {
    const res = await fetch(`${server.origin}/gzip`);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.json()).toEqual({ zipped: true });
  });
});
