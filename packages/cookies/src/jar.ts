import type { SessionCookieJar } from '@sess/core';
import type { Cookie, Store } from 'tough-cookie';
import { CookieJarBase } from './jar-base.js';
import {
  clearCookies,
  clearExpired,
  clearSession,
  cookieMatcher,
  copyCookie,
  getDict,
  getValue,
  importCookies,
  type LoadResult,
  liveCookies,
  removeWhere,
  setCookie,
} from './jar-ops.js';
import { exportJSON, exportNetscape, imported, importJSON, importNetscape } from './jar-persistence.js';
import type { MemoryStore } from './memory-store.js';
import { runAsync } from './op.js';
import type { CookieJarJSON, CookieJarJSONInput } from './serialize.js';
import type {
  CookieFilter,
  CookieJarOptions,
  MemoryJarOptions,
  NetscapeOptions,
  SetCookieOptions,
  SyncStore,
} from './types.js';

/** A TypeError for `update()` of something that is not a jar or an iterable of cookies (a plain dict, most likely). */
function checkIterable(other: unknown, orAsync: boolean): void {
  const o = other as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null | undefined;
  if (typeof o?.[Symbol.iterator] === 'function') return;
  if (orAsync && typeof o?.[Symbol.asyncIterator] === 'function') return;
  throw new TypeError(
    'CookieJar.update() takes another jar or an iterable of cookies, not a plain { name: value } object ' +
      '(it has no domain): use mergeCookies(jar, dict, { domain })',
  );
}

/**
 * requests' `RequestsCookieJar` on tough-cookie: the jar a `Session` keeps.
 *
 * Cookies are stored and sent as RFC 6265 says (tough-cookie with the public
 * suffix list, strict parsing, strict `__Host-`/`__Secure-` prefixes), and
 * the jar is bounded like a browser's. With the default in-memory store every
 * method is synchronous. On an asynchronous store (`store.synchronous ===
 * false`, e.g. Redis) `getCookieHeader` and `setCookiesFromResponse` return
 * promises, the other methods throw a TypeError pointing to their `…Async`
 * twin, and the `…Async` methods (which work on every store) are the API.
 *
 * @typeParam S - the store; decides whether results are values or promises.
 */
