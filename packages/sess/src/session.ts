import { Http2Adapter, type Http2AdapterOptions } from '@sess/adapter-http2';
import { UndiciAdapter, type UndiciAdapterOptions } from '@sess/adapter-undici';
import { CookieJar, type MemoryStore, type Store } from '@sess/cookies';
import { Session as CoreSession, type SessionOptions as CoreSessionOptions } from '@sess/core';
import { debugFromEnv } from '@sess/plugin-logging';
import { VERSION } from './version.js';

/** Options of the batteries-included Session. */
export interface SessionOptions<S extends Store = MemoryStore> extends CoreSessionOptions {
  /** The jar; a fresh in-memory `CookieJar` by default. A jar on an async store (Redis) works too. */
  cookies?: CookieJar<S>;
  /** Options of the `UndiciAdapter` mounted on http:// and https://. */
  adapter?: UndiciAdapterOptions;
  /**
   * HTTP/2 for https origins that speak it: `true` (or Http2Adapter options)
   * mounts an `Http2Adapter` on https:// that negotiates h2 by ALPN and falls
   * back to the undici adapter (handing it the probe's connection) for
   * origins that choose HTTP/1.1. http:// stays HTTP/1.1. Default `false`.
   */
  http2?: boolean | Omit<Http2AdapterOptions, 'fallback'>;
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
    // One adapter for both schemes: it keeps one pool per origin either way.
    const adapter = new UndiciAdapter(options.adapter);
    const http2 = options.http2 ?? false;
    if (typeof http2 !== 'boolean' && (typeof http2 !== 'object' || http2 === null))
      throw new TypeError(`http2 must be a boolean or Http2Adapter options, got ${typeof http2}`);
    this.mount(
      'https://',
      http2 ? new Http2Adapter({ ...(http2 === true ? {} : http2), fallback: adapter }) : adapter,
    );
    this.mount('http://', adapter);
    // SESS_DEBUG=1: every Session of the process logs at debug to stderr (headers, curl lines; secrets
    // redacted). Added first, so it is outermost: one record per hop, retries counted.
    const debug = debugFromEnv();
    if (debug) this.use(debug);
  }
}
