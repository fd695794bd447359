import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CacheEntry,
  decodeEntry,
  encodeEntry,
  entrySize,
  FileCacheStore,
  MemoryCacheStore,
  type StoredResponse,
} from '../src/index.js';
import { cachedSession, type Origin, reply, startOrigin, TestClock } from './helpers.js';

function stored(body: string | Uint8Array, extra: Partial<StoredResponse> = {}): StoredResponse {
  return {
    url: 'http://127.0.0.1/x',
    statusCode: 200,
    reason: 'OK',
    httpVersion: '1.1',
    headers: [
      ['Cache-Control', 'max-age=60'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ],
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
    requestTime: 1000,
    responseTime: 1010,
    ...extra,
  };
}

const entry = (body: string | Uint8Array): CacheEntry => ({ variants: [stored(body)] });

describe('encodeEntry / decodeEntry', () => {
  it('round-trips variants, binary bodies and repeated headers', () => {
    const binary = new Uint8Array(256).map((_, i) => i);
    const e: CacheEntry = {
      variants: [stored(binary, { vary: { 'accept-language': 'en', cookie: null } }), stored('second')],
    };
    const back = decodeEntry(encodeEntry(e));
    expect(back).toEqual(e);
    expect(back?.variants[0]?.body).toEqual(binary);
  });

  it('refuses what is not an entry (a miss, not a crash)', () => {
    const bytes = encodeEntry(entry('hello'));
    expect(decodeEntry(bytes.subarray(0, bytes.byteLength - 1))).toBeUndefined();
    expect(decodeEntry(new TextEncoder().encode('not an entry'))).toBeUndefined();
    const corrupt = bytes.slice();
    corrupt[10] = 0xff;
    expect(decodeEntry(corrupt)).toBeUndefined();
  });
});

describe('MemoryCacheStore', () => {
  it('is bounded in bytes and evicts the least recently used', () => {
    const one = entry('a'.repeat(1000));
    const size = entrySize(one);
    const store = new MemoryCacheStore({ maxBytes: size * 3, maxEntrySize: size });
    store.set('a', one, 60_000);
    store.set('b', entry('b'.repeat(1000)), 60_000);
    store.set('c', entry('c'.repeat(1000)), 60_000);
    expect(store.get('a')).toBe(one); // a is now the most recently used
    store.set('d', entry('d'.repeat(1000)), 60_000);
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toBe(one);
    expect(store.get('c')).toBeDefined();
    expect(store.get('d')).toBeDefined();
    expect(store.bytes).toBeLessThanOrEqual(size * 3);
  });

  it('answers synchronously, drops expired entries and refuses entries over maxEntrySize', () => {
    const store = new MemoryCacheStore({ maxBytes: 100_000, maxEntrySize: 2000 });
    store.set('old', entry('x'), -1);
    expect(store.get('old')).toBeUndefined();
    store.set('big', entry('x'.repeat(5000)), 60_000);
    expect(store.get('big')).toBeUndefined();
    store.set('k', entry('x'), 60_000);
    expect(store.get('k')).not.toBeInstanceOf(Promise);
    store.delete('k');
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });
});

describe('FileCacheStore', () => {
  let dir: string;
  const clock = new TestClock();
  let origin: Origin;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sess-cache-'));
    origin = await startOrigin(clock);
  });
  afterAll(async () => {
    await origin.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('entries survive a restart: a new store on the same directory serves them', async () => {
    const path = join(dir, 'restart');
    const url = origin.route('file-restart', reply({ 'Cache-Control': 'max-age=60' }, 'from disk'));
    const a = cachedSession(clock, { store: new FileCacheStore({ dir: path }) });
    await a.s.get(url);
    await a.s.close();
    const b = cachedSession(clock, { store: new FileCacheStore({ dir: path }) });
    const hit = await b.s.get(url);
    expect(hit.fromCache).toBe(true);
    expect(hit.text).toBe('from disk');
    expect(origin.hits(url)).toBe(1);
    await b.s.close();
  });

  it('writes atomically: no temporary file is left, a torn file is a miss and goes away', async () => {
    const path = join(dir, 'atomic');
    const store = new FileCacheStore({ dir: path });
    await store.set('k', entry('value'), 60_000);
    const files = await readdir(path);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.sce$/);
    // A crash between write and rename leaves a .tmp: the next store removes it.
    await writeFile(join(path, `${files[0]}.123.tmp`), 'half');
    const file = join(path, files[0] as string);
    await writeFile(file, 'torn');
    const again = new FileCacheStore({ dir: path });
    expect(await again.get('k')).toBeUndefined();
    expect(await readdir(path)).toEqual([]);
  });

  it('is bounded in bytes: the least recently used file goes, and the order survives a restart', async () => {
    const path = join(dir, 'bounded');
    const body = 'z'.repeat(2000);
    const probe = new FileCacheStore({ dir: join(dir, 'probe') });
    await probe.set('a', entry(body), 60_000);
    const fileSize = probe.bytes;
    const store = new FileCacheStore({ dir: path, maxBytes: fileSize * 3 + 10, maxEntrySize: fileSize });
    await store.set('a', entry(body), 60_000);
    await store.set('b', entry(body), 60_000);
    await store.set('c', entry(body), 60_000);
    expect(await store.get('a')).toBeDefined(); // a is the most recently used now
    await store.set('d', entry(body), 60_000);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(store.bytes).toBeLessThanOrEqual(fileSize * 3 + 10);
    // A new store reads the order back from the files' times: c is now the oldest.
    const reopened = new FileCacheStore({ dir: path, maxBytes: fileSize * 3 + 10, maxEntrySize: fileSize });
    expect(await reopened.get('a')).toBeDefined();
    expect(await reopened.get('d')).toBeDefined();
    await reopened.set('e', entry(body), 60_000);
    expect(await reopened.get('c')).toBeUndefined();
    expect(await reopened.get('a')).toBeDefined();
  });

  it('an expired entry is a miss', async () => {
    const store = new FileCacheStore({ dir: join(dir, 'expired') });
    await store.set('k', entry('v'), 1000);
    expect(await store.get('k')).toBeDefined();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2000 });
    try {
      expect(await store.get('k')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
    await store.set('gone', entry('v'), 0);
    expect(await store.get('gone')).toBeUndefined();
  });
});
