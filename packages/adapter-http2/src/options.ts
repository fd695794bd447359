import type { Adapter } from '@sess/core';

/** Options of `new Http2Adapter()`. Every time is in milliseconds. */
export interface Http2AdapterOptions {
  /**
   * Sessions (TCP connections) kept per origin. A new one opens only when
   * every session is at its stream limit; past this many, requests queue.
   * Default 4.
   */
  maxSessionsPerOrigin?: number;
  /**
   * Local cap on streams in flight per session. The peer's
   * SETTINGS_MAX_CONCURRENT_STREAMS always applies too. Default: follow
   * the peer, up to 1000.
   */
  maxConcurrentStreams?: number;
  /** Speak cleartext HTTP/2 by prior knowledge to `http://` URLs (h2c). Default false. */
  h2c?: boolean;
  /**
   * Where requests go when an origin answers ALPN with `http/1.1` (and
   * every `http://` request without `h2c`). If it implements
   * `SocketAdopter`, it is handed the probe's TLS socket, so the first
   * HTTP/1.1 request costs no second handshake. `close()` closes it too.
   */
  fallback?: Adapter;
  /** How long an origin that chose HTTP/1.1 is remembered as such. Default 600 000 (10 min). */
  fallbackTtl?: number;
  /** A session without streams is closed after this long. 0 keeps it until `close()`. Default 30 000. */
  idleTimeout?: number;
  /**
   * Send a PING this often on every session; a session whose PING is not
   * answered before the next one is due is declared dead. Default: no PING.
   */
  pingInterval?: number;
  /**
   * Limit on the response header list, counted as HTTP/2 does (name +
   * value + 32 bytes per field), enforced by the adapter on every response
   * and advertised in SETTINGS. Default 65 536.
   */
  maxHeaderListSize?: number;
}

/** The options after defaults and checks. */
export interface ResolvedOptions {
  readonly maxSessionsPerOrigin: number;
  readonly maxConcurrentStreams: number;
  readonly h2c: boolean;
  readonly fallback: Adapter | undefined;
  readonly fallbackTtl: number;
  readonly idleTimeout: number;
  readonly pingInterval: number | undefined;
  readonly maxHeaderListSize: number;
}

/** The peer's limit is followed up to this many streams unless `maxConcurrentStreams` says otherwise. */
export const DEFAULT_STREAM_CAP = 1000;

export function resolveOptions(options: Http2AdapterOptions): ResolvedOptions {
  return Object.freeze({
    maxSessionsPerOrigin: positiveInt(options.maxSessionsPerOrigin ?? 4, 'maxSessionsPerOrigin'),
    maxConcurrentStreams: positiveInt(
      options.maxConcurrentStreams ?? DEFAULT_STREAM_CAP,
      'maxConcurrentStreams',
    ),
    h2c: options.h2c ?? false,
    fallback: options.fallback,
    fallbackTtl: ms(options.fallbackTtl ?? 600_000, 'fallbackTtl'),
    idleTimeout: ms(options.idleTimeout ?? 30_000, 'idleTimeout'),
    pingInterval:
      options.pingInterval === undefined ? undefined : positiveMs(options.pingInterval, 'pingInterval'),
    maxHeaderListSize: positiveInt(options.maxHeaderListSize ?? 65_536, 'maxHeaderListSize'),
  });
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be an integer >= 1`);
  return value;
}

function ms(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a finite number of milliseconds >= 0`);
  }
  return value;
}

function positiveMs(value: number, name: string): number {
  if (ms(value, name) === 0) throw new TypeError(`${name} must be > 0`);
  return value;
}
