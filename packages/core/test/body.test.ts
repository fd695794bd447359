import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeBody, ReplayableBody } from '../src/body.js';
import type { Files, RequestBody } from '../src/body-types.js';
import { PreparedRequest } from '../src/prepared-request.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

async function bytesOf(body: RequestBody | null): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  for await (const c of body) chunks.push(c);
  return new Uint8Array(Buffer.concat(chunks));
}

async function textOf(body: RequestBody | null): Promise<string> {
  return dec.decode(await bytesOf(body));
}

function prep(
  method: string,
  opts: { headers?: Record<string, string>; data?: unknown; json?: unknown; files?: Files } = {},
): PreparedRequest {
  const p = new PreparedRequest();
  p.prepareMethod(method);
  p.prepareUrl('http://example.test/upload');
  p.prepareHeaders(opts.headers);
  p.prepareBody(opts.data as never, opts.json, opts.files);
  return p;
}

async function* gen(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield enc.encode(p);
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** Splits a multipart/form-data body into its parts (test helper, latin1-safe). */
function parseMultipart(contentType: string, raw: Uint8Array): Part[] {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const text = Buffer.from(raw).toString('latin1');
  expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true);
  expect(text.startsWith(`--${boundary}\r\n`)).toBe(true);
  const inner = text.slice(0, text.length - `--${boundary}--\r\n`.length);
  const pieces = inner.split(`--${boundary}\r\n`).slice(1);
  return pieces.map((piece) => {
    const sep = piece.indexOf('\r\n\r\n');
    const head = piece.slice(0, sep);
    expect(piece.endsWith('\r\n')).toBe(true);
    const body = piece.slice(sep + 4, -2);
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    return { headers, body };
  });
}

describe('encodeBody: data', () => {
  it('no body at all', () => {
    expect(encodeBody(undefined, undefined, undefined)).toEqual({ body: null, replayable: true });
    expect(encodeBody(null, undefined, null)).toEqual({ body: null, replayable: true });
  });

  it('a string is UTF-8 bytes with their byte length and no Content-Type', async () => {
    const e = encodeBody('héllo', undefined, undefined);
    expect(await textOf(e.body)).toBe('héllo');
    expect(e.length).toBe(6);
    expect(e.contentType).toBeUndefined();
    expect(e.replayable).toBe(true);
  });

  it('an empty string is a zero-length body', () => {
    const e = encodeBody('', undefined, undefined);
    expect(e.body).toEqual(new Uint8Array(0));
    expect(e.length).toBe(0);
  });

  it('a Uint8Array (and Buffer) is sent as is', () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const e = encodeBody(bytes, undefined, undefined);
    expect(e.body).toBe(bytes);
    expect(e.length).toBe(4);
    const buf = Buffer.from('abc');
    expect(encodeBody(buf, undefined, undefined).body).toBe(buf);
  });

  it('an ArrayBuffer becomes bytes', async () => {
    const ab = new Uint8Array([104, 105]).buffer;
    const e = encodeBody(ab, undefined, undefined);
    expect(await textOf(e.body)).toBe('hi');
    expect(e.length).toBe(2);
  });

  it('a plain object is form-encoded: + for spaces, arrays repeat keys, null skipped', async () => {
    const e = encodeBody(
      { q: 'a b&c', tag: ['x', 'y'], n: 1, skip: null, also: undefined },
      undefined,
      undefined,
    );
    expect(e.contentType).toBe('application/x-www-form-urlencoded');
    expect(await textOf(e.body)).toBe('q=a+b%26c&tag=x&tag=y&n=1');
    expect(e.length).toBe('q=a+b%26c&tag=x&tag=y&n=1'.length);
  });

  it('URLSearchParams and pairs are form-encoded too', async () => {
    const usp = new URLSearchParams([
      ['a', '1'],
      ['a', '2'],
    ]);
    expect(await textOf(encodeBody(usp, undefined, undefined).body)).toBe('a=1&a=2');
    const pairs: Array<[string, string]> = [
      ['k', 'v 1'],
      ['k', 'ü'],
    ];
    const e = encodeBody(pairs, undefined, undefined);
    expect(e.contentType).toBe('application/x-www-form-urlencoded');
    expect(await textOf(e.body)).toBe('k=v+1&k=%C3%BC');
  });

  it('a Blob is replayable, with its size and type', async () => {
    const blob = new Blob(['hello ', 'blob'], { type: 'text/plain' });
    const e = encodeBody(blob, undefined, undefined);
    expect(e.body).toBeInstanceOf(ReplayableBody);
    expect(e.length).toBe(10);
    expect((e.body as ReplayableBody).length).toBe(10);
    expect(e.contentType).toBe('text/plain');
    expect(e.replayable).toBe(true);
    expect(await textOf(e.body)).toBe('hello blob');
    expect(await textOf(e.body)).toBe('hello blob');
  });

  it('a Blob without a type sets no Content-Type', () => {
    const e = encodeBody(new Blob(['x']), undefined, undefined);
    expect(e.contentType).toBeUndefined();
    expect(e.length).toBe(1);
  });

  it('an async iterable is streamed: not replayable, no length', async () => {
    const stream = gen('a', 'b');
    const e = encodeBody(stream, undefined, undefined);
    expect(e.body).toBe(stream);
    expect(e.replayable).toBe(false);
    expect(e.length).toBeUndefined();
    expect(await textOf(e.body)).toBe('ab');
  });

  it('a Node Readable is streamed', async () => {
    const readable = Readable.from([Buffer.from('one'), Buffer.from('two')]);
    const e = encodeBody(readable, undefined, undefined);
    expect(e.body).toBe(readable);
    expect(e.replayable).toBe(false);
    expect(e.length).toBeUndefined();
    expect(await textOf(e.body)).toBe('onetwo');
  });
});

