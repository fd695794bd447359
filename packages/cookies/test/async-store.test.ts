import { describe, expect, it } from 'vitest';
import { CookieJar, MemoryStore, mergeCookies } from '../src/index.js';
import { DeferredStore } from './support/deferred-store.js';

function asyncJar(options: { maxCookies?: number; maxCookiesPerDomain?: number } = {}) {
  const store = new DeferredStore();
  return { store, jar: new CookieJar({ store, ...options }) };
}

describe('a jar on an asynchronous store', () => {
  it('returns promises from the Session methods', async () => {
    const { jar } = asyncJar();
    const stored = jar.setCookiesFromResponse(
      ['a=1; Path=/', 'b=2; Domain=example.com'],
      'http://www.example.com/',
    );
    expect(stored).toBeInstanceOf(Promise);
    await stored;
    const header = jar.getCookieHeader('http://www.example.com/x');
    expect(header).toBeInstanceOf(Promise);
    expect(await header).toBe('a=1; b=2');
    expect(await jar.getCookieHeader('http://api.example.com/')).toBe('b=2');
    expect(jar.synchronous).toBe(false);
  });

  it('points each synchronous reader to its Async twin', async () => {
    const { jar } = asyncJar();
    await jar.setCookiesFromResponse(['a=1'], 'http://example.com/');
    const loose = jar as unknown as CookieJar;
    expect(() => loose.get('a')).toThrow(/use getAsync\(\)/);
    expect(() => loose.getDict()).toThrow(/use getDictAsync\(\)/);
    expect(() => loose.set('a', '2', { domain: 'example.com' })).toThrow(/use setAsync\(\)/);
    expect(() => loose.keys()).toThrow(/use keysAsync\(\)/);
    expect(() => loose.clear()).toThrow(/use clearAsync\(\)/);
    expect(() => loose.toJSON()).toThrow(/use toJSONAsync\(\)/);
    expect(() => [...loose]).toThrow(/use toArrayAsync\(\)/);
    expect(() => jar.size).toThrow(/use sizeAsync\(\)/);
    expect(await jar.getDictAsync()).toEqual({ a: '1' });
  });

  it('rejects synchronous readers at compile time too', () => {
    const { jar } = asyncJar();
    // @ts-expect-error getDict() needs a synchronous store
    expect(() => jar.getDict()).toThrow(TypeError);
    // @ts-expect-error get() needs a synchronous store
    expect(() => jar.get('a')).toThrow(TypeError);
  });

  it('offers the whole requests API as …Async methods', async () => {
    const { jar } = asyncJar();
    await jar.setCookiesFromResponse(['a=1; Path=/', 'b=2; Path=/api', 'sess=1'], 'http://example.com/');
    await jar.setCookiesFromResponseAsync(['a=3; Path=/; Max-Age=100'], 'http://other.org/');
    await jar.setAsync('c', '4', { domain: 'example.com', path: '/api' });
    expect(await jar.getAsync('b')).toBe('2');
    await expect(jar.getAsync('a')).rejects.toThrow(/multiple cookies/);
    expect(await jar.getAsync('a', { domain: 'other.org' })).toBe('3');
    expect(await jar.getDictAsync({ path: '/api' })).toEqual({ b: '2', c: '4' });
    expect(await jar.keysAsync()).toEqual(['a', 'b', 'sess', 'a', 'c']);
    expect(await jar.valuesAsync()).toEqual(['1', '2', '1', '3', '4']);
    expect((await jar.itemsAsync())[1]).toEqual(['b', '2']);
    expect(await jar.listDomainsAsync()).toEqual(['example.com', 'other.org']);
    expect(await jar.listPathsAsync()).toEqual(['/', '/api']);
    expect(await jar.multipleDomainsAsync()).toBe(true);
    expect(await jar.sizeAsync()).toBe(5);
    expect((await jar.toArrayAsync()).map((c) => c.key)).toEqual(['a', 'b', 'sess', 'a', 'c']);
    const seen: string[] = [];
    for await (const c of jar) seen.push(c.key);
    expect(seen).toHaveLength(5);
    expect(await jar.getCookieHeaderAsync('http://example.com/api')).toBe('b=2; c=4; a=1; sess=1');

    const copy = await jar.copyAsync();
    expect(copy.synchronous).toBe(true);
    expect(copy.size).toBe(5);

    const json = await jar.toJSONAsync();
    expect(json.cookies).toHaveLength(5);
    const text = await jar.toNetscapeAsync({ keepSession: true });
    expect(text.split('\n').filter((l) => l.includes('\t'))).toHaveLength(5);

    await jar.clearSessionCookiesAsync();
    expect(await jar.keysAsync()).toEqual(['a']);
    expect(await jar.deleteAsync('a')).toBe(true);
    expect(await jar.sizeAsync()).toBe(0);

    const loaded = await jar.loadNetscapeAsync(text, { keepSession: true });
    expect(loaded.loaded).toBe(5);
    await jar.setAsync('b', null, { domain: 'example.com' });
    await jar.clearAsync('other.org');
    expect(await jar.getDictAsync()).toEqual({ a: '1', sess: '1', c: '4' });
    await jar.clearExpiredCookiesAsync();
    await jar.clearAsync();
    expect(await jar.sizeAsync()).toBe(0);

    await jar.loadJSONAsync(json);
    expect(await jar.sizeAsync()).toBe(5);
    const other = new CookieJar();
    other.set('z', '1', { domain: 'z.com' });
    await jar.updateAsync(other);
    expect(await jar.getAsync('z')).toBe('1');
  });

  it('fromJSONAsync() fills a jar on the given store', async () => {
    const source = new CookieJar();
    source.set('a', '1', { domain: 'example.com' });
    const store = new DeferredStore();
    const jar = await CookieJar.fromJSONAsync(source.toJSON(), { store });
    expect(jar.store).toBe(store);
    expect(await jar.getCookieHeader('https://example.com/')).toBe('a=1');
  });

  it('createEmpty() gives a synchronous in-memory jar for response.cookies', async () => {
    const { jar } = asyncJar();
    const empty = jar.createEmpty();
    expect(empty.store).toBeInstanceOf(MemoryStore);
    empty.setCookiesFromResponse(['a=1'], 'http://example.com/');
    expect(empty.getDict()).toEqual({ a: '1' });
    expect(await jar.sizeAsync()).toBe(0);
  });

  it('enforces the limits itself, since this store has none', async () => {
    const { jar, store } = asyncJar({ maxCookiesPerDomain: 4 });
    await jar.setCookiesFromResponse(
      Array.from({ length: 12 }, (_, i) => `c${i}=1`),
      'http://example.com/',
    );
    expect((await store.inner.getAllCookies()).map((c) => c.key)).toEqual(['c8', 'c9', 'c10', 'c11']);
  });

  it('lets a failing store fail the call, rather than treating it as a rejected cookie', async () => {
    const rejected: string[] = [];
    const store = new DeferredStore();
    const jar = new CookieJar({ store, onRejected: (r) => rejected.push(r.reason) });
    store.failWrites = true;
    await expect(jar.setCookiesFromResponse(['a=1'], 'http://example.com/')).rejects.toThrow('store is down');
    expect(rejected).toEqual([]);
  });

  it('mergeCookies() returns a promise of the jar', async () => {
    const { jar } = asyncJar();
    const merged = mergeCookies(jar, { a: '1' }, { domain: 'example.com' });
    expect(merged).toBeInstanceOf(Promise);
    expect(await merged).toBe(jar);
    expect(await jar.getDictAsync()).toEqual({ a: '1' });
  });
});

describe('the Async methods on the default synchronous store', () => {
  it('work too, so code can be written once for both', async () => {
    const jar = new CookieJar();
    await jar.setCookiesFromResponseAsync(['a=1'], 'http://example.com/');
    expect(await jar.getCookieHeaderAsync('http://example.com/')).toBe('a=1');
    expect(await jar.getDictAsync()).toEqual({ a: '1' });
  });

  it('a store that claims to be synchronous but is not is caught', () => {
    const store = new DeferredStore() as unknown as MemoryStore;
    Object.defineProperty(store, 'synchronous', { value: true });
    const jar = new CookieJar({ store });
    expect(() => jar.getCookieHeader('http://example.com/')).toThrow(/needs a synchronous cookie store/);
  });
});
