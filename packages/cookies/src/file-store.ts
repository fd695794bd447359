import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Cookie } from 'tough-cookie';
import { writeFileAtomicSync } from './atomic-write.js';
import type { CookieLimits } from './bounds.js';
import { checkImportedCookie, DEFAULT_MAX_COOKIE_SIZE } from './cookie-check.js';
import { isExpired, isSessionCookie } from './cookie-time.js';
import type { SkippedCookie } from './jar-ops.js';
import { MemoryStore } from './memory-store.js';
import { type CookieJarJSON, cookieFromJSON, cookieToJSON, readJarJSON } from './serialize.js';

/** Options of `new FileCookieStore()`. */
export interface FileCookieStoreOptions extends Partial<CookieLimits> {
  /** The JSON file (the `CookieJar.toJSON()` format). Created on the first write; its directory must exist. */
  path: string;
  /** Also persist session cookies. Default false: a session cookie ends with the process. */
  keepSession?: boolean | undefined;
  /** Cookies in the file larger than this (name plus value, bytes) are skipped. Default 4096. */
  maxCookieSize?: number | undefined;
}

/**
 * A synchronous store that keeps its cookies in memory (bounded, like
 * `MemoryStore`) and in a JSON file, rewritten atomically after every change
 * (temporary file in the same directory, fsync, rename): a crash leaves the
 * old file or the new one, never a torn one. The file is created with mode
 * 0600. Give it to a jar: `new CookieJar({ store: new FileCookieStore({ path }) })`;
 * the jar batches the writes of one call (a response's cookies) into one.
 *
 * One process per file: two processes writing the same file do not merge,
 * the last write wins (use `@sess/cookie-store-redis` to share a session).
 */
export class FileCookieStore extends MemoryStore {
  /** Absolute path of the file. */
  readonly path: string;
  readonly keepSession: boolean;
  /** Entries of the file that were not loaded because they break the jar's rules. */
  readonly skipped: readonly SkippedCookie[];
  #loading = true;
  #depth = 0;
  #dirty = false;
  #written: string | undefined;

  constructor(options: FileCookieStoreOptions) {
    super(options);
    this.path = resolve(options.path);
    this.keepSession = options.keepSession === true;
    this.skipped = this.#load(options.maxCookieSize ?? DEFAULT_MAX_COOKIE_SIZE);
    this.#loading = false;
  }

  #load(maxCookieSize: number): SkippedCookie[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    this.#written = text;
    let entries: readonly unknown[];
    try {
      entries = readJarJSON(text);
    } catch (e) {
      throw new TypeError(`${this.path} is not a cookie jar file: ${(e as Error).message}`, { cause: e });
    }
    const now = Date.now();
    const skipped: SkippedCookie[] = [];
    entries.forEach((entry, i) => {
      const cookie = cookieFromJSON(entry);
      const problem = cookie ? checkImportedCookie(cookie, maxCookieSize, now) : 'not a cookie';
      if (!cookie || problem !== undefined) {
        skipped.push({ cookie: cookie?.key ?? `#${i}`, reason: problem ?? 'not a cookie' });
      } else if (!isExpired(cookie, now) && (this.keepSession || !isSessionCookie(cookie))) {
        this.putCookie(cookie, () => {});
      }
    });
    return skipped;
  }

  protected override changed(): void {
    if (this.#loading) return;
    if (this.#depth > 0) this.#dirty = true;
    else this.flush();
  }

  /**
   * Runs `fn` and writes the file once at the end rather than after each
   * change inside it. Nested calls write once, at the outermost end.
   */
  batch<T>(fn: () => T): T {
    this.#depth++;
    try {
      return fn();
    } finally {
      this.#depth--;
      if (this.#depth === 0 && this.#dirty) {
        this.#dirty = false;
        this.flush();
      }
    }
  }

  /** Writes the file now (atomically), unless it already holds exactly this. */
  flush(): void {
    const now = Date.now();
    let cookies: Cookie[] = [];
    this.getAllCookies((error, all) => {
      if (!error && all) cookies = all;
    });
    const json: CookieJarJSON = {
      version: 1,
      cookies: cookies
        .filter((c) => !isExpired(c, now) && (this.keepSession || !isSessionCookie(c)))
        .map(cookieToJSON),
    };
    const text = `${JSON.stringify(json, null, 2)}\n`;
    if (text === this.#written) return;
    writeFileAtomicSync(this.path, text);
    this.#written = text;
  }
}
