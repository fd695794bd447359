import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCEPT_ENCODING, ZSTD_SUPPORTED } from '../src/decode.js';
import { ChunkedEncodingError, ContentDecodingError, ResponseTooLargeError } from '../src/errors.js';
import { Session } from '../src/session.js';
import { httpServer, NodeHttpAdapter } from './support/node-http-adapter.js';
import { mockSession } from './support/session.js';

/**
 * Core owns the body: whatever adapter received it (here the smallest
 * node:http one, which hands the bytes over raw), core undoes the content
 * codings, bounds the decoded size and detects a short body.
 */

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

// Every gunzip core makes, to see how much of a bomb it inflated.
const made = vi.hoisted(() => ({ gunzips: [] as import('node:zlib').Gunzip[] }));
vi.mock('node:zlib', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:zlib')>();
  return {
    ...actual,
    // Named even where this Node lacks it (then undefined): the adapter probes for it.
    createZstdDecompress: (actual as Record<string, unknown>).createZstdDecompress,
    zstdCompressSync: (actual as Record<string, unknown>).zstdCompressSync,
    createGunzip: (options?: import('node:zlib').ZlibOptions) => {
      const gunzip = actual.createGunzip(options);
      made.gunzips.push(gunzip);
      return gunzip;
    },
  };
});

const PLAIN = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
const plainBytes = Buffer.from(PLAIN);

/** Bodies by path: [Content-Encoding or null, bytes]. */
const bodies = new Map<string, [string | null, Buffer]>();
const BOMB = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024), { level: 9 });

beforeAll(() => {
  const zstdCompress = (zlib as unknown as Record<string, ((b: Buffer) => Buffer) | undefined>)
    .zstdCompressSync;
  bodies.set('/gzip', ['gzip', zlib.gzipSync(plainBytes)]);
  bodies.set('/x-gzip', ['x-gzip', zlib.gzipSync(plainBytes)]);
  bodies.set('/deflate-zlib', ['deflate', zlib.deflateSync(plainBytes)]);
  bodies.set('/deflate-raw', ['deflate', zlib.deflateRawSync(plainBytes)]);
  bodies.set('/br', ['br', zlib.brotliCompressSync(plainBytes)]);
  // Codings are listed in the order they were applied: undo gzip first, then deflate.
  bodies.set('/deflate-then-gzip', ['deflate, gzip', zlib.gzipSync(zlib.deflateRawSync(plainBytes))]);
  bodies.set('/br-then-gzip', ['BR , Gzip', zlib.gzipSync(zlib.brotliCompressSync(plainBytes))]);
  bodies.set('/identity', ['identity', plainBytes]);
  bodies.set('/unknown', ['compress', Buffer.from('not decodable')]);
  bodies.set('/zstd', [
    'zstd',
    zstdCompress ? zstdCompress(plainBytes) : Buffer.from('zstd bytes, passed on as sent'),
  ]);
  bodies.set('/corrupt', ['gzip', Buffer.from('this is not gzip at all')]);
  const gz = zlib.gzipSync(plainBytes);
  bodies.set('/truncated', ['gzip', gz.subarray(0, gz.length >> 1)]);
  bodies.set('/empty-gzip', ['gzip', Buffer.alloc(0)]);
  bodies.set('/bomb', ['gzip', BOMB]);
  bodies.set('/big', [null, Buffer.alloc(5 * 1024 * 1024, 1)]);
});

let server: Awaited<ReturnType<typeof httpServer>>;
beforeAll(async () => {
  server = await httpServer((req, res: ServerResponse) => {
    const [path, query] = (req.url ?? '').split('?');
    const entry = bodies.get(path ?? '');
    if (!entry) return res.writeHead(404).end();
    const [encoding, bytes] = entry;
    if (encoding) res.setHeader('Content-Encoding', encoding);
    // ?chunked: no Content-Length, so the size is only known by reading.
    if (query !== 'chunked') res.setHeader('Content-Length', bytes.length);
    if (req.method === 'HEAD') return res.end();
    // write() before end(): Node would otherwise add a Content-Length itself.
    res.write(bytes);
    res.end();
  });
});
afterAll(() => server.close());

let session: Session;
beforeEach(async () => {
  made.gunzips.length = 0;
  session = new Session();
  session.trustEnv = false;
  session.maxResponseSize = 1024 * 1024;
  session.mount('http://', new NodeHttpAdapter());
  return () => session.close();
});

async function get(path: string, stream = false) {
  return session.get(`${server.origin}${path}`, { stream });
}

