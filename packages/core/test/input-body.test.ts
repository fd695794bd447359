import { describe, expect, it } from 'vitest';
import { encodeBody } from '../src/body.js';
import type { Files, RequestBody } from '../src/body-types.js';
import { mockSession } from './support/session.js';

const enc = new TextEncoder();

async function bytesOf(body: RequestBody | null): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  for await (const c of body) chunks.push(c);
  return Buffer.concat(chunks);
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

/** Parts of a multipart body: headers (lower-cased names) and raw content bytes. */
function parts(
  contentType: string,
  body: Uint8Array,
): Array<{ headers: Record<string, string>; body: Buffer }> {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1] as string;
  const text = Buffer.from(body).toString('latin1');
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((raw) => {
      const chunk = raw.slice(2, -2);
      const sep = chunk.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of chunk.slice(0, sep).split('\r\n')) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      return { headers, body: Buffer.from(chunk.slice(sep + 4), 'latin1') };
    });
}

describe('json with another body', () => {
  it('json with data is a TypeError, not a silently dropped json', () => {
    const err = thrown(() => encodeBody('raw', { a: 1 }, undefined));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/json.*data/);
  });

  it('json with files is a TypeError', () => {
    const err = thrown(() => encodeBody(undefined, { a: 1 }, { f: 'x' }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/json.*files/);
  });
});

describe('json values JSON cannot hold', () => {
  it.each([
    [Number.NaN, 'json'],
    [{ a: { b: [1, Number.POSITIVE_INFINITY] } }, 'json.a.b[1]'],
    [[{ x: Number.NEGATIVE_INFINITY }], 'json[0].x'],
  ])('%j is a TypeError naming %s', (json, path) => {
    const err = thrown(() => encodeBody(undefined, json, undefined));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/NaN|Infinity/);
  });

  it('a BigInt is a TypeError naming where it is', () => {
    const err = thrown(() => encodeBody(undefined, { id: 2n ** 70n }, undefined));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain('json.id');
    expect(err.message).toContain('BigInt');
  });

  it('toJSON() is honoured before the check (a Date is fine)', async () => {
    const e = encodeBody(undefined, { at: new Date(0), n: 1 }, undefined);
    expect(new TextDecoder().decode(await bytesOf(e.body))).toBe('{"at":"1970-01-01T00:00:00.000Z","n":1}');
  });
});

describe('files that are not files', () => {
  it.each([
    ['a string', 'x'],
    ['a number', 5],
    ['a Uint8Array', enc.encode('x')],
    ['a boolean', true],
  ])('files as %s is a TypeError', (_label, files) => {
    const err = thrown(() => encodeBody(undefined, undefined, files as unknown as Files));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain('files');
  });

  it('a null file is a TypeError naming files.<field>', () => {
    const err = thrown(() => encodeBody(undefined, undefined, { upload: null } as unknown as Files));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain('files.upload');
  });

  it('a number as file content, or in a tuple, is a TypeError naming the field', () => {
    expect(() => encodeBody(undefined, undefined, { n: 5 } as unknown as Files)).toThrow(/files\.n/);
    expect(() => encodeBody(undefined, undefined, { t: ['a.txt', null] } as unknown as Files)).toThrow(
      /files\.t/,
    );
    expect(() => encodeBody(undefined, undefined, [['only']] as unknown as Files)).toThrow(TypeError);
  });

  it('a null file through a session is a TypeError, not a ConnectionError', async () => {
    const { s } = mockSession(() => ({}));
    await expect(s.post('http://a.test/', { files: { f: null } as unknown as Files })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('multipart form fields', () => {
  it('a Uint8Array field in data goes as its bytes', async () => {
    const e = encodeBody({ raw: new Uint8Array([0xc3, 0xab, 0x00]) }, undefined, { f: 'x' });
    const [field] = parts(e.contentType as string, await bytesOf(e.body));
    expect(field?.headers['content-disposition']).toBe('form-data; name="raw"');
    expect([...(field?.body ?? [])]).toEqual([0xc3, 0xab, 0x00]);
  });
});

describe('FormData as data', () => {
  function form(): FormData {
    const fd = new FormData();
    fd.append('name', 'zoë');
    fd.append('tag', 'a');
    fd.append('tag', 'b');
    fd.append('doc', new File(['{"x":1}'], 'doc.json', { type: 'application/json' }));
    fd.append('blob', new Blob([new Uint8Array([1, 2, 3])]));
    return fd;
  }

  it('is multipart/form-data with the fields and files in order', async () => {
    const e = encodeBody(form(), undefined, undefined);
    expect(e.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const body = await bytesOf(e.body);
    expect(e.length).toBe(body.byteLength);
    const ps = parts(e.contentType as string, body);
    expect(ps.map((p) => p.headers['content-disposition'])).toEqual([
      'form-data; name="name"',
      'form-data; name="tag"',
      'form-data; name="tag"',
      'form-data; name="doc"; filename="doc.json"',
      'form-data; name="blob"; filename="blob"',
    ]);
    expect(ps[0]?.body.toString('utf8')).toBe('zoë');
    expect(ps[3]?.headers['content-type']).toBe('application/json');
    expect(ps[3]?.body.toString()).toBe('{"x":1}');
    expect(ps[4]?.headers['content-type']).toBe('application/octet-stream');
    expect([...(ps[4]?.body ?? [])]).toEqual([1, 2, 3]);
  });

  it('is replayable: each iteration gives the same bytes', async () => {
    const e = encodeBody(form(), undefined, undefined);
    expect(e.replayable).toBe(true);
    const a = await bytesOf(e.body);
    const b = await bytesOf(e.body);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('goes before any files given besides', async () => {
    const fd = new FormData();
    fd.append('k', 'v');
    const e = encodeBody(fd, undefined, { f: ['f.txt', 'x'] });
    const ps = parts(e.contentType as string, await bytesOf(e.body));
    expect(ps.map((p) => p.headers['content-disposition'])).toEqual([
      'form-data; name="k"',
      'form-data; name="f"; filename="f.txt"',
    ]);
  });

  it('through a session: Content-Type and Content-Length are set', async () => {
    const { s, mock } = mockSession(() => ({}));
    await s.post('http://a.test/', { data: form() });
    const req = mock.calls[0]?.request;
    expect(req?.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(req?.headers.get('content-length'))).toBe(mock.calls[0]?.bodyBytes?.byteLength);
  });
});
