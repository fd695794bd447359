/**
 * What every {@link CookieJar} stands on: the store and the limits in
 * force, the context the operations of `jar-ops.ts` run on, running an
 * operation synchronously or as a promise as the store allows, and the two
 * calls a Session makes on every request.
 */
import { type Store, CookieJar as ToughCookieJar } from 'tough-cookie';
import { type CookieLimits, isBoundedStore, resolveLimits } from './bounds.js';
import { DEFAULT_MAX_COOKIE_SIZE } from './cookie-check.js';
import { cookieHeader, type JarContext, storeFromResponse } from './jar-ops.js';
import { MemoryStore } from './memory-store.js';
import { type Op, runAsync, runSync } from './op.js';
import type { BatchingStore, CookieJarOptions, JarResult, MemoryJarOptions } from './types.js';
import { CookieValidator, toughOptions } from './validator.js';

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

/**
 * The store plumbing of {@link CookieJar} and the methods the Session calls
 * on every request. Not used on its own: `CookieJar` extends it.
 *
 * @typeParam S - the store; decides whether results are values or promises.
 */
export abstract class CookieJarBase<S extends Store = MemoryStore> {
  /** Where the cookies live. */
  readonly store: S;
  readonly #ctx: JarContext;
  readonly #allowSecureOnLocalhost: boolean;
  readonly #storeLimits: CookieLimits;

  constructor(options: CookieJarOptions<S> = {}) {
    const limitsGiven = options.maxCookies !== undefined || options.maxCookiesPerDomain !== undefined;
    const limits = resolveLimits({
      maxCookies: options.maxCookies,
      maxCookiesPerDomain: options.maxCookiesPerDomain,
    });
    const store: Store = options.store ?? new MemoryStore(limits);
    const storeBounds = isBoundedStore(store);
    if (options.store && storeBounds && limitsGiven) {
      throw new TypeError(
        'This store enforces its own limits: set maxCookies and maxCookiesPerDomain on the store',
      );
    }
    this.store = store as S;
    this.#storeLimits = storeBounds ? store.limits : limits;
    this.#allowSecureOnLocalhost = options.allowSecureOnLocalhost === true;
    this.#ctx = {
      store,
      reader: new ToughCookieJar(store, toughOptions(this.#allowSecureOnLocalhost)),
      validator: new CookieValidator(this.#allowSecureOnLocalhost),
      maxCookieSize: positiveInteger('maxCookieSize', options.maxCookieSize ?? DEFAULT_MAX_COOKIE_SIZE),
      limits: storeBounds ? undefined : limits,
      onRejected: options.onRejected,
    };
  }

  /** True when the store answers synchronously (the default in-memory store does). */
  get synchronous(): boolean {
    return this.store.synchronous;
  }

  /** The limits in force (the store's own, or the jar's). */
  get limits(): CookieLimits {
    return this.#storeLimits;
  }

  /** What the operations of `jar-ops.ts` run on (an accessor, so it stays off the instance's own keys). */
  protected get ctx(): JarContext {
    return this.#ctx;
  }

  /**
   * Runs `op` synchronously, for the methods that exist only on a
   * synchronous store; a TypeError naming `what`'s `…Async` twin otherwise.
   */
  protected sync<T>(what: string, op: Op<T>): T {
    if (!this.store.synchronous) {
      throw new TypeError(
        `CookieJar.${what}() reads the store synchronously, but this jar's store is asynchronous: use ${what}Async()`,
      );
    }
    return this.#runSync(what, op);
  }

  /** Runs `op` synchronously on a synchronous store, as a promise on any other. */
  protected either<T>(what: string, op: Op<T>): JarResult<S, T> {
    return (this.store.synchronous ? this.#runSync(what, op) : runAsync(op)) as JarResult<S, T>;
  }

  #runSync<T>(what: string, op: Op<T>): T {
    const store = this.store as Partial<BatchingStore>;
    return typeof store.batch === 'function' ? store.batch(() => runSync(op, what)) : runSync(op, what);
  }

  /** This jar's limits and options, for a new in-memory jar (`createEmpty`, `copy`). */
  protected memoryOptions(): MemoryJarOptions {
    return {
      maxCookies: this.#storeLimits.maxCookies,
      maxCookiesPerDomain: this.#storeLimits.maxCookiesPerDomain,
      maxCookieSize: this.ctx.maxCookieSize,
      allowSecureOnLocalhost: this.#allowSecureOnLocalhost,
      onRejected: this.ctx.onRejected,
    };
  }

  // ---- what the Session calls ------------------------------------------

  /**
   * Stores the `Set-Cookie` values of a response received from `url`, by RFC
   * 6265's rules; values it rejects are ignored (see `onRejected`). A promise
   * on an asynchronous store.
   */
  setCookiesFromResponse(setCookies: readonly string[], url: string): JarResult<S, void> {
    return this.either('setCookiesFromResponse', storeFromResponse(this.ctx, setCookies, url));
  }

  /** {@link CookieJar.setCookiesFromResponse}, always as a promise. */
  setCookiesFromResponseAsync(setCookies: readonly string[], url: string): Promise<void> {
    return runAsync(storeFromResponse(this.ctx, setCookies, url));
  }

  /**
   * The `Cookie` header value for a request to `url` (`''` when none):
   * matching domain, path and scheme, longest path first. A promise on an
   * asynchronous store.
   */
  getCookieHeader(url: string): JarResult<S, string> {
    const store = this.store;
    if (store instanceof MemoryStore) {
      const host = hostOf(url);
      if (host !== undefined && !store.mayHaveCookiesFor(host)) return '' as JarResult<S, string>;
    }
    return this.either('getCookieHeader', cookieHeader(this.ctx, url));
  }

  /** {@link CookieJar.getCookieHeader}, always as a promise. */
  getCookieHeaderAsync(url: string): Promise<string> {
    return runAsync(cookieHeader(this.ctx, url));
  }

  /**
   * A new, empty, synchronous in-memory jar with this jar's limits and
   * options (whatever this jar's store). The Session fills one per response
   * for `response.cookies`.
   */
  abstract createEmpty(): CookieJarBase<MemoryStore>;
}

/**
 * The host of an absolute http(s) URL as the Session hands it over (already
 * parsed, lower-cased and IDNA-encoded by core), found without parsing it
 * again; `undefined` for anything unusual (an IPv6 literal, no scheme), which
 * then takes tough-cookie's full path.
 */
function hostOf(url: string): string | undefined {
  const start = url.indexOf('://');
  if (start === -1) return undefined;
  let end = start + 3;
  const first = url.charCodeAt(end);
  if (first === 0x5b /* [ */ || Number.isNaN(first)) return undefined;
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end);
    // '/', ':', '?', '#' end the host. '@' (userinfo: core removes it, but be safe), upper case,
    // '%' and non-ASCII (not normalised to punycode yet) take the full path.
    if (c === 0x2f || c === 0x3a || c === 0x3f || c === 0x23) break;
    if (c === 0x40 || c === 0x25 || c > 0x7e || (c >= 0x41 && c <= 0x5a)) return undefined;
  }
  return url.slice(start + 3, end);
}