export class CookieJar<S extends Store = MemoryStore>
  extends CookieJarBase<S>
  implements SessionCookieJar, Iterable<Cookie>
{
  /**
   * A new, empty, synchronous in-memory jar with this jar's limits and
   * options (whatever this jar's store). The Session fills one per response
   * for `response.cookies`.
   */
  createEmpty(): CookieJar {
    return new CookieJar(this.memoryOptions());
  }

  // ---- requests' RequestsCookieJar ----------------------------------------

  /**
   * The value of the cookie called `name` (optionally only on `domain` /
   * `path`), or undefined. Throws `CookieConflictError` when several cookies
   * of that name match, as requests does; narrow with `domain`/`path`.
   */
  get(this: CookieJar<SyncStore>, name: string, filter?: CookieFilter): string | undefined {
    return this.sync('get', getValue(this.ctx, name, filter));
  }

  /** {@link CookieJar.get} on any store. */
  getAsync(name: string, filter?: CookieFilter): Promise<string | undefined> {
    return runAsync(getValue(this.ctx, name, filter));
  }

  /**
   * Stores a cookie as if `domain`'s server had sent it (`Domain=<domain>`,
   * `Path=<path>`, default `/`). `domain` is required: see
   * {@link SetCookieOptions.domain}. A `null` value deletes the cookies of
   * that name (narrowed by `domain`/`path`), as requests does. Throws a
   * TypeError for a cookie the jar would not accept (bad name or value, too
   * large, prefix rules).
   */
  set(this: CookieJar<SyncStore>, name: string, value: null, filter?: CookieFilter): void;
  set(this: CookieJar<SyncStore>, name: string, value: string | number, options: SetCookieOptions): void;
  set(
    this: CookieJar<SyncStore>,
    name: string,
    value: string | number | null,
    options?: SetCookieOptions | CookieFilter,
  ): void {
    if (value === null) {
      this.delete(name, options);
      return;
    }
    this.sync('set', setCookie(this.ctx, name, String(value), options as SetCookieOptions));
  }

  /** {@link CookieJar.set} on any store. */
  setAsync(name: string, value: null, filter?: CookieFilter): Promise<void>;
  setAsync(name: string, value: string | number, options: SetCookieOptions): Promise<void>;
  async setAsync(
    name: string,
    value: string | number | null,
    options?: SetCookieOptions | CookieFilter,
  ): Promise<void> {
    if (value === null) {
      await this.deleteAsync(name, options);
      return;
    }
    await runAsync(setCookie(this.ctx, name, String(value), options as SetCookieOptions));
  }

  /** requests' `get_dict`: name -> value of every live cookie (on `domain` / `path` when given). */
  getDict(this: CookieJar<SyncStore>, filter?: CookieFilter): Record<string, string> {
    return this.sync('getDict', getDict(this.ctx, filter));
  }

  /** {@link CookieJar.getDict} on any store. */
  getDictAsync(filter?: CookieFilter): Promise<Record<string, string>> {
    return runAsync(getDict(this.ctx, filter));
  }

  /** Names of every live cookie, oldest first (duplicates when a name lives on several domains). */
  keys(this: CookieJar<SyncStore>): string[] {
    return this.sync('keys', liveCookies(this.ctx)).map((c) => c.key);
  }

  /** {@link CookieJar.keys} on any store. */
  async keysAsync(): Promise<string[]> {
    return (await runAsync(liveCookies(this.ctx))).map((c) => c.key);
  }

  /** Values of every live cookie, in the order of {@link CookieJar.keys}. */
  values(this: CookieJar<SyncStore>): string[] {
    return this.sync('values', liveCookies(this.ctx)).map((c) => c.value);
  }

  /** {@link CookieJar.values} on any store. */
  async valuesAsync(): Promise<string[]> {
    return (await runAsync(liveCookies(this.ctx))).map((c) => c.value);
  }

  /** `[name, value]` of every live cookie, in the order of {@link CookieJar.keys}. */
  items(this: CookieJar<SyncStore>): Array<[string, string]> {
    return this.sync('items', liveCookies(this.ctx)).map((c) => [c.key, c.value]);
  }

  /** {@link CookieJar.items} on any store. */
  async itemsAsync(): Promise<Array<[string, string]>> {
    return (await runAsync(liveCookies(this.ctx))).map((c) => [c.key, c.value]);
  }

  /** The distinct domains of the live cookies (canonical: no leading dot, punycode). */
  listDomains(this: CookieJar<SyncStore>): string[] {
    return [...new Set(this.sync('listDomains', liveCookies(this.ctx)).map((c) => c.domain ?? ''))];
  }

  /** {@link CookieJar.listDomains} on any store. */
  async listDomainsAsync(): Promise<string[]> {
    return [...new Set((await runAsync(liveCookies(this.ctx))).map((c) => c.domain ?? ''))];
  }

  /** The distinct paths of the live cookies. */
  listPaths(this: CookieJar<SyncStore>): string[] {
    return [...new Set(this.sync('listPaths', liveCookies(this.ctx)).map((c) => c.path ?? '/'))];
  }

  /** {@link CookieJar.listPaths} on any store. */
  async listPathsAsync(): Promise<string[]> {
    return [...new Set((await runAsync(liveCookies(this.ctx))).map((c) => c.path ?? '/'))];
  }

  /**
   * True when the live cookies span more than one domain (what requests'
   * `multiple_domains` documents; its code answers whether a domain repeats).
   */
  multipleDomains(this: CookieJar<SyncStore>): boolean {
    return this.listDomains().length > 1;
  }

  /** {@link CookieJar.multipleDomains} on any store. */
  async multipleDomainsAsync(): Promise<boolean> {
    return (await this.listDomainsAsync()).length > 1;
  }

  /** Removes the cookies called `name` (on `domain` / `path` when given); true when one was removed. */
  delete(this: CookieJar<SyncStore>, name: string, filter?: CookieFilter): boolean {
    return this.sync('delete', removeWhere(this.ctx, cookieMatcher(name, filter)));
  }

  /** {@link CookieJar.delete} on any store. */
  deleteAsync(name: string, filter?: CookieFilter): Promise<boolean> {
    return runAsync(removeWhere(this.ctx, cookieMatcher(name, filter)));
  }

  /**
   * http.cookiejar's `clear`: everything; or the cookies of `domain`; of
   * `domain` and `path`; or the one cookie `domain`, `path`, `name`. A
   * `path` needs a `domain`, a `name` needs both (TypeError otherwise).
   */
  clear(this: CookieJar<SyncStore>, domain?: string, path?: string, name?: string): void {
    this.sync('clear', clearCookies(this.ctx, domain, path, name));
  }

  /** {@link CookieJar.clear} on any store. */
  async clearAsync(domain?: string, path?: string, name?: string): Promise<void> {
    await runAsync(clearCookies(this.ctx, domain, path, name));
  }

  /** Removes every cookie whose expiry has passed. */
  clearExpiredCookies(this: CookieJar<SyncStore>): void {
    this.sync('clearExpiredCookies', clearExpired(this.ctx));
  }

  /** {@link CookieJar.clearExpiredCookies} on any store. */
  clearExpiredCookiesAsync(): Promise<void> {
    return runAsync(clearExpired(this.ctx));
  }

  /** Removes session cookies (no Expires or Max-Age), as a browser does when it closes. */
  clearSessionCookies(this: CookieJar<SyncStore>): void {
    this.sync('clearSessionCookies', clearSession(this.ctx));
  }

  /** {@link CookieJar.clearSessionCookies} on any store. */
  clearSessionCookiesAsync(): Promise<void> {
    return runAsync(clearSession(this.ctx));
  }

  /**
   * Copies every cookie of `other` (another jar, or any iterable of
   * cookies) into this jar, replacing namesakes. Each is checked against
   * this jar's rules (TypeError when one breaks them), and limits apply.
   * Unlike requests, a plain `{ name: value }` object is not accepted (it has
   * no domain): use `mergeCookies(jar, dict, { domain })`.
   */
  update(this: CookieJar<SyncStore>, other: Iterable<Cookie>): void {
    checkIterable(other, false);
    this.sync('update', importCookies(this.ctx, imported(other), true));
  }

  /** {@link CookieJar.update} on any store, from any jar (or iterable). */
  async updateAsync(other: Iterable<Cookie> | AsyncIterable<Cookie>): Promise<void> {
    checkIterable(other, true);
    const cookies: Cookie[] = [];
    if (Symbol.asyncIterator in other) for await (const c of other) cookies.push(c);
    else cookies.push(...other);
    await runAsync(importCookies(this.ctx, imported(cookies), true));
  }

  /** A new in-memory jar with the same cookies, limits and options (requests' `copy`). */
  copy(this: CookieJar<SyncStore>): CookieJar {
    const out = new CookieJar(this.memoryOptions());
    out.update(this);
    return out;
  }

  /** {@link CookieJar.copy} on any store: the copy is an in-memory jar. */
  async copyAsync(): Promise<CookieJar> {
    const out = new CookieJar(this.memoryOptions());
    out.update(await this.toArrayAsync());
    return out;
  }

  /** Every live cookie (copies: changing them changes nothing in the jar), oldest first. */
  toArray(this: CookieJar<SyncStore>): Cookie[] {
    return this.sync('toArray', liveCookies(this.ctx)).map(copyCookie);
  }

  /** {@link CookieJar.toArray} on any store. */
  async toArrayAsync(): Promise<Cookie[]> {
    return (await runAsync(liveCookies(this.ctx))).map(copyCookie);
  }

  /** Iterates over copies of the live cookies, oldest first. */
  [Symbol.iterator](this: CookieJar<SyncStore>): Iterator<Cookie> {
    return this.toArray()[Symbol.iterator]();
  }

  /** Iterates over copies of the live cookies on any store (`for await`). */
  async *[Symbol.asyncIterator](): AsyncIterator<Cookie> {
    yield* await this.toArrayAsync();
  }

  /** How many live cookies the jar holds. Synchronous stores only: see {@link CookieJar.sizeAsync}. */
  get size(): number {
    return this.sync('size', liveCookies(this.ctx)).length;
  }

  /** {@link CookieJar.size} on any store. */
  async sizeAsync(): Promise<number> {
    return (await runAsync(liveCookies(this.ctx))).length;
  }

  // ---- persistence ------------------------------------------------------

  /** The live cookies as JSON (`JSON.stringify(jar)` works); read back with {@link CookieJar.fromJSON}. */
  toJSON(this: CookieJar<SyncStore>): CookieJarJSON {
    return this.sync('toJSON', exportJSON(this.ctx));
  }

  /** {@link CookieJar.toJSON} on any store. */
  toJSONAsync(): Promise<CookieJarJSON> {
    return runAsync(exportJSON(this.ctx));
  }

  /**
   * Adds the cookies of a `toJSON()` result (or tough-cookie's
   * `serialize()`). Each is checked against the jar's rules; those that
   * break them are skipped and listed, expired ones dropped silently.
   */
  loadJSON(this: CookieJar<SyncStore>, json: CookieJarJSONInput): LoadResult {
    return this.sync('loadJSON', importJSON(this.ctx, json));
  }

  /** {@link CookieJar.loadJSON} on any store. */
  loadJSONAsync(json: CookieJarJSONInput): Promise<LoadResult> {
    return runAsync(importJSON(this.ctx, json));
  }

  /** A new in-memory jar holding the cookies of `json` (see {@link CookieJar.loadJSON}). */
  static fromJSON(json: CookieJarJSONInput, options: MemoryJarOptions = {}): CookieJar {
    const jar = new CookieJar(options);
    jar.loadJSON(json);
    return jar;
  }

  /** A new jar on any store (`options.store`) holding the cookies of `json`. */
  static async fromJSONAsync<S extends Store = MemoryStore>(
    json: CookieJarJSONInput,
    options: CookieJarOptions<S> = {},
  ): Promise<CookieJar<S>> {
    const jar = new CookieJar<S>(options);
    await jar.loadJSONAsync(json);
    return jar;
  }

  /** The live cookies in Netscape cookies.txt format (session cookies only with `keepSession`). */
  toNetscape(this: CookieJar<SyncStore>, options: NetscapeOptions = {}): string {
    return this.sync('toNetscape', exportNetscape(this.ctx, options));
  }

  /** {@link CookieJar.toNetscape} on any store. */
  toNetscapeAsync(options: NetscapeOptions = {}): Promise<string> {
    return runAsync(exportNetscape(this.ctx, options));
  }

  /**
   * Adds the cookies of a Netscape cookies.txt text (session cookies only
   * with `keepSession`). Lines that cannot be read and cookies that break the
   * jar's rules are skipped and listed.
   */
  loadNetscape(this: CookieJar<SyncStore>, text: string, options: NetscapeOptions = {}): LoadResult {
    return this.sync('loadNetscape', importNetscape(this.ctx, text, options));
  }

  /** {@link CookieJar.loadNetscape} on any store. */
  async loadNetscapeAsync(text: string, options: NetscapeOptions = {}): Promise<LoadResult> {
    return runAsync(importNetscape(this.ctx, text, options));
  }
}

// `response.cookies` is a CookieJar wherever this package is installed: core's Response types it from here.
declare module '@sess/core' {
  interface CookieJarTypes {
    jar: CookieJar;
  }
}
