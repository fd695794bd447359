import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, expectTypeOf, it, type Mock, vi } from 'vitest';
import { ChunkedEncodingError, StreamConsumedError } from '../src/errors.js';
import type { HeadersInit } from '../src/headers.js';
import { PreparedRequest } from '../src/prepared-request.js';
import { type BodySource, Response } from '../src/response.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

interface FakeSource extends BodySource {
  cancel: Mock<() => void>;
  opened(): number;
  pulled(): number;
}

/** A BodySource over fixed chunks; throws `error` after `failAfter` chunks when given. */
function fakeSource(
  chunks: Array<string | Uint8Array>,
  fail?: { after: number; error: unknown },
): FakeSource {
  let opened = 0;
  let pulled = 0;
  return {
    cancel: vi.fn<() => void>(),
    opened: () => opened,
    pulled: () => pulled,
    async *[Symbol.asyncIterator]() {
      opened++;
      for (let i = 0; i <= chunks.length; i++) {
        if (fail && fail.after === i) throw fail.error;
        const c = chunks[i];
        if (c === undefined) return;
        pulled++;
        yield typeof c === 'string' ? enc.encode(c) : c;
      }
    },
  };
}

function res(body: Uint8Array | string | BodySource | null, headers?: HeadersInit): Response {
  const request = new PreparedRequest();
  request.prepareMethod('GET');
  request.prepareUrl('https://api.example.test/');
  return new Response({
    statusCode: 200,
    url: request.url,
    request,
    body: typeof body === 'string' ? enc.encode(body) : body,
    ...(headers ? { headers } : {}),
  });
}

function streamed(
  chunks: Array<string | Uint8Array>,
  headers?: HeadersInit,
): { r: Response; src: FakeSource } {
  const src = fakeSource(chunks);
  return { r: res(src, headers), src };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const str = (chunks: Uint8Array[]) => chunks.map((c) => dec.decode(c));

/** Every chunk a web stream gives, as strings. */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const reader = stream.getReader();
  const out: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(dec.decode(value));
  }
}

/** `bytes` cut into pieces of `n`. */
function pieces(bytes: Uint8Array, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.byteLength; i += n) out.push(bytes.subarray(i, i + n));
  return out;
}

describe('for await (const chunk of response)', () => {
  it('yields the body chunks as iterContent() does', async () => {
    const { r, src } = streamed(['a', 'bcd', 'ef']);
    expect(str(await collect(r))).toEqual(['a', 'bcd', 'ef']);
    expect(src.cancel).not.toHaveBeenCalled();
    await expect(collect(r)).rejects.toBeInstanceOf(StreamConsumedError);
  });

  it('replays a body in memory, as often as asked', async () => {
    const r = res('hello');
    expect(str(await collect(r))).toEqual(['hello']);
    expect(str(await collect(r))).toEqual(['hello']);
    expect(await collect(res(null))).toEqual([]);
  });

  it('breaking out early releases the connection', async () => {
    const { r, src } = streamed(['a', 'b', 'c']);
    for await (const _ of r) break;
    expect(src.cancel).toHaveBeenCalledTimes(1);
  });
});

