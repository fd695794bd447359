import { gzipSync } from 'node:zlib';
import { ChunkedEncodingError, ResponseTooLargeError } from '@sess/core';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cache, cacheStatusOf } from '../src/index.js';
import { cachedSession, type Origin, startOrigin, TestClock } from './helpers.js';

const clock = new TestClock();
let origin: Origin;
beforeAll(async () => {
  origin = await startOrigin(clock);
});
afterAll(async () => {
  await origin.close();
});

const text = new TextDecoder();

async function drain(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += text.decode(c, { stream: true });
  return out + text.decode();
}

/** Writes `parts` as separate chunks (chunked encoding), cacheable for a minute. */
function chunked(name: string, parts: string[]): string {
  return origin.route(name, (_req, res) => {
    res.setHeader('Cache-Control', 'max-age=60');
    for (const p of parts) res.write(p);
    res.end();
  });
}

describe('streamed bodies', () => {
  it('a streamed body is stored while the caller reads it, and served later', async () => {
    const url = chunked('streamed', ['one ', 'two ', 'three']);
    const { s } = cachedSession(clock);
    const res = await s.get(url, { stream: true });
    expect(res.isRead).toBe(false);
    expect(await drain(res.iterContent())).toBe('one two three');
    const hit = await s.get(url);
    expect(hit.fromCache).toBe(true);
    expect(hit.text).toBe('one two three');
    // And to a caller who streams.
    const streamedHit = await s.get(url, { stream: true });
    expect(cacheStatusOf(streamedHit)).toBe('hit');
    expect(await drain(streamedHit.iterContent(4))).toBe('one two three');
    expect(origin.hits(url)).toBe(1);
    await s.close();
  });

  it('a gzip body is stored decoded, with its headers as sent, streamed or not', async () => {
    const gz = gzipSync(Buffer.from('{"compressed":true}'));
    const handler = (_req: unknown, res: import('node:http').ServerResponse) => {
      res.setHeader('Cache-Control', 'max-age=60');
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', gz.byteLength);
      res.end(gz);
    };
    const streamed = origin.route('gzip-streamed', handler);
    const read = origin.route('gzip-read', handler);
    const { s } = cachedSession(clock);
    const first = await s.get(streamed, { stream: true });
    // While the decoded body is read, the encoded length is out of core's way; then it is back.
    expect(first.headers.get('content-length')).toBeUndefined();
    expect(await drain(first.iterContent())).toBe('{"compressed":true}');
    expect(first.headers.get('content-length')).toBe(String(gz.byteLength));
    const readFirst = await s.get(read);
    expect(readFirst.json()).toEqual({ compressed: true });
    expect(readFirst.headers.get('content-length')).toBe(String(gz.byteLength));
    for (const url of [streamed, read]) {
      const hit = await s.get(url);
      expect(hit.fromCache).toBe(true);
      expect(hit.json()).toEqual({ compressed: true });
      expect(hit.headers.get('content-encoding')).toBe('gzip');
      expect(origin.hits(url)).toBe(1);
    }
    await s.close();
  });

  it("the session's maxResponseSize still bounds a miss the cache stores (a compression bomb fails early)", async () => {
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    const url = origin.route('bomb', (_req, res) => {
      res.setHeader('Cache-Control', 'max-age=60');
      res.setHeader('Content-Encoding', 'gzip');
      res.end(bomb);
    });
    const { s } = cachedSession(clock);
    s.maxResponseSize = 10_000;
    await expect(s.get(url)).rejects.toBeInstanceOf(ResponseTooLargeError);
    const streamed = await s.get(url, { stream: true });
    await expect(drain(streamed.iterContent())).rejects.toBeInstanceOf(ResponseTooLargeError);
    s.maxResponseSize = null;
    expect((await s.get(url)).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(3);
    await s.close();
  });

  it('a body cut short is not stored (streamed or read)', async () => {
    const url = origin.route('cut-short', (_req, res) => {
      res.setHeader('Cache-Control', 'max-age=60');
      res.setHeader('Content-Length', '100');
      res.write('only ten b', () => res.socket?.destroy());
    });
    const { s } = cachedSession(clock);
    const res = await s.get(url, { stream: true });
    await expect(drain(res.iterContent())).rejects.toBeInstanceOf(ChunkedEncodingError);
    await expect(s.get(url)).rejects.toBeInstanceOf(ChunkedEncodingError);
    await expect(s.get(url)).rejects.toBeInstanceOf(ChunkedEncodingError);
    expect(origin.hits(url)).toBe(3);
    await s.close();
  });

  it('a streamed body the caller stops reading is not stored, and its connection is released', async () => {
    const url = origin.route('abandoned', (_req, res) => {
      res.setHeader('Cache-Control', 'max-age=60');
      res.write('first chunk ');
      // The rest never comes: only cancelling frees the connection.
    });
    // One connection: the second request would wait for ever if the first kept it.
    const s = new Session({ adapter: { connections: 1 } });
    s.use(cache({ now: clock.now }));
    const res = await s.get(url, { stream: true });
    for await (const _ of res.iterContent()) break;
    await res.close();
    const again = await s.get(url, { stream: true, timeout: { total: 3000 } });
    expect(again.fromCache).toBe(false);
    await again.close();
    expect(origin.hits(url)).toBe(2);
    await s.close();
  });

  it('a body larger than maxEntrySize is passed on whole and not stored', async () => {
    const big = 'x'.repeat(4096);
    const url = chunked('too-big', [big, big]);
    const { s } = cachedSession(clock, { maxEntrySize: 5000 });
    const streamed = await s.get(url, { stream: true });
    expect((await drain(streamed.iterContent())).length).toBe(8192);
    const read = await s.get(url);
    expect(read.content.byteLength).toBe(8192);
    expect((await s.get(url)).fromCache).toBe(false);
    expect(origin.hits(url)).toBe(3);
    await s.close();
  });
});
