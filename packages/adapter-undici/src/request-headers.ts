import type { Headers } from '@sess/core';

/** A `close` token in a Connection header value. */
const CLOSE = /(?:^|,)\s*close\s*(?:,|$)/i;

/** A request's headers, shaped for undici's dispatch options. */
export interface OutgoingHeaders {
  /**
   * `[name, value, name, value, ...]`, names in the case given: undici reads
   * a flat list in one loop (an object of names is a dictionary it walks by
   * its keys), and a header called `__proto__` stays a header.
   */
  readonly headers: string[];
  /** The request asked for `Connection: close`: undici closes the connection after it. */
  readonly reset: boolean;
  /** A `Proxy-Authorization` value, kept for the proxy and never sent to the origin. */
  readonly proxyAuthorization: string | undefined;
}

/**
 * Maps a request's headers onto what undici accepts. undici frames the
 * message itself, so hop-by-hop headers that would conflict are handled here
 * instead of making undici throw:
 *
 * - `Connection`: undici always writes its own (`keep-alive` or `close`); a
 *   `close` token becomes undici's `reset` option, so the session's default
 *   `Connection: keep-alive` just works.
 * - `Keep-Alive`, `Transfer-Encoding`, `Upgrade`, `Proxy-Connection`: dropped;
 *   undici sends `Content-Length` when the length is known and chunked
 *   encoding otherwise, and an adapter that makes one plain HTTP exchange
 *   cannot upgrade.
 * - `Expect`: dropped (undici's HTTP/1.1 client cannot wait for
 *   `100 Continue`); the body is sent straight away, as Python's http.client does.
 * - `Proxy-Authorization`: taken out and given to the proxy only.
 * - `Content-Length` stays: undici uses it as the body length and writes it once.
 */
/**
 * A flat header list as a record of name to value(s), no prototype: what a
 * request through undici's ProxyAgent needs (it rebuilds the headers it is
 * given as an object, by name, and a flat list with a repeated name would
 * keep only its last value there).
 */
export function headerRecord(flat: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i] as string;
    const value = flat[i + 1] as string;
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (typeof prev === 'string') out[name] = [prev, value];
    else prev.push(value);
  }
  return out;
}

export function toUndiciHeaders(headers: Headers): OutgoingHeaders {
  const out: string[] = [];
  let reset = false;
  let proxyAuthorization: string | undefined;
  headers.forEachRaw((name, value, key) => {
    switch (key) {
      case 'connection':
        if (value !== 'keep-alive' && CLOSE.test(value)) reset = true;
        return;
      case 'keep-alive':
      case 'transfer-encoding':
      case 'upgrade':
      case 'proxy-connection':
      case 'expect':
        return;
      case 'proxy-authorization':
        proxyAuthorization = value;
        return;
    }
    out.push(name, value);
  });
  return { headers: out, reset, proxyAuthorization };
}