describe('iterContent({ chunkSize, decodeUnicode })', () => {
  it('chunkSize in an options object re-cuts as the bare number does', async () => {
    expect(str(await collect(streamed(['a', 'bcd', 'efg']).r.iterContent({ chunkSize: 2 })))).toEqual([
      'ab',
      'cd',
      'ef',
      'g',
    ]);
    expect(str(await collect(streamed(['a', 'bcd', 'efg']).r.iterContent(2)))).toEqual([
      'ab',
      'cd',
      'ef',
      'g',
    ]);
    expect(str(await collect(streamed(['a', 'bc']).r.iterContent({})))).toEqual(['a', 'bc']);
  });

  it.each([0, -1, 1.5])('chunkSize %s in an options object is a TypeError', async (n) => {
    await expect(collect(streamed(['abc']).r.iterContent({ chunkSize: n }))).rejects.toThrow(TypeError);
  });

  it('decodeUnicode yields strings, a multi-byte character split across chunks whole', async () => {
    const bytes = enc.encode('café 😀 naïve');
    const { r } = streamed(pieces(bytes, 1));
    const out = await collect(r.iterContent({ decodeUnicode: true }));
    expect(out.every((s) => typeof s === 'string' && s.length > 0)).toBe(true);
    expect(out.join('')).toBe('café 😀 naïve');
  });

  it('decodeUnicode with chunkSize: bytes re-cut first, then decoded', async () => {
    const { r } = streamed([enc.encode('é😀é')]);
    const out = await collect(r.iterContent({ chunkSize: 3, decodeUnicode: true }));
    expect(out.join('')).toBe('é😀é');
  });

  it('decodeUnicode uses the Content-Type charset', async () => {
    const { r } = streamed([new Uint8Array([0x63, 0x61, 0x66]), new Uint8Array([0xe9])], {
      'Content-Type': 'text/plain; charset=iso-8859-1',
    });
    expect(await collect(r.iterContent({ decodeUnicode: true }))).toEqual(['caf', 'é']);
    const utf16 = new Uint8Array(Buffer.from('añb', 'utf16le'));
    const split = streamed(pieces(utf16, 3), { 'Content-Type': 'text/plain; charset=utf-16le' });
    expect((await collect(split.r.iterContent({ decodeUnicode: true }))).join('')).toBe('añb');
  });

  it('decodeUnicode reads `encoding` when iteration starts', async () => {
    const { r } = streamed([new Uint8Array([0xe9])]);
    const it = r.iterContent({ decodeUnicode: true });
    r.encoding = 'latin1';
    expect(await collect(it)).toEqual(['é']);
  });

  it('decodeUnicode replays a body in memory, and an incomplete character ends as U+FFFD', async () => {
    // h C3 | A9 l | l o
    expect(await collect(res('héllo').iterContent({ chunkSize: 2, decodeUnicode: true }))).toEqual([
      'h',
      'él',
      'lo',
    ]);
    expect(await collect(res(new Uint8Array([0x61, 0xc3])).iterContent({ decodeUnicode: true }))).toEqual([
      'a',
      '\ufffd',
    ]);
  });

  it('decodeUnicode: false (or left out) yields bytes', async () => {
    const chunks = await collect(res('ab').iterContent({ decodeUnicode: false }));
    expect(chunks[0]).toBeInstanceOf(Uint8Array);
  });

  it('is typed by decodeUnicode', () => {
    const r = res('x');
    expectTypeOf(r.iterContent({ decodeUnicode: true })).toEqualTypeOf<
      AsyncGenerator<string, void, undefined>
    >();
    expectTypeOf(r.iterContent({ chunkSize: 2 })).toEqualTypeOf<
      AsyncGenerator<Uint8Array, void, undefined>
    >();
    expectTypeOf(r.iterContent(2)).toEqualTypeOf<AsyncGenerator<Uint8Array, void, undefined>>();
    expectTypeOf(r.iterContent()).toEqualTypeOf<AsyncGenerator<Uint8Array, void, undefined>>();
    const flag = Math.random() > 2;
    expectTypeOf(r.iterContent({ decodeUnicode: flag })).toEqualTypeOf<
      AsyncGenerator<Uint8Array, void, undefined> | AsyncGenerator<string, void, undefined>
    >();
  });
});