describe('encodeBody: json', () => {
  it('serialises with application/json and the UTF-8 byte length', async () => {
    const e = encodeBody(undefined, { name: 'zoë', n: [1, 2] }, undefined);
    expect(e.contentType).toBe('application/json');
    const text = await textOf(e.body);
    expect(JSON.parse(text)).toEqual({ name: 'zoë', n: [1, 2] });
    expect(e.length).toBe(enc.encode(text).byteLength);
    expect(e.length).toBe(text.length + 1);
  });

  it('serialises falsy values', async () => {
    expect(await textOf(encodeBody(undefined, 0, undefined).body)).toBe('0');
    expect(await textOf(encodeBody(undefined, false, undefined).body)).toBe('false');
    expect(await textOf(encodeBody(undefined, '', undefined).body)).toBe('""');
  });

  it('refuses what JSON cannot express', () => {
    expect(() => encodeBody(undefined, () => 1, undefined)).toThrow(TypeError);
    expect(() => encodeBody(undefined, Symbol('x'), undefined)).toThrow(TypeError);
    expect(() => encodeBody(undefined, { big: 1n }, undefined)).toThrow(TypeError);
  });

  it('json with data is a TypeError (requests would drop the json silently)', () => {
    expect(() => encodeBody('raw', { a: 1 }, undefined)).toThrow(/json cannot be combined with data/);
    // `null` json is "not given" next to another body.
    expect(encodeBody('raw', null, undefined).length).toBe(3);
  });
});

