import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CookieJar,
  type CookieJarJSON,
  FileCookieStore,
  loadCookiesTxt,
  writeFileAtomic,
  writeFileAtomicSync,
} from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'sess-file-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function freshDir(): string {
  const dir = join(root, `case${n++}`);
  mkdirSync(dir);
  return dir;
}
function tempFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}

describe('writeFileAtomic', () => {
  it('replaces the file, with mode 0600, and leaves no temporary file', async () => {
    const dir = freshDir();
    const path = join(dir, 'f.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    writeFileAtomicSync(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await writeFileAtomic(path, new TextEncoder().encode('newer'));
    expect(readFileSync(path, 'utf8')).toBe('newer');
    expect(tempFiles(dir)).toEqual([]);
  });

  it('fails without touching the target when the directory does not exist', () => {
    const dir = freshDir();
    expect(() => writeFileAtomicSync(join(dir, 'missing', 'f.json'), 'x')).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('FileCookieStore', () => {
  it('persists what the jar stores and reloads it in a new process-like instance', () => {
    const path = join(freshDir(), 'jar.json');
    const jar = new CookieJar({ store: new FileCookieStore({ path }) });
    jar.setCookiesFromResponse(['login=ok; Max-Age=3600; HttpOnly', 'session=1'], 'https://example.com/');
    const file = JSON.parse(readFileSync(path, 'utf8')) as CookieJarJSON;
    expect(file.cookies.map((c) => c.key)).toEqual(['login']);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const again = new CookieJar({ store: new FileCookieStore({ path }) });
    expect(again.getCookieHeader('https://example.com/')).toBe('login=ok');
    again.delete('login');
    expect((JSON.parse(readFileSync(path, 'utf8')) as CookieJarJSON).cookies).toEqual([]);
  });

  it('keeps session cookies with keepSession', () => {
    const path = join(freshDir(), 'jar.json');
    const jar = new CookieJar({ store: new FileCookieStore({ path, keepSession: true }) });
    jar.set('s', '1', { domain: 'example.com' });
    const reloaded = new CookieJar({ store: new FileCookieStore({ path, keepSession: true }) });
    expect(reloaded.getDict()).toEqual({ s: '1' });
    expect(new CookieJar({ store: new FileCookieStore({ path }) }).getDict()).toEqual({});
  });

  it('writes once per jar call, however many cookies it stores', () => {
    class CountingStore extends FileCookieStore {
      flushes = 0;
      override flush(): void {
        this.flushes++;
        super.flush();
      }
    }
    const store = new CountingStore({ path: join(freshDir(), 'jar.json') });
    const jar = new CookieJar({ store });
    jar.setCookiesFromResponse(
      Array.from({ length: 20 }, (_, i) => `c${i}=1; Max-Age=100`),
      'https://example.com/',
    );
    expect(store.flushes).toBe(1);
    jar.clear();
    expect(store.flushes).toBe(2);
    expect(jar.size).toBe(0);
  });

  it('ignores a temporary file left behind by a crash', async () => {
    const dir = freshDir();
    const path = join(dir, 'jar.json');
    new CookieJar({ store: new FileCookieStore({ path }) }).set('a', '1', {
      domain: 'example.com',
      expires: Date.now() + 60_000,
    });
    writeFileSync(join(dir, '.jar.json.4242.deadbeefcafe.tmp'), '{"cookies":[{"key":"half');
    writeFileSync(join(dir, '.cookies.txt.4242.deadbeefcafe.tmp'), 'garbage');
    const jar = new CookieJar({ store: new FileCookieStore({ path }) });
    expect(jar.getDict()).toEqual({ a: '1' });
    expect(jar.store.skipped).toEqual([]);
    writeFileSync(join(dir, 'cookies.txt'), jar.toNetscape());
    expect((await loadCookiesTxt(join(dir, 'cookies.txt'))).getDict()).toEqual({ a: '1' });
  });

  it('refuses a file that is not a jar rather than overwriting it', () => {
    const path = join(freshDir(), 'jar.json');
    writeFileSync(path, 'definitely not json');
    expect(() => new FileCookieStore({ path })).toThrow(/not a cookie jar file/);
    expect(readFileSync(path, 'utf8')).toBe('definitely not json');
  });

  it('checks what it loads and reports what it skipped', () => {
    const path = join(freshDir(), 'jar.json');
    const future = new Date(Date.now() + 60_000).toISOString();
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        cookies: [
          { key: 'ok', value: '1', domain: 'example.com', path: '/', hostOnly: true, expires: future },
          { key: 'evil', value: '1', domain: 'co.uk', path: '/', hostOnly: false, expires: future },
        ],
      }),
    );
    const store = new FileCookieStore({ path });
    expect(new CookieJar({ store }).keys()).toEqual(['ok']);
    expect(store.skipped).toEqual([{ cookie: 'evil', reason: 'cookie domain co.uk is a public suffix' }]);
  });

  it('bounds what it holds like the memory store', () => {
    const path = join(freshDir(), 'jar.json');
    const jar = new CookieJar({ store: new FileCookieStore({ path, maxCookiesPerDomain: 10 }) });
    jar.setCookiesFromResponse(
      Array.from({ length: 50 }, (_, i) => `c${i}=1; Max-Age=100`),
      'https://example.com/',
    );
    expect(jar.size).toBe(10);
    expect((JSON.parse(readFileSync(path, 'utf8')) as CookieJarJSON).cookies).toHaveLength(10);
  });
});

/** A jar file of `count` cookies whose values are all `fill`. */
function jarText(count: number, fill: string): string {
  const expires = new Date(Date.now() + 3_600_000).toISOString();
  const cookies = Array.from({ length: count }, (_, i) => ({
    key: `c${i}`,
    value: fill.repeat(400),
    domain: `site${i % 20}.example`,
    path: '/',
    hostOnly: true,
    expires,
  }));
  return `${JSON.stringify({ version: 1, cookies })}\n`;
}

describe('a crash never leaves a half-written jar', () => {
  it('readers see the old or the new file while another process rewrites it, and after it is killed', async () => {
    const dir = freshDir();
    const path = join(dir, 'jar.json');
    const a = jarText(1500, 'a');
    const b = jarText(1500, 'b');
    writeFileSync(join(dir, 'a.src'), a);
    writeFileSync(join(dir, 'b.src'), b);
    writeFileSync(path, a);

    const fixture = fileURLToPath(new URL('./fixtures/atomic-writer.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--conditions=@sess/source', '--import', 'tsx', fixture, path, join(dir, 'a.src'), join(dir, 'b.src')],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let writes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().trim().split('\n');
      writes = Number(lines[lines.length - 1]);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, 'exit');

    const seen = new Set<string>();
    let reads = 0;
    while (writes < 40 && child.exitCode === null) {
      const text = readFileSync(path, 'utf8');
      expect(text === a || text === b, `read ${reads} saw ${text.length} bytes: neither old nor new`).toBe(
        true,
      );
      seen.add(text === a ? 'a' : 'b');
      reads++;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(stderr).toBe('');
    expect(writes).toBeGreaterThanOrEqual(40);
    expect(seen).toEqual(new Set(['a', 'b']));

    child.kill('SIGKILL');
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
    const final = readFileSync(path, 'utf8');
    expect(final === a || final === b).toBe(true);
    const jar = new CookieJar({ store: new FileCookieStore({ path }) });
    expect(jar.size).toBe(1500);
    expect(jar.getCookieHeader('http://site3.example/').length).toBeGreaterThan(400);
  });
});
