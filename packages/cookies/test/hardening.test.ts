import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  Cookie,
  CookieJar,
  type CookieRejection,
  formatNetscape,
  loadCookiesTxt,
  MemoryStore,
  saveCookiesTxt,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sess-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rejecting(): { jar: CookieJar; rejected: CookieRejection[] } {
  const rejected: CookieRejection[] = [];
  return { jar: new CookieJar({ onRejected: (r) => rejected.push(r) }), rejected };
}

describe('characters a Cookie header (latin1) cannot carry', () => {
  it('set() refuses them in the name, value and path', () => {
    const jar = new CookieJar();
    const domain = 'example.com';
    expect(() => jar.set('bad\ud800', '1', { domain })).toThrow(TypeError);
    expect(() => jar.set('euro\u20ac', '1', { domain })).toThrow(/U\+00FF/);
    expect(() => jar.set('a', 'x\ud800', { domain })).toThrow(TypeError);
    expect(() => jar.set('a', '\u0100', { domain })).toThrow(TypeError);
    expect(() => jar.set('a', '1', { domain, path: '/bad\ud800' })).toThrow(/path/);
    expect(() => jar.set('a', '1', { domain, path: '/a\tb' })).toThrow(/path/);
    expect(() => jar.set('a', '1', { domain, path: '/a;b' })).toThrow(/path/);
    expect(jar.size).toBe(0);
    // latin1 is fine.
    jar.set('caf\u00e9', '\u00ff', { domain, path: '/\u00e9' });
    expect(jar.getCookieHeader('http://example.com/\u00e9')).toBe('caf\u00e9=\u00ff');
  });

  it('a response cannot store them either', () => {
    const { jar, rejected } = rejecting();
    jar.setCookiesFromResponse(
      ['a=1; Path=/a\tb', 'b=1; Path=/x\ud800', 'c\u0100=1', 'd=\u20ac', 'ok=1'],
      'http://example.com/',
    );
    expect(jar.keys()).toEqual(['ok']);
    expect(rejected.map((r) => r.setCookie)).toHaveLength(4);
  });

  it('imports skip them', () => {
    const jar = new CookieJar();
    const result = jar.loadJSON({
      version: 1,
      cookies: [
        { key: 'a', value: '1', domain: 'example.com', path: '/a\tb' },
        { key: 'b\ud800', value: '1', domain: 'example.com', path: '/' },
        { key: 'c', value: '1', domain: 'example.com', path: '/c;d' },
        { key: 'ok', value: '1', domain: 'example.com', path: '/' },
      ],
    });
    expect(result.loaded).toBe(1);
    expect(result.skipped).toHaveLength(3);
    expect(() =>
      jar.update([new Cookie({ key: 'x', value: '1', domain: 'example.com', path: '/\n' })]),
    ).toThrow(TypeError);
  });
});

describe('cookies.txt', () => {
  it('formatNetscape skips (and reports) a cookie with a TAB, CR or LF in a field', () => {
    const skipped: string[] = [];
    const good = new Cookie({
      key: 'good',
      value: '1',
      domain: 'example.com',
      path: '/',
      expires: 'Infinity',
    });
    const tab = new Cookie({
      key: 'tab',
      value: '1',
      domain: 'example.com',
      path: '/a\tb',
      expires: 'Infinity',
    });
    const lf = new Cookie({
      key: 'lf',
      value: 'x\ny',
      domain: 'example.com',
      path: '/',
      expires: 'Infinity',
    });
    const cr = new Cookie({ key: 'c\rr', value: '1', domain: 'example.com', path: '/', expires: 'Infinity' });
    const text = formatNetscape([good, tab, lf, cr], {
      keepSession: true,
      onSkipped: (c, reason) => skipped.push(`${c.key}: ${reason}`),
    });
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.split('\t')).toHaveLength(7);
    expect(skipped).toHaveLength(3);
  });

  it('is read and written as latin1, so raw bytes survive', async () => {
    const path = join(dir, 'latin1.txt');
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    const line = Buffer.concat([
      Buffer.from(`example.com\tFALSE\t/\tFALSE\t${expiry}\tn\t`, 'latin1'),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      Buffer.from('\n'),
    ]);
    writeFileSync(path, line);
    const jar = await loadCookiesTxt(path);
    expect(jar.get('n')).toBe('caf\u00e9');
    const out = join(dir, 'latin1-out.txt');
    await saveCookiesTxt(jar, out);
    const bytes = readFileSync(out);
    expect(bytes.includes(Buffer.from([0x66, 0xe9, 0x0a]))).toBe(true);
    expect(bytes.includes(Buffer.from([0xc3, 0xa9]))).toBe(false);
  });
});

