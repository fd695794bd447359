import { readFile } from 'node:fs/promises';
import type { Store } from 'tough-cookie';
import { writeFileAtomic } from './atomic-write.js';
import { CookieJar } from './jar.js';
import type { MemoryJarOptions, NetscapeOptions } from './types.js';

/**
 * Reads a Netscape cookies.txt file (curl, wget, browser exports) into a new
 * in-memory jar. Session cookies (expiry 0) are kept only with
 * `keepSession`; expired cookies, unreadable lines and cookies that break
 * the jar's rules are left out. Rejects when the file cannot be read.
 */
export async function loadCookiesTxt(
  path: string,
  options: MemoryJarOptions & NetscapeOptions = {},
): Promise<CookieJar> {
  const text = await readFile(path, 'utf8');
  const { keepSession, ...jarOptions } = options;
  const jar = new CookieJar(jarOptions);
  jar.loadNetscape(text, { keepSession });
  return jar;
}

/**
 * Writes `jar` (any store) as a Netscape cookies.txt file, atomically and
 * with mode 0600. Session cookies are written (with expiry 0) only with
 * `keepSession`.
 */
export async function saveCookiesTxt(
  jar: CookieJar<Store>,
  path: string,
  options: NetscapeOptions = {},
): Promise<void> {
  await writeFileAtomic(path, await jar.toNetscapeAsync(options));
}
