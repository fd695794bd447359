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
 * with mode 0600. Session cookies are written (with expiry 0) only with
 * `keepSession`.
 */
export async function saveCookiesTxt(
  jar: CookieJar<Store>,
  path: string,
  options: NetscapeOptions = {},
): Promise<void> {
  await writeFileAtomic(path, Buffer.from(await jar.toNetscapeAsync(options), 'latin1'));
}