describe('__Host- and __Secure- prefixes, case-insensitively', () => {
  it('a response cannot dodge them with another case', () => {
    const { jar } = rejecting();
    jar.setCookiesFromResponse(['__HOST-a=1; Path=/', '__host-b=1; Secure; Path=/x'], 'https://example.com/');
    jar.setCookiesFromResponse(['__secure-c=1', '__SECURE-d=1'], 'http://example.com/');
    jar.setCookiesFromResponse(
      ['__HOST-ok=1; Secure; Path=/', '__SeCuRe-ok2=1; Secure'],
      'https://example.com/',
    );
    expect(jar.keys()).toEqual(['__HOST-ok', '__SeCuRe-ok2']);
  });

  it('set() and imports apply them too', () => {
    const jar = new CookieJar();
    expect(() => jar.set('__secure-x', '1', { domain: 'example.com' })).toThrow(/Secure/);
    expect(() => jar.set('__HOST-x', '1', { domain: 'example.com', secure: true })).toThrow(/__Host-/);
    const result = jar.loadJSON({
      version: 1,
      cookies: [{ key: '__SECURE-y', value: '1', domain: 'example.com', path: '/' }],
    });
    expect(result.skipped).toHaveLength(1);
    expect(jar.size).toBe(0);
  });
});

describe('clear()', () => {
  function filled(): { jar: CookieJar; store: MemoryStore } {
    const store = new MemoryStore();
    const jar = new CookieJar({ store });
    jar.setCookiesFromResponse(['a=1; Path=/', 'b=1; Path=/x', 'c=1; Path=/x'], 'http://example.com/');
    jar.setCookiesFromResponse(['d=1'], 'http://other.org/');
    return { jar, store };
  }

  it('with no arguments is one removeAllCookies', () => {
    const { jar, store } = filled();
    const all = vi.spyOn(store, 'getAllCookies');
    const removeAll = vi.spyOn(store, 'removeAllCookies');
    jar.clear();
    expect(removeAll).toHaveBeenCalledTimes(1);
    expect(all).not.toHaveBeenCalled();
    expect(jar.size).toBe(0);
  });

  it('of a domain (and path) is one removeCookies', () => {
    const { jar, store } = filled();
    const remove = vi.spyOn(store, 'removeCookies');
    const removeOne = vi.spyOn(store, 'removeCookie');
    jar.clear('Example.COM', '/x');
    expect(remove).toHaveBeenCalledWith('example.com', '/x', expect.any(Function));
    expect(jar.keys().sort()).toEqual(['a', 'd']);
    jar.clear('example.com');
    expect(remove).toHaveBeenLastCalledWith('example.com', null, expect.any(Function));
    expect(removeOne).not.toHaveBeenCalled();
    expect(jar.keys()).toEqual(['d']);
  });

  it('keeps http.cookiejar’s argument rules and removes one cookie by name', () => {
    const { jar } = filled();
    expect(() => jar.clear(undefined, '/x')).toThrow(TypeError);
    expect(() => jar.clear('example.com', undefined, 'a')).toThrow(TypeError);
    jar.clear('example.com', '/x', 'b');
    expect(jar.keys().sort()).toEqual(['a', 'c', 'd']);
  });
});

describe('update()', () => {
  it('of a plain dict is a TypeError pointing to mergeCookies', async () => {
    const jar = new CookieJar();
    // @ts-expect-error a dict is not a jar
    expect(() => jar.update({ x: '1' })).toThrow(/mergeCookies\(jar, dict, \{ domain \}\)/);
    // @ts-expect-error a dict is not a jar
    await expect(jar.updateAsync({ x: '1' })).rejects.toThrow(TypeError);
  });
});