describe('encodeBody: multipart', () => {
  it('builds fields and files with a random boundary', async () => {
    const e = encodeBody({ field: 'value', list: ['1', '2'] }, undefined, {
      plain: enc.encode('bytes here'),
      named: ['report.csv', 'a,b\r\n1,2', 'text/csv', { 'X-Part': 'yes' }],
      text: 'as string',
    });
    expect(e.contentType).toMatch(/^multipart\/form-data; boundary=[0-9a-f]{32}$/);
    expect(e.replayable).toBe(true);
    const raw = await bytesOf(e.body);
    expect(e.length).toBe(raw.byteLength);
    const parts = parseMultipart(e.contentType as string, raw);
    expect(parts).toEqual([
      { headers: { 'content-disposition': 'form-data; name="field"' }, body: 'value' },
      { headers: { 'content-disposition': 'form-data; name="list"' }, body: '1' },
      { headers: { 'content-disposition': 'form-data; name="list"' }, body: '2' },
      {
        headers: {
          'content-disposition': 'form-data; name="plain"; filename="plain"',
          'content-type': 'application/octet-stream',
        },
        body: 'bytes here',
      },
      {
        headers: {
          'content-disposition': 'form-data; name="named"; filename="report.csv"',
          'content-type': 'text/csv',
          'x-part': 'yes',
        },
        body: 'a,b\r\n1,2',
      },
      {
        headers: {
          'content-disposition': 'form-data; name="text"; filename="text"',
          'content-type': 'application/octet-stream',
        },
        body: 'as string',
      },
    ]);
  });

  it('each body gets its own boundary', () => {
    const a = encodeBody(undefined, undefined, { f: 'x' }).contentType;
    const b = encodeBody(undefined, undefined, { f: 'x' }).contentType;
    expect(a).not.toBe(b);
  });

  it('keeps binary content byte for byte', async () => {
    const binary = new Uint8Array(256).map((_, i) => i);
    const e = encodeBody(undefined, undefined, { bin: ['b.bin', binary] });
    const raw = await bytesOf(e.body);
    const parts = parseMultipart(e.contentType as string, raw);
    expect(Buffer.from(parts[0]?.body ?? '', 'latin1')).toEqual(Buffer.from(binary));
  });

  it('a null filename makes a plain field without Content-Type', async () => {
    const e = encodeBody(undefined, undefined, { note: [null, 'just text'] });
    const parts = parseMultipart(e.contentType as string, await bytesOf(e.body));
    expect(parts).toEqual([
      { headers: { 'content-disposition': 'form-data; name="note"' }, body: 'just text' },
    ]);
  });

  it('uses a File’s name and a Blob’s type, and stays replayable with a known length', async () => {
    const file = new File(['<svg/>'], 'pic.svg', { type: 'image/svg+xml' });
    const blob = new Blob(['{}'], { type: 'application/json' });
    const e = encodeBody(undefined, undefined, { pic: file, meta: blob });
    expect(e.body).toBeInstanceOf(ReplayableBody);
    expect(e.replayable).toBe(true);
    const first = await bytesOf(e.body);
    const second = await bytesOf(e.body);
    expect(second).toEqual(first);
    expect(e.length).toBe(first.byteLength);
    expect((e.body as ReplayableBody).length).toBe(first.byteLength);
    const parts = parseMultipart(e.contentType as string, first);
    expect(parts).toEqual([
      {
        headers: {
          'content-disposition': 'form-data; name="pic"; filename="pic.svg"',
          'content-type': 'image/svg+xml',
        },
        body: '<svg/>',
      },
      {
        headers: {
          'content-disposition': 'form-data; name="meta"; filename="meta"',
          'content-type': 'application/json',
        },
        body: '{}',
      },
    ]);
  });

  it('an explicit content type in the tuple beats the Blob’s', async () => {
    const e = encodeBody(undefined, undefined, {
      f: ['f.txt', new Blob(['x'], { type: 'text/html' }), 'text/plain'],
    });
    const parts = parseMultipart(e.contentType as string, await bytesOf(e.body));
    expect(parts[0]?.headers['content-type']).toBe('text/plain');
  });

  it('a stream part makes the body one-shot with no length', async () => {
    const e = encodeBody({ a: '1' }, undefined, { up: ['up.txt', gen('str', 'eam')] });
    expect(e.replayable).toBe(false);
    expect(e.length).toBeUndefined();
    expect(e.body).not.toBeInstanceOf(ReplayableBody);
    const parts = parseMultipart(e.contentType as string, await bytesOf(e.body));
    expect(parts.map((p) => p.body)).toEqual(['1', 'stream']);
  });

  it('files as an array of pairs keeps order and repeated names', async () => {
    const e = encodeBody(undefined, undefined, [
      ['f', ['a.txt', 'A']],
      ['f', ['b.txt', 'B']],
    ]);
    const parts = parseMultipart(e.contentType as string, await bytesOf(e.body));
    expect(parts.map((p) => [p.headers['content-disposition'], p.body])).toEqual([
      ['form-data; name="f"; filename="a.txt"', 'A'],
      ['form-data; name="f"; filename="b.txt"', 'B'],
    ]);
  });

  it('escapes quotes, CR and LF in names and filenames', async () => {
    const e = encodeBody(undefined, undefined, { 'we"ird\r\nname': ['x"\r\n.txt', 'c'] });
    const text = Buffer.from(await bytesOf(e.body)).toString('latin1');
    expect(text).toContain('name="we%22ird%0D%0Aname"; filename="x%22%0D%0A.txt"');
    expect(parseMultipart(e.contentType as string, await bytesOf(e.body))).toHaveLength(1);
  });

  it('refuses CR or LF in extra part headers', () => {
    expect(() =>
      encodeBody(undefined, undefined, { f: ['f', 'x', 'text/plain', { 'X-A': 'a\r\nX-B: b' }] }),
    ).toThrow(TypeError);
    expect(() =>
      encodeBody(undefined, undefined, { f: ['f', 'x', 'text/plain', { 'X-A\r\nX-B': 'b' }] }),
    ).toThrow(TypeError);
  });

  it('refuses CR or LF in a part’s content type, like in its extra headers', () => {
    expect(() =>
      encodeBody(undefined, undefined, { f: ['f.txt', 'x', 'text/plain\r\nX-Injected: 1'] }),
    ).toThrow(TypeError);
  });

  it('with files, data must be form fields', () => {
    for (const data of ['raw', enc.encode('raw'), new Blob(['x']), gen('x')]) {
      expect(() => encodeBody(data, undefined, { f: 'x' })).toThrow(TypeError);
    }
  });

  it('json with files is a TypeError (requests would drop the json silently)', () => {
    expect(() => encodeBody(undefined, { a: 1 }, { f: 'x' })).toThrow(/json cannot be combined with files/);
  });
});