describe('response.body (a web ReadableStream)', () => {
  it('streams the body, and is the same stream on every access', async () => {
    const { r, src } = streamed(['ab', '', 'cd']);
    const body = r.body;
    expect(body).toBeInstanceOf(ReadableStream);
    expect(r.body).toBe(body);
    expect(await readAll(body)).toEqual(['ab', 'cd']);
    expect(r.body).toBe(body);
    expect(body.locked).toBe(true);
    expect(src.cancel).not.toHaveBeenCalled();
  });

  it('takes nothing from the body until it is read', async () => {
    const { r, src } = streamed(['ab', 'cd']);
    const body = r.body;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(src.opened()).toBe(0);
    // The body is still there to read whole; the stream then streams it from memory.
    expect(dec.decode(await r.read())).toBe('abcd');
    expect(await readAll(body)).toEqual(['abcd']);
    expect(src.opened()).toBe(1);
  });

  it('pulls one chunk per read', async () => {
    const { r, src } = streamed(['a', 'b', 'c']);
    const reader = r.body.getReader();
    expect(dec.decode((await reader.read()).value)).toBe('a');
    expect(src.pulled()).toBe(1);
    await reader.cancel();
  });

  it('of a body in memory streams it, and leaves content readable', async () => {
    const r = res('hello');
    expect(await readAll(r.body)).toEqual(['hello']);
    expect(r.text).toBe('hello');
    expect(await readAll(res(null).body)).toEqual([]);
  });

  it('cancelling it closes the response', async () => {
    const { r, src } = streamed(['a', 'b', 'c']);
    await r.body.cancel();
    expect(src.cancel).toHaveBeenCalledTimes(1);
    expect(() => r.content).toThrow(StreamConsumedError);

    const mid = streamed(['a', 'b', 'c']);
    const reader = mid.r.body.getReader();
    await reader.read();
    await reader.cancel();
    expect(mid.src.cancel).toHaveBeenCalledTimes(1);
  });

  it('errors as the body does', async () => {
    const error = new ChunkedEncodingError('truncated');
    const r = res(fakeSource(['ab'], { after: 1, error }));
    const reader = r.body.getReader();
    expect(dec.decode((await reader.read()).value)).toBe('ab');
    await expect(reader.read()).rejects.toBe(error);
    expect(error.response).toBe(r);
  });

  it('errors with StreamConsumedError when iterContent() took the body first', async () => {
    const { r } = streamed(['ab']);
    await collect(r.iterContent());
    await expect(r.body.getReader().read()).rejects.toBeInstanceOf(StreamConsumedError);
  });

  it('is accepted where a fetch body is', async () => {
    const { r } = streamed(['{"a"', ':1}']);
    expect(await new globalThis.Response(r.body).json()).toEqual({ a: 1 });
  });
});

describe('response.toNodeStream()', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('pipes the body into a file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sess-body-'));
    const file = join(dir, 'out.bin');
    const { r, src } = streamed(['hello ', 'wor', 'ld']);
    await pipeline(r.toNodeStream(), createWriteStream(file));
    expect(await readFile(file, 'utf8')).toBe('hello world');
    expect(src.cancel).not.toHaveBeenCalled();
  });

  it('is a byte stream (Buffers, not objects)', async () => {
    const readable = res('abc').toNodeStream();
    expect(readable).toBeInstanceOf(Readable);
    expect(readable.readableObjectMode).toBe(false);
    const chunks = await collect<Buffer>(readable);
    expect(Buffer.isBuffer(chunks[0])).toBe(true);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
  });

  it('destroyed before reading, it closes the response', async () => {
    const { r, src } = streamed(['abc']);
    const readable = r.toNodeStream();
    readable.destroy();
    await new Promise((resolve) => readable.once('close', resolve));
    await vi.waitFor(() => expect(src.cancel).toHaveBeenCalledTimes(1));
    expect(src.opened()).toBe(0);
  });

  it('a consumer that stops half-way releases the connection', async () => {
    const { r, src } = streamed(['a', 'b', 'c', 'd']);
    const seen: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        seen.push(chunk.toString());
        cb(seen.length === 2 ? new Error('disk full') : null);
      },
    });
    await expect(pipeline(r.toNodeStream(), sink)).rejects.toThrow('disk full');
    await vi.waitFor(() => expect(src.cancel).toHaveBeenCalledTimes(1));
  });

  it('a body that fails mid-way fails the pipeline with its error', async () => {
    const error = new ChunkedEncodingError('truncated');
    const r = res(fakeSource(['ab'], { after: 1, error }));
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    await expect(pipeline(r.toNodeStream(), sink)).rejects.toBe(error);
  });

  it('a streamed body cannot be streamed twice; one in memory can', async () => {
    const { r } = streamed(['x']);
    await collect(r.toNodeStream());
    await expect(collect(r.toNodeStream())).rejects.toBeInstanceOf(StreamConsumedError);
    const mem = res('y');
    expect(Buffer.concat(await collect<Buffer>(mem.toNodeStream())).toString()).toBe('y');
    expect(Buffer.concat(await collect<Buffer>(mem.toNodeStream())).toString()).toBe('y');
  });
});
