import type { Store } from 'tough-cookie';
import type { MemoryStore } from './memory-store.js';

/** A store whose calls all complete before they return (`synchronous: true`). */
export type SyncStore = Store & { readonly synchronous: true };

/** A store that answers through callbacks later (`synchronous: false`), such as Redis. */
export type AsyncStore = Store & { readonly synchronous: false };

/**
 * A synchronous store that can group the writes of one jar call (a
 * response's cookies, a load) into one unit, e.g. one file write. The jar
 * wraps each synchronous call in `batch` when the store has it.
 */
export interface BatchingStore {
  batch<T>(fn: () => T): T;
}

/**
 * What a jar method that works on every store returns: the value itself on
 * a synchronous store, a promise on an asynchronous one, and either when the
 * store's type does not say.
 */
export type JarResult<S extends Store, T> = S extends { synchronous: true }
  ? T
  : S extends { synchronous: false }
    ? Promise<T>
    : T | Promise<T>;

/** Selects cookies by exact domain and/or path, as requests' `domain=` and `path=` arguments do. */
export interface CookieFilter {
  /** Compared with the cookie's domain after both are put in canonical form (no leading dot, lower case, punycode). */
  domain?: string | undefined;
  /** Compared exactly with the cookie's path. */
  path?: string | undefined;
}

/** The attributes `CookieJar.set()` accepts. */
export interface SetCookieOptions {
  /**
   * Required. The cookie is sent to this domain and its subdomains, as if
   * the server had sent `Domain=<domain>` (a leading dot changes nothing).
   * For an IP address, or a domain that is a public suffix, the cookie is
   * host-only: sent to exactly that host. requests allows a domain-less
   * cookie that goes to every host; sess does not.
   */
  domain: string;
  /** Default `/`. */
  path?: string | undefined;
  /** Sent over https only. Default false. */
  secure?: boolean | undefined;
  /** When it expires: a Date or milliseconds since the epoch. Omitted or null: a session cookie. */
  expires?: Date | number | null | undefined;
  /** Recorded (and kept in cookies.txt); a Session has no scripts to hide it from. Default false. */
  httpOnly?: boolean | undefined;
  /** Recorded, not enforced: a Session has no notion of a "site for cookies". */
  sameSite?: 'strict' | 'lax' | 'none' | undefined;
  /** Send to `domain` exactly, not to its subdomains. Default false. */
  hostOnly?: boolean | undefined;
}

/** A `Set-Cookie` value the jar ignored, and why (see `CookieJarOptions.onRejected`). */
export interface CookieRejection {
  /** The header value as received. */
  readonly setCookie: string;
  /** The URL of the response that sent it. */
  readonly url: string;
  /** Why it was ignored. */
  readonly reason: string;
}

/** Options of `new CookieJar()`. */
export interface CookieJarOptions<S extends Store = Store> {
  /**
   * Where cookies live. Default: a new bounded `MemoryStore`, read
   * synchronously. An asynchronous store (`synchronous: false`) makes
   * `getCookieHeader` and `setCookiesFromResponse` return promises and leaves
   * the `…Async` methods as the way to read and write.
   */
  store?: S | undefined;
  /** Per registrable domain; default 180. Only without `store`, or with a store that has no `limits` of its own. */
  maxCookiesPerDomain?: number | undefined;
  /** In total; default 3000. Same rule as `maxCookiesPerDomain`. */
  maxCookies?: number | undefined;
  /** Largest name plus value, in bytes, that is stored; default 4096, as browsers. */
  maxCookieSize?: number | undefined;
  /**
   * Treat http://localhost, http://127.0.0.1 and http://[::1] as secure
   * contexts, so `Secure` cookies are stored from and sent to them, as
   * browsers (and tough-cookie by default) do. Default false: `Secure`
   * cookies go over https only, as requests does.
   */
  allowSecureOnLocalhost?: boolean | undefined;
  /** Told about every `Set-Cookie` value that is ignored, and why. For logging and debugging. */
  onRejected?: ((rejection: CookieRejection) => void) | undefined;
}

/** Jar options without a store (the jar makes its own `MemoryStore`). */
export type MemoryJarOptions = Omit<CookieJarOptions<MemoryStore>, 'store'>;

/** Options of `toNetscape()`, `saveCookiesTxt()`, `loadNetscape()` and `loadCookiesTxt()`. */
export interface NetscapeOptions {
  /**
   * Keep session cookies (expiry 0 in the file). Default false, like
   * Python's `MozillaCookieJar` (`ignore_discard=False`): a session cookie
   * ends with the session. Except `saveCookiesTxt()`, where it defaults to
   * true: a session cookie is usually the login the file is saved for.
   */
  keepSession?: boolean | undefined;
}
