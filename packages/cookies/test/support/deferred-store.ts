import {
  type Callback,
  type Cookie,
  type ErrorCallback,
  MemoryCookieStore,
  type Nullable,
  Store,
} from 'tough-cookie';
import { respondLater, respondLaterVoid } from '../../src/index.js';

/** Resolves on a later turn of the event loop, like a network store. */
function later<T>(value: Promise<T>): Promise<T> {
  return value.then((v) => new Promise<T>((resolve) => setImmediate(() => resolve(v))));
}

/**
 * An asynchronous store for tests: tough-cookie's (unbounded) MemoryCookieStore
 * answering on a later tick. `failWrites` makes every write fail.
 */
export class DeferredStore extends Store {
  override synchronous = false as const;
  readonly inner = new MemoryCookieStore();
  failWrites = false;

  #write(run: () => Promise<void>): Promise<void> {
    return this.failWrites ? later(Promise.reject(new Error('store is down'))) : later(run());
  }

  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
  ): Promise<Cookie | undefined>;
  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback: Callback<Cookie | undefined>,
  ): void;
  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback?: Callback<Cookie | undefined>,
  ): Promise<Cookie | undefined> | undefined {
    return respondLater(callback, later(this.inner.findCookie(domain, path, key)));
  }

  override findCookies(
    domain: Nullable<string>,
    path: Nullable<string>,
    allowSpecial?: boolean,
  ): Promise<Cookie[]>;
  override findCookies(
    domain: Nullable<string>,
    path: Nullable<string>,
    allowSpecial?: boolean,
    callback?: Callback<Cookie[]>,
  ): void;
  override findCookies(
    domain: Nullable<string>,
    path: Nullable<string>,
    allowSpecial?: boolean | Callback<Cookie[]>,
    callback?: Callback<Cookie[]>,
  ): Promise<Cookie[]> | undefined {
    const cb = typeof allowSpecial === 'function' ? allowSpecial : callback;
    return respondLater(cb, later(this.inner.findCookies(domain ?? '', path ?? '', true)));
  }

  override putCookie(cookie: Cookie): Promise<void>;
  override putCookie(cookie: Cookie, callback: ErrorCallback): void;
  override putCookie(cookie: Cookie, callback?: ErrorCallback): Promise<void> | undefined {
    return respondLaterVoid(
      callback,
      this.#write(() => this.inner.putCookie(cookie)),
    );
  }

  override updateCookie(oldCookie: Cookie, newCookie: Cookie): Promise<void>;
  override updateCookie(oldCookie: Cookie, newCookie: Cookie, callback: ErrorCallback): void;
  override updateCookie(
    oldCookie: Cookie,
    newCookie: Cookie,
    callback?: ErrorCallback,
  ): Promise<void> | undefined {
    return respondLaterVoid(
      callback,
      this.#write(() => this.inner.updateCookie(oldCookie, newCookie)),
    );
  }

  override removeCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
  ): Promise<void>;
  override removeCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback: ErrorCallback,
  ): void;
  override removeCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback?: ErrorCallback,
  ): Promise<void> | undefined {
    return respondLaterVoid(
      callback,
      this.#write(() => this.inner.removeCookie(domain ?? '', path ?? '', key ?? '')),
    );
  }

  override getAllCookies(): Promise<Cookie[]>;
  override getAllCookies(callback: Callback<Cookie[]>): void;
  override getAllCookies(callback?: Callback<Cookie[]>): Promise<Cookie[]> | undefined {
    return respondLater(callback, later(this.inner.getAllCookies()));
  }
}
