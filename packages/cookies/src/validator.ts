import {
  type Callback,
  type Cookie,
  type ErrorCallback,
  type Nullable,
  Store,
  CookieJar as ToughCookieJar,
} from 'tough-cookie';
import { respond, respondVoid } from './respond.js';

/** A store that holds nothing: tough-cookie's checks run against it, the real write comes after. */
class NullStore extends Store {
  override synchronous = true as const;

  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
  ): Promise<undefined>;
  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback: Callback<Cookie | undefined>,
  ): void;
  override findCookie(
    _domain: Nullable<string>,
    _path: Nullable<string>,
    _key: Nullable<string>,
    callback?: Callback<Cookie | undefined>,
  ): Promise<Cookie | undefined> | undefined {
    return respond(callback, () => undefined);
  }

  override putCookie(cookie: Cookie): Promise<void>;
  override putCookie(cookie: Cookie, callback: ErrorCallback): void;
  override putCookie(_cookie: Cookie, callback?: ErrorCallback): Promise<void> | undefined {
    return respondVoid(callback, () => {});
  }
}

/** The RFC 6265 settings sess uses, for both checking and reading. */
export function toughOptions(allowSecureOnLocalhost: boolean) {
  return {
    rejectPublicSuffixes: true,
    looseMode: false,
    prefixSecurity: 'strict',
    allowSpecialUseDomain: true,
    allowSecureOnLocal: allowSecureOnLocalhost,
    enforceSecureOriginOnStorage: true,
  } as const;
}

/**
 * tough-cookie's `setCookie` checks (public suffix, domain match, host-only,
 * default path, Secure from a secure origin, prefixes) without a store, so
 * that a rejected cookie (a thrown Error here) is never confused with a
 * store that failed (an error from the write that follows).
 */
export class CookieValidator {
  readonly #jar: ToughCookieJar;

  constructor(allowSecureOnLocalhost: boolean) {
    this.#jar = new ToughCookieJar(new NullStore(), toughOptions(allowSecureOnLocalhost));
  }

  /** Completes `cookie` (domain, hostOnly, path, creation) as received from `url`, or throws why it is rejected. */
  accept(cookie: Cookie, url: string, now: number): void {
    this.#jar.setCookieSync(cookie, url, { now: new Date(now) });
  }
}
