import type { OutgoingHttpHeaders } from 'node:http2';
import type { Headers } from '@sess/core';

/** A request's header block for `session.request()`, and what is kept out of it. */
export interface OutgoingH2Headers {
  /** Pseudo-headers first, then lower-cased fields; a header called `__proto__` is an own property, a header. */
  readonly headers: OutgoingHttpHeaders;
  /** A `Proxy-Authorization` value: for the proxy's CONNECT only, never the origin. */
  readonly proxyAuthorization: string | undefined;
}

/**
 * Connection-specific fields (RFC 9113 §8.2.2): HTTP/2 forbids them, and
 * Node refuses to send them. `Host` becomes `:authority`. `Expect` is
 * dropped, as the HTTP/1.1 adapter does: the body is sent straight away.
 */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'host',
  'expect',
]);

/**
 * Maps a request onto an HTTP/2 header block: `:method`, `:scheme`,
 * `:authority` (from `Host` when set, else the URL) and `:path`, then every
 * other field lower-cased, connection-specific ones dropped (`TE` kept only
 * as `trailers`). Several values of one name are sent as separate fields.
 */
export function toH2Headers(method: string, url: URL, headers: Headers): OutgoingH2Headers {
  // An ordinary object (Node walks its keys twice; a null-prototype one is a slow dictionary): a field
  // called `__proto__` is defined as an own property below, never set as the prototype.
  const out: OutgoingHttpHeaders = {
    ':method': method,
    ':scheme': url.protocol.slice(0, -1),
    ':authority': headers.get('host') ?? url.host,
    ':path': `${url.pathname || '/'}${url.search}`,
  };
  let proxyAuthorization: string | undefined;
  headers.forEachRaw((_name, value, name) => {
    if (DROPPED.has(name)) return;
    if (name === 'te') {
      if (value.trim().toLowerCase() === 'trailers') out.te = 'trailers';
      return;
    }
    if (name === 'proxy-authorization') {
      proxyAuthorization = value;
      return;
    }
    const prev = Object.hasOwn(out, name) ? out[name] : undefined;
    if (prev === undefined) {
      if (name === '__proto__')
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      else out[name] = value;
    } else if (Array.isArray(prev)) prev.push(value);
    else out[name] = [String(prev), value];
  });
  return { headers: out, proxyAuthorization };
}
