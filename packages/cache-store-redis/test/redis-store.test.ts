import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CacheEntry, cache, type StoredResponse } from '@sess/plugin-cache';
import { freePort, type RedisServer, startRedisServer as startRedis } from '@sess/testkit';
import { createClient } from 'redis';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCacheStore } from '../src/index.js';

let redis: RedisServer;
let client: ReturnType<typeof createClient>;
let origin: Server;
let base: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
  origin = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.startsWith('/etag')) res.setHeader('ETag', '"e"');
    res.setHeader('Cache-Control', 'max-age=60, stale-while-revalidate=30, stale-if-error=10');
    res.end(`body of ${path}`);
  });
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  base = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await client?.close();
  if (origin?.listening) {
    origin.closeAllConnections();
    origin.close();
    await once(origin, 'close');
  }
  await redis?.stop();
});

function stored(body: Uint8Array): StoredResponse {
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
    body,
    requestTime: 1,
    responseTime: 2,
  };
}

describe('RedisCacheStore', () => {
  it('stores entries as binary under <prefix>:<key>, with their TTL as the Redis expiry', async () => {
    const store = new RedisCacheStore({ url: redis.url, prefix: 'unit' });
    const body = new Uint8Array(256).map((_, i) => i);
    const entry: CacheEntry = { variants: [stored(body)] };
    await store.set('GET http://x/', entry, 90_000);
    const back = await store.get('GET http://x/');
    expect(back).toEqual(entry);
    const pttl = Number(await client.sendCommand(['PTTL', 'unit:GET http://x/']));
    expect(pttl).toBeGreaterThan(85_000);
    expect(pttl).toBeLessThanOrEqual(90_000);
    await store.delete('GET http://x/');
    expect(await store.get('GET http://x/')).toBeUndefined();
    await store.set('k', entry, 0);
    expect(await client.exists('unit:k')).toBe(0);
    await store.close();
  });

  it('works on a node-redis client you pass in (and leaves it open)', async () => {
    const own = createClient({ url: redis.url });
    await own.connect();
    const store = new RedisCacheStore({ client: own, prefix: 'mine' });
    await store.set('k', { variants: [stored(new Uint8Array([1, 2, 3]))] }, 1000);
    expect((await store.get('k'))?.variants[0]?.body).toEqual(new Uint8Array([1, 2, 3]));
    await store.close();
    expect(own.isOpen).toBe(true);
    await own.close();
  });

  it('another prefix is another cache', async () => {
    const a = new RedisCacheStore({ url: redis.url, prefix: 'one' });
    const b = new RedisCacheStore({ client, prefix: 'two' });
    await a.set('k', { variants: [stored(new Uint8Array([1]))] }, 10_000);
    expect(await a.get('k')).toBeDefined();
    expect(await b.get('k')).toBeUndefined();
    await a.close();
  });

  it('a value that is not an entry is a miss', async () => {
    await client.set('junk:k', 'not an entry');
    const store = new RedisCacheStore({ url: redis.url, prefix: 'junk' });
    expect(await store.get('k')).toBeUndefined();
    await store.close();
  });

  it('behind a Session: a hit comes from Redis; the expiry is freshness plus the stale windows', async () => {
    const store = new RedisCacheStore({ url: redis.url, prefix: 'session' });
    const s = new Session();
    s.use(cache({ store }));
    await s.get(`${base}/page`);
    const hit = await s.get(`${base}/page`);
    expect(hit.fromCache).toBe(true);
    expect(hit.text).toBe('body of /page');
    expect(hits.get('/page')).toBe(1);
    // max-age 60 + max(stale-while-revalidate 30, stale-if-error 10) = 90 s.
    const pttl = Number(await client.sendCommand(['PTTL', `session:GET ${base}/page`]));
    expect(pttl).toBeGreaterThan(85_000);
    expect(pttl).toBeLessThanOrEqual(90_000);
    // With a validator, it is kept a day longer (staleTtl) so that a 304 can refresh it.
    await s.get(`${base}/etag`);
    const etagTtl = Number(await client.sendCommand(['PTTL', `session:GET ${base}/etag`]));
    expect(etagTtl).toBeGreaterThan(86_400_000);
    // An unsafe method invalidates it in Redis.
    await s.post(`${base}/page`, { data: 'x' });
    expect(await client.exists(`session:GET ${base}/page`)).toBe(0);
    await s.close();
    await store.close();
  });

  it('Redis down: requests go on uncached, the failure is reported to onError', async () => {
    const port = await freePort();
    const store = new RedisCacheStore({ url: `redis://127.0.0.1:${port}`, commandTimeout: 2000 });
    const errors: unknown[] = [];
    const s = new Session();
    s.use(cache({ store, onError: (e) => errors.push(e) }));
    const res = await s.get(`${base}/down`);
    expect(res.text).toBe('body of /down');
    expect((await s.get(`${base}/down`)).fromCache).toBe(false);
    expect(hits.get('/down')).toBe(2);
    expect(errors.length).toBeGreaterThan(0);
    await s.close();
    await store.close();
  });

  it('Redis going away while connected: calls fail (the cache counts them as misses), nothing unhandled', async () => {
    const own = await startRedis();
    const store = new RedisCacheStore({ url: own.url, prefix: 'gone', commandTimeout: 2000 });
    const entry: CacheEntry = { variants: [stored(new Uint8Array([7]))] };
    await store.set('k', entry, 10_000);
    expect(await store.get('k')).toEqual(entry);
    await own.stop();
    await expect(store.get('k')).rejects.toThrow();
    await expect(store.set('k', entry, 10_000)).rejects.toThrow();
    await store.close();
  });

  it('checks its options', () => {
    expect(() => new RedisCacheStore({} as never)).toThrow(TypeError);
    expect(() => new RedisCacheStore({ url: redis.url, commandTimeout: 0 })).toThrow(RangeError);
  });
});