describe('content decoding', () => {
  it.each([
    '/gzip',
    '/x-gzip',
    '/deflate-zlib',
    '/deflate-raw',
    '/br',
    '/deflate-then-gzip',
    '/br-then-gzip',
    '/identity',
  ])('%s', async (path) => {
    const res = await get(path);
    expect(text(res.content)).toBe(PLAIN);
    // Headers stay as the server sent them.
    expect(res.headers.get('content-encoding')).toBe(bodies.get(path)?.[0]);
  });

  it('decodes while streaming', async () => {
    const res = await get('/br', true);
    const chunks: string[] = [];
    for await (const chunk of res.iterContent(100)) chunks.push(text(chunk));
    expect(chunks.join('')).toBe(PLAIN);
    expect(chunks.length).toBe(Math.ceil(PLAIN.length / 100));
  });

  it('passes a body in an unknown coding on as sent', async () => {
    const res = await get('/unknown');
    expect(text(res.content)).toBe('not decodable');
  });

  it('decodes zstd where Node can, and advertises it only then', async () => {
    const res = await get('/zstd');
    expect(ACCEPT_ENCODING.includes('zstd')).toBe(ZSTD_SUPPORTED);
    expect(ACCEPT_ENCODING.startsWith('gzip, deflate, br')).toBe(true);
    if (ZSTD_SUPPORTED) expect(text(res.content)).toBe(PLAIN);
    else expect(text(res.content)).toBe('zstd bytes, passed on as sent');
  });

  it('a corrupt body: ContentDecodingError', async () => {
    const err = await rejection(get('/corrupt'));
    expect(err).toBeInstanceOf(ContentDecodingError);
    expect((err as ContentDecodingError).request?.url).toBe(`${server.origin}/corrupt`);
    const streamed = await get('/corrupt', true);
    expect(await rejection(streamed.read())).toBeInstanceOf(ContentDecodingError);
  });

  it('a compressed body cut short: ContentDecodingError, not a short success', async () => {
    expect(await rejection(get('/truncated'))).toBeInstanceOf(ContentDecodingError);
  });

  it('an empty body with a Content-Encoding is simply empty', async () => {
    expect((await get('/empty-gzip')).content).toHaveLength(0);
    const head = await session.head(`${server.origin}/gzip`);
    expect(head.content).toHaveLength(0);
    expect(head.headers.get('content-length')).toBe(String(bodies.get('/gzip')?.[1].length));
  });

  it('a large body decodes intact', async () => {
    const big = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `line ${i}\n`).join(''));
    bodies.set('/big-gzip', ['gzip', zlib.gzipSync(big)]);
    const res = await session.get(`${server.origin}/big-gzip?chunked`, { maxResponseSize: null });
    expect(createHash('sha256').update(res.content).digest('hex')).toBe(
      createHash('sha256').update(big).digest('hex'),
    );
  });
});

describe('maxResponseSize', () => {
  it('stops a gzip bomb early, without inflating all of it', async () => {
    const err = await rejection(get('/bomb'));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(made.gunzips).toHaveLength(1);
    const gunzip = made.gunzips[0] as zlib.Gunzip;
    // 10 MiB of zeros is about 10 KiB of gzip; 1 MiB of output needs only about a tenth of it.
    expect(gunzip.bytesWritten).toBeGreaterThan(0);
    expect(gunzip.bytesWritten).toBeLessThan(BOMB.length / 4);
  });

  it('hands out no more than the limit when streaming', async () => {
    const res = await get('/bomb', true);
    let received = 0;
    const err = await rejection(
      (async () => {
        for await (const chunk of res.iterContent()) received += chunk.byteLength;
      })(),
    );
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(received).toBeLessThanOrEqual(1024 * 1024);
    expect(received).toBeGreaterThan(1024 * 1024 - 128 * 1024);
  });

  it('refuses an undecoded body whose Content-Length is over the limit before reading it', async () => {
    const err = await rejection(get('/big'));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err.message).toContain('Content-Length 5242880');
  });

  it('counts a body without Content-Length as it arrives', async () => {
    const err = await rejection(get('/big?chunked'));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err.message).toContain('decoded response body is larger');
  });

  it('is a per-request option too, beating the session', async () => {
    expect((await session.get(`${server.origin}/big`, { maxResponseSize: null })).content).toHaveLength(
      5 * 1024 * 1024,
    );
    session.maxResponseSize = null;
    const err = await rejection(session.get(`${server.origin}/gzip`, { maxResponseSize: 10 }));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
  });

  it('detects a body shorter than its Content-Length: ChunkedEncodingError, never a short success', async () => {
    // A transport whose body simply ends early (no error of its own): core's check is the safety net.
    const { s } = mockSession(() => ({ headers: { 'Content-Length': '100' }, body: 'only 16 bytes...' }));
    const err = await rejection(s.get('http://a.test/'));
    expect(err).toBeInstanceOf(ChunkedEncodingError);
    expect(err.message).toContain('16 of 100 bytes');
    const streamed = await s.get('http://a.test/', { stream: true });
    expect(await rejection(streamed.read())).toBeInstanceOf(ChunkedEncodingError);
  });

  it('lets a body of exactly the limit through', async () => {
    bodies.set('/exact', ['gzip', zlib.gzipSync(Buffer.alloc(1024 * 1024, 7))]);
    const res = await get('/exact');
    expect(res.content).toHaveLength(1024 * 1024);
  });
});
