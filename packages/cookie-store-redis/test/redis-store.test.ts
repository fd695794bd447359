import { CookieJar, cookieFromJSON } from '@sess/cookies';
import { freePort, type RedisServer, startRedisServer as startRedis } from '@sess/testkit';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cookieId, cookieKey, RedisCookieStore } from '../src/index.js';

type Client = ReturnType<typeof createClient>;

let redis: RedisServer;
let client: Client;
let prefixes = 0;

async function connect(url: string): Promise<Client> {
  const c = createClient({ url });
  c.on('error', () => {});
  await c.connect();
  return c;
}

beforeAll(async () => {
  redis = await startRedis();
  client = await connect(redis.url);
});

afterAll(async () => {
  if (client?.isOpen) await client.close();
  await redis?.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

function fresh(limits: { maxCookies?: number; maxCookiesPerDomain?: number } = {}) {
  const prefix = `test${prefixes++}`;
  const store = new RedisCookieStore({ client, prefix, ...limits });
  return { prefix, store, jar: new CookieJar({ store }) };
}

function key(prefix: string, domain: string, path: string, name: string): string {
  return cookieKey(prefix, cookieId(domain, path, name));
}

describe('RedisCookieStore under a CookieJar', () => {
  it('stores and sends cookies by RFC 6265', async () => {
    const { jar } = fresh();
    await jar.setCookiesFromResponse(
      ['host=1; Path=/', 'wide=2; Domain=example.com; Path=/', 'deep=3; Path=/api', 'sec=4; Secure'],
      'https://www.example.com/',
    );
    await jar.setCookiesFromResponse(['evil=1; Domain=com', 'ip=1'], 'http://127.0.0.1:8000/');
    expect(await jar.getCookieHeader('https://www.example.com/api/x')).toBe('deep=3; host=1; wide=2; sec=4');
    expect(await jar.getCookieHeader('http://www.example.com/')).toBe('host=1; wide=2');
    expect(await jar.getCookieHeader('https://shop.example.com/')).toBe('wide=2');
    expect(await jar.getCookieHeader('https://example.org/')).toBe('');
    expect(await jar.getCookieHeader('http://127.0.0.1:8000/')).toBe('ip=1');
    expect(await jar.getCookieHeader('http://localhost:8000/')).toBe('');
    expect(await jar.sizeAsync()).toBe(5);
  });

  it('maps a cookie’s expiry onto its key’s Redis TTL', async () => {
    const { jar, prefix } = fresh();
    await jar.setCookiesFromResponse(
      ['hour=1; Max-Age=3600', 'dated=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT', 'session=1'],
      'https://example.com/',
    );
    const pttl = Number(await client.sendCommand(['PTTL', key(prefix, 'example.com', '/', 'hour')]));
    expect(pttl).toBeGreaterThan(3_590_000);
    expect(pttl).toBeLessThanOrEqual(3_600_000);
    const at = Number(await client.sendCommand(['PEXPIRETIME', key(prefix, 'example.com', '/', 'dated')]));
    expect(at).toBe(Date.UTC(2100, 0, 1));
    expect(Number(await client.sendCommand(['PTTL', key(prefix, 'example.com', '/', 'session')]))).toBe(-1);
  });

  it('forgets a cookie whose key Redis expired', async () => {
    const { jar, prefix } = fresh();
    await jar.setCookiesFromResponse(['a=1; Max-Age=3600', 'b=1; Max-Age=3600'], 'https://example.com/');
    await client.sendCommand(['PEXPIRE', key(prefix, 'example.com', '/', 'a'), '1']);
    // Redis expires keys itself: a key past its expiry is never returned, whether or not it was reclaimed yet.
    await client.sendCommand(['DEL', key(prefix, 'example.com', '/', 'a')]);
    expect(await jar.getCookieHeader('https://example.com/')).toBe('b=1');
    expect(await jar.keysAsync()).toEqual(['b']);
  });

  it('deletes a cookie a server expires, with its index entries', async () => {
    const { jar, prefix } = fresh();
    await jar.setCookiesFromResponse(['a=1; Max-Age=3600'], 'https://example.com/');
    await jar.setCookiesFromResponse(['a=; Max-Age=0'], 'https://example.com/');
    expect(await jar.getCookieHeader('https://example.com/')).toBe('');
    expect(await client.sendCommand(['KEYS', `${prefix}:*`])).toEqual([`${prefix}:seq`]);
  });

  it('prunes the indexes of expired cookies on the next write', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    const { jar, prefix } = fresh();
    await jar.setCookiesFromResponse(['brief=1; Max-Age=10'], 'https://example.com/');
    const id = cookieId('example.com', '/', 'brief');
    expect(await client.sendCommand(['ZSCORE', `${prefix}:all`, id])).not.toBeNull();
    vi.setSystemTime(Date.now() + 60_000);
    await jar.setCookiesFromResponse(['next=1'], 'https://example.com/');
    expect(await client.sendCommand(['ZSCORE', `${prefix}:all`, id])).toBeNull();
    expect(await client.sendCommand(['SISMEMBER', `${prefix}:d:example.com`, id])).toBe(0);
    expect(await client.sendCommand(['EXISTS', cookieKey(prefix, id)])).toBe(0);
  });

  it('lays its data out as documented', async () => {
    const { jar, prefix } = fresh();
    await jar.setCookiesFromResponse(['a=1; Max-Age=100; Domain=example.com'], 'https://www.example.com/');
    const keys = (await client.sendCommand(['KEYS', `${prefix}:*`])) as string[];
    expect(keys.sort()).toEqual(
      [
        `${prefix}:all`,
        key(prefix, 'example.com', '/', 'a'),
        `${prefix}:d:example.com`,
        `${prefix}:exp`,
        `${prefix}:s:example.com`,
        `${prefix}:seq`,
      ].sort(),
    );
    const stored = JSON.parse(
      String(await client.sendCommand(['GET', key(prefix, 'example.com', '/', 'a')])),
    );
    expect(stored).toMatchObject({ key: 'a', value: '1', domain: 'example.com', path: '/', hostOnly: false });
  });

  it('supports the jar’s Async API: set, get, delete, clear, JSON', async () => {
    const { jar, prefix } = fresh();
    await jar.setAsync('token', 'abc', { domain: 'api.example.com', expires: Date.now() + 60_000 });
    await jar.setAsync('pref', 'dark', { domain: 'example.com', path: '/ui' });
    await jar.setAsync('other', '1', { domain: 'other.org' });
    expect(await jar.getAsync('token')).toBe('abc');
    expect(await jar.getDictAsync({ domain: 'example.com' })).toEqual({ pref: 'dark' });
    expect(await jar.deleteAsync('pref')).toBe(true);
    await jar.clearAsync('other.org');
    expect(await jar.keysAsync()).toEqual(['token']);

    const saved = await jar.toJSONAsync();
    await jar.clearAsync();
    expect(await jar.sizeAsync()).toBe(0);
    // clear() is one removeAllCookies: no key is left, not even the write counter.
    expect(await client.sendCommand(['KEYS', `${prefix}:*`])).toEqual([]);
    await jar.loadJSONAsync(saved);
    expect(await jar.getCookieHeader('https://api.example.com/')).toBe('token=abc');
  });

  it('removes the cookies of one domain and path (removeCookies)', async () => {
    const { jar, store } = fresh();
    await jar.setCookiesFromResponse(['a=1; Path=/', 'b=1; Path=/x', 'c=1; Path=/x'], 'https://example.com/');
    await store.removeCookies('example.com', '/x');
    expect(await jar.keysAsync()).toEqual(['a']);
    await store.removeCookies('example.com', null);
    expect(await jar.keysAsync()).toEqual([]);
  });

  it('bounds each registrable domain and the total, least recently written first', async () => {
    const { jar, store } = fresh({ maxCookiesPerDomain: 5, maxCookies: 8 });
    expect(jar.limits).toEqual({ maxCookiesPerDomain: 5, maxCookies: 8 });
    for (let i = 0; i < 20; i++) {
      await jar.setCookiesFromResponse([`c${i}=1`], `https://h${i % 3}.example.com/`);
    }
    expect((await jar.keysAsync()).sort()).toEqual(['c15', 'c16', 'c17', 'c18', 'c19']);
    await jar.setCookiesFromResponse(['x=1', 'y=1', 'z=1', 'w=1'], 'https://other.org/');
    expect(await jar.sizeAsync()).toBe(8);
    expect(await jar.getDictAsync({ domain: 'other.org' })).toEqual({ x: '1', y: '1', z: '1', w: '1' });
    expect(() => new CookieJar({ store, maxCookies: 10 })).toThrow(/own limits/);
  });

  it('never loses a cookie to concurrent writers: two jars, 200 cookies each, at once', async () => {
    const prefix = `test${prefixes++}`;
    const other = await connect(redis.url);
    try {
      const jarA = new CookieJar({ store: new RedisCookieStore({ client, prefix }) });
      const jarB = new CookieJar({ store: new RedisCookieStore({ client: other, prefix }) });
      const writes: Array<Promise<void>> = [];
      for (let i = 0; i < 200; i++) {
        const url = `https://site${i % 20}.example/`;
        writes.push(jarA.setCookiesFromResponse([`a${i}=${i}; Max-Age=600`], url));
        writes.push(jarB.setCookiesFromResponse([`b${i}=${i}; Max-Age=600`], url));
      }
      await Promise.all(writes);
      const reader = new CookieJar({ store: new RedisCookieStore({ client, prefix }) });
      expect(await reader.sizeAsync()).toBe(400);
      const header = await reader.getCookieHeader('https://site7.example/');
      expect(header.split('; ')).toHaveLength(20);
      expect(Number(await client.sendCommand(['ZCARD', `${prefix}:all`]))).toBe(400);
      expect(Number(await client.sendCommand(['GET', `${prefix}:seq`]))).toBe(400);
    } finally {
      await other.close();
    }
  });

  it('reloads its scripts after SCRIPT FLUSH', async () => {
    const { jar } = fresh();
    await jar.setCookiesFromResponse(['a=1'], 'https://example.com/');
    await client.sendCommand(['SCRIPT', 'FLUSH']);
    await jar.setCookiesFromResponse(['b=1'], 'https://example.com/');
    expect(await jar.getCookieHeader('https://example.com/')).toBe('a=1; b=1');
  });

  it('creates, connects and closes its own client from a URL', async () => {
    const store = new RedisCookieStore({ url: redis.url, prefix: `test${prefixes++}` });
    const jar = new CookieJar({ store });
    await jar.setCookiesFromResponse(['a=1'], 'https://example.com/');
    expect(await jar.getCookieHeader('https://example.com/')).toBe('a=1');
    await store.close();
    await expect(jar.getCookieHeader('https://example.com/')).rejects.toThrow();
  });

  it('reports an unreachable server as an error, not as no cookies', async () => {
    const store = new RedisCookieStore({ url: 'redis://127.0.0.1:1', prefix: 'nowhere' });
    const jar = new CookieJar({ store });
    await expect(jar.getCookieHeader('https://example.com/')).rejects.toThrow();
    await store.close();
  });

  it('keeps working when a stored id cannot be decoded by Lua (lone surrogate)', async () => {
    const { jar, store, prefix } = fresh({ maxCookiesPerDomain: 3 });
    // Written past the jar's checks (which now refuse it), as an older version could have stored it.
    await expect(jar.setAsync('bad\ud800', '1', { domain: 'example.com' })).rejects.toThrow(TypeError);
    const cookie = cookieFromJSON({
      key: 'bad\ud800',
      value: '1',
      domain: 'example.com',
      path: '/',
      hostOnly: false,
    });
    if (!cookie) throw new Error('no cookie');
    await store.putCookie(cookie);
    for (let i = 0; i < 4; i++) await jar.setCookiesFromResponse([`k${i}=1`], 'http://example.com/');
    expect(await jar.keysAsync()).toEqual(['k1', 'k2', 'k3']);
    await store.putCookie(cookie);
    await store.removeCookie('example.com', '/', 'bad\ud800');
    await store.putCookie(cookie);
    await store.removeCookies('example.com', '/');
    await jar.clearAsync();
    expect(await jar.sizeAsync()).toBe(0);
    expect(await client.sendCommand(['KEYS', `${prefix}:*`])).toEqual([]);
  });

  it('connects on a later call when Redis was down when the store was created', async () => {
    const port = await freePort();
    const store = new RedisCookieStore({ url: `redis://127.0.0.1:${port}`, prefix: `test${prefixes++}` });
    const jar = new CookieJar({ store });
    await expect(jar.getCookieHeader('https://example.com/')).rejects.toThrow();
    const late = await startRedis(port);
    try {
      await jar.setCookiesFromResponse(['a=1'], 'https://example.com/');
      expect(await jar.getCookieHeader('https://example.com/')).toBe('a=1');
    } finally {
      await store.close();
      await late.stop();
    }
  });

  it('fails a call after commandTimeout when Redis hangs', async () => {
    expect(() => new RedisCookieStore({ client, commandTimeout: 0 })).toThrow(RangeError);
    expect(new RedisCookieStore({ client }).commandTimeout).toBe(5000);
    const hung = await startRedis();
    const store = new RedisCookieStore({ url: hung.url, prefix: 'hung', commandTimeout: 300 });
    const jar = new CookieJar({ store });
    try {
      await jar.setCookiesFromResponse(['a=1'], 'https://example.com/');
      process.kill(hung.pid, 'SIGSTOP');
      try {
        const started = Date.now();
        await expect(jar.getCookieHeader('https://example.com/')).rejects.toThrow(/commandTimeout/);
        expect(Date.now() - started).toBeLessThan(2000);
      } finally {
        process.kill(hung.pid, 'SIGCONT');
      }
      expect(await jar.getCookieHeader('https://example.com/')).toBe('a=1');
    } finally {
      await store.close();
      await hung.stop();
    }
  });

  it('bounds a call on a client that queues commands while offline', async () => {
    const down = await startRedis();
    const queueing = await connect(down.url);
    const store = new RedisCookieStore({ client: queueing, prefix: 'queued', commandTimeout: 300 });
    const jar = new CookieJar({ store });
    await down.stop();
    try {
      await expect(jar.getCookieHeader('https://example.com/')).rejects.toThrow(/commandTimeout/);
    } finally {
      queueing.destroy();
    }
  });

  it('needs a client or a URL', () => {
    // @ts-expect-error neither client nor url
    expect(() => new RedisCookieStore({ prefix: 'x' })).toThrow(TypeError);
  });
});
