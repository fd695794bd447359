/**
 * A time budget in milliseconds. A number applies to connecting and to each
 * read (requests' single-float form); the object form sets them apart.
 */
export type Timeout = number | TimeoutConfig;

/** The object form of `Timeout`. Every field is milliseconds; a missing one means no limit. */
export interface TimeoutConfig {
  /** To establish a connection (TCP + TLS, or the proxy tunnel). Queueing for a pooled connection never counts here. */
  connect?: number | undefined;
  /** The server may stay silent this long: before the headers, and between body chunks. */
  read?: number | undefined;
  /** To wait for a free pooled connection (httpx's `pool`); past it, PoolTimeoutError. */
  pool?: number | undefined;
  /**
   * The whole request, from the `request()` call to the last byte of the
   * body (to the headers with `stream: true`): preparing, every hop, hook
   * re-sends and plugin waits (a retry back-off included).
   */
  total?: number | undefined;
}

const KEYS = ['connect', 'read', 'pool', 'total'] as const;
const NONE: TimeoutConfig = Object.freeze({});

/**
 * Normalises `Timeout | null | undefined` to the object form (empty = no
 * limits), checking every field. The session calls it once per request; the
 * result is frozen and shared.
 */
export function normalizeTimeout(timeout: Timeout | null | undefined): TimeoutConfig {
  if (timeout === null || timeout === undefined) return NONE;
  if (typeof timeout === 'number') {
    checkMs(timeout, 'timeout');
    return Object.freeze({ connect: timeout, read: timeout });
  }
  if (typeof timeout !== 'object') {
    throw new TypeError(
      `timeout must be milliseconds or { connect?, read?, pool?, total? }, got ${typeof timeout}`,
    );
  }
  for (const k of Object.keys(timeout)) {
    if (!(KEYS as readonly string[]).includes(k)) {
      throw new TypeError(`Unknown timeout key ${JSON.stringify(k)}; expected connect, read, pool or total`);
    }
  }
  const out: TimeoutConfig = {};
  for (const k of KEYS) {
    const v = timeout[k];
    if (v !== undefined && v !== null) {
      checkMs(v, `timeout.${k}`);
      out[k] = v;
    }
  }
  return Object.freeze(out);
}

function checkMs(v: number, what: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new TypeError(`${what} must be a finite number of milliseconds >= 0, got ${String(v)}`);
  }
}

/** The normalised form of the last value it was asked about: a session's `timeout`, checked once per value. */
export class TimeoutMemo {
  #seen: Timeout | null | undefined = null;
  #config: TimeoutConfig = NONE;

  get(timeout: Timeout | null | undefined): TimeoutConfig {
    if (timeout !== this.#seen) {
      this.#config = normalizeTimeout(timeout);
      this.#seen = timeout;
    }
    return this.#config;
  }
}
