import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CookieJar, loadCookiesTxt, saveCookiesTxt } from '../src/index.js';
import { DeferredStore } from './support/deferred-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sess-cookies-txt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jarWithLogin(): CookieJar {
  const jar = new CookieJar();
  jar.set('remember', 'r1', { domain: 'example.com', expires: Date.now() + 3_600_000 });
  // A cookie without an expiry: usually the login.
  jar.set('sessionid', 's1', { domain: 'example.com' });
  return jar;
}

describe('saveCookiesTxt and session cookies', () => {
  it('keeps session cookies by default, written with expiry 0', async () => {
    const path = join(dir, 'default.txt');
    await saveCookiesTxt(jarWithLogin(), path);
    const text = readFileSync(path, 'latin1');
    expect(text).toContain('\tremember\tr1\n');
    expect(text).toContain('\t0\tsessionid\ts1\n');
    expect((await loadCookiesTxt(path, { keepSession: true })).getDict()).toEqual({
      remember: 'r1',
      sessionid: 's1',
    });
  });

  it('drops them with { keepSession: false }', async () => {
    const path = join(dir, 'dropped.txt');
    await saveCookiesTxt(jarWithLogin(), path, { keepSession: false });
    const text = readFileSync(path, 'latin1');
    expect(text).toContain('\tremember\tr1\n');
    expect(text).not.toContain('sessionid');
  });

  it('keeps them by default on an asynchronous store too', async () => {
    const jar = new CookieJar({ store: new DeferredStore() });
    await jar.setAsync('sessionid', 's1', { domain: 'example.com' });
    const path = join(dir, 'async.txt');
    await saveCookiesTxt(jar, path);
    expect(readFileSync(path, 'latin1')).toContain('\t0\tsessionid\ts1\n');
  });

  it('jar.toNetscape() keeps MozillaCookieJar’s default (session cookies left out)', () => {
    expect(jarWithLogin().toNetscape()).not.toContain('sessionid');
  });
});
