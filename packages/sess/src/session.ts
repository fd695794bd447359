import { UndiciAdapter, type UndiciAdapterOptions } from '@sess/adapter-undici';
import { CookieJar, type MemoryStore, type Store } from '@sess/cookies';
import { Session as CoreSession, type SessionOptions as CoreSessionOptions } from '@sess/core';
import { VERSION } from './version.js';

/** Options of the batteries-included Session. */
export interface SessionOptions<S extends Store = MemoryStore> extends CoreSessionOptions {
  /** The jar; a fresh in-memory `CookieJar` by default. A jar on an async store (Redis) works too. */
  cookies?: CookieJar<S>;
  /** Options of the `UndiciAdapter` mounted on http:// and https://. */
  adapter?: UndiciAdapterOptions;
}

/**
 * requests' Session, ready to use: an `UndiciAdapter` (pooled HTTP/1.1)
 * mounted on `http://` and `https://`, an RFC 6265 `CookieJar`, and a
 * `User-Agent` of `sess/<version>`. Close it (or `await using`) to release
 * its connections.
 */
export class Session<S extends Store = MemoryStore> extends CoreSession {
  declare cookies: CookieJar<S>;

  constructor(options: SessionOptions<S> = {}) {
    super({ cookies: options.cookies ?? (new CookieJar() as unknown as CookieJar<S>) });
    this.headers.set('User-Agent', `sess/${VERSION}`);
    // One adapter for both schemes: its agent keeps one pool per origin either way.
    const adapter = new UndiciAdapter(options.adapter);
    this.mount('https://', adapter);
    this.mount('http://', adapter);
  }
}