describe('ReplayableBody', () => {
  it('opens a fresh iteration each time', async () => {
    let opens = 0;
    const body = new ReplayableBody(() => {
      opens++;
      return gen('x', 'y');
    }, 2);
    expect(await textOf(body)).toBe('xy');
    expect(await textOf(body)).toBe('xy');
    expect(opens).toBe(2);
    expect(body.length).toBe(2);
  });
});

describe('PreparedRequest.prepareBody: headers', () => {
  it('sets Content-Length for bytes and Content-Type for forms and json', () => {
    const form = prep('POST', { data: { a: 'b c' } });
    expect(form.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(form.headers.get('Content-Length')).toBe('5');
    expect(form.bodyReplayable).toBe(true);

    const json = prep('POST', { json: { é: 1 } });
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.headers.get('content-length')).toBe(String(enc.encode('{"é":1}').byteLength));

    const text = prep('PUT', { data: 'ü' });
    expect(text.headers.has('Content-Type')).toBe(false);
    expect(text.headers.get('Content-Length')).toBe('2');
  });

  it('keeps a Content-Type the caller set', () => {
    const p = prep('POST', { headers: { 'content-type': 'application/vnd.api+json' }, json: { a: 1 } });
    expect(p.headers.get('Content-Type')).toBe('application/vnd.api+json');
    expect([...p.headers.keys()].filter((k) => k.toLowerCase() === 'content-type')).toHaveLength(1);
  });

  it('sets the multipart Content-Type with its boundary and the exact length', async () => {
    const p = prep('POST', { data: { a: '1' }, files: { f: ['f.txt', 'hello'] } });
    const ct = p.headers.get('Content-Type') ?? '';
    expect(ct).toMatch(/^multipart\/form-data; boundary=/);
    const raw = await bytesOf(p.body);
    expect(p.headers.get('Content-Length')).toBe(String(raw.byteLength));
    expect(parseMultipart(ct, raw).map((x) => x.body)).toEqual(['1', 'hello']);
  });

  it('Blob bodies get Content-Length and Content-Type and stay replayable', async () => {
    const p = prep('POST', { data: new Blob(['abc'], { type: 'text/csv' }) });
    expect(p.headers.get('Content-Length')).toBe('3');
    expect(p.headers.get('Content-Type')).toBe('text/csv');
    expect(p.bodyReplayable).toBe(true);
    expect(await textOf(p.body)).toBe('abc');
    expect(await textOf(p.body)).toBe('abc');
  });

  it('streams get no Content-Length and are marked one-shot', () => {
    const p = prep('POST', { data: gen('a') });
    expect(p.headers.has('Content-Length')).toBe(false);
    expect(p.bodyReplayable).toBe(false);
    const m = prep('POST', { files: { f: ['f', gen('a')] } });
    expect(m.headers.has('Content-Length')).toBe(false);
    expect(m.bodyReplayable).toBe(false);
  });

  it('Content-Length: 0 for an empty POST/PUT/PATCH/DELETE, none for GET and HEAD', () => {
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const p = prep(m);
      expect(p.body, m).toBeNull();
      expect(p.headers.get('Content-Length'), m).toBe('0');
    }
    for (const m of ['GET', 'HEAD']) {
      const p = prep(m);
      expect(p.body, m).toBeNull();
      expect(p.headers.has('Content-Length'), m).toBe(false);
    }
  });

  it('GET with a body still gets its Content-Length', () => {
    expect(prep('GET', { data: 'x' }).headers.get('Content-Length')).toBe('1');
  });

  it('copy() shares the body and copies headers', () => {
    const p = prep('POST', { data: 'abc' });
    const c = p.copy();
    expect(c.body).toBe(p.body);
    expect(c.bodyReplayable).toBe(true);
    c.headers.set('Content-Length', '99');
    expect(p.headers.get('Content-Length')).toBe('3');
  });
});
