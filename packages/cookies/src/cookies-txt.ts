import { readFile } from 'node:fs/promises';
import type { Store } from 'tough-cookie';
import { writeFileAtomic } from './atomic-write.js';
import { CookieJar } from './jar.js';
import type { MemoryJarOptions, NetscapeOptions } from './types.js';

/**
 * Reads a Netscape cookies.txt file (curl, wget, browser exports), as
 * latin1 (byte for byte, like a Cookie header), into a new
 * in-memory jar. Session cookies (expiry 0) are kept only with
 * `keepSession`; expired cookies, unreadable lines and cookies that break
 * the jar's rules are left out. Rejects when the file cannot be read.
 */
export async function loadCookiesTxt(
  path: string,
  options: MemoryJarOptions & NetscapeOptions = {},
): Promise<CookieJar> {
  // latin1: every byte maps to one character and back, so raw bytes (a Cookie header is latin1) survive.
  const text = await readFile(path, 'latin1');
  const { keepSession, ...jarOptions } = options;
  const jar = new CookieJar(jarOptions);
  jar.loadNetscape(text, { keepSession });
  return jar;
}

/**
 * Writes `jar` (any store) as a Netscape cookies.txt file (latin1), atomically and
 * with mode 0600. Session cookies (no expiry) are written, with expiry 0,
 * unless `keepSession: false`: a session cookie is usually the login, and
 * saving a jar is usually meant to keep it. (`jar.toNetscape()` keeps
 * MozillaCookieJar's default, which leaves them out.) Read them back with
 * `loadCookiesTxt(path, { keepSession: true })`.
 */
export async function saveCookiesTxt(
  jar: CookieJar<Store>,
  path: string,
  options: NetscapeOptions = {},
): Promise<void> {
  const text = await jar.toNetscapeAsync({ ...options, keepSession: options.keepSession ?? true });
  await writeFileAtomic(path, Buffer.from(text, 'latin1'));
}
