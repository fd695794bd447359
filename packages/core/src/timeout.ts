/**
 * A time budget in milliseconds. A number applies to connecting and to each
 * read (requests' single-float form); the object form sets them apart, and
 * `total` caps the whole request, redirects included.
 */
export type Timeout = number | TimeoutConfig;

export interface TimeoutConfig {
  /** Milliseconds to establish the connection (TCP + TLS, or the proxy tunnel). */
  connect?: number | undefined;
  /** Milliseconds the server may stay silent: before the headers, and between body chunks. */
  read?: number | undefined;
  /** Milliseconds for the whole request, from the first byte sent to the last byte read. */
  total?: number | undefined;
}

/** Normalises `Timeout | null | undefined` to the object form (empty = no limits). */
export function normalizeTimeout(timeout: Timeout | null | undefined): TimeoutConfig {
  if (timeout === null || timeout === undefined) return {};
  if (typeof timeout === 'number') {
    checkMs(timeout, 'timeout');
    return { connect: timeout, read: timeout };
  }
  if (typeof timeout !== 'object') {
    throw new TypeError(`timeout must be milliseconds or { connect?, read?, total? }, got ${typeof timeout}`);
  }
  for (const k of Object.keys(timeout)) {
    if (k !== 'connect' && k !== 'read' && k !== 'total') {
      throw new TypeError(`Unknown timeout key ${JSON.stringify(k)}; expected connect, read or total`);
    }
  }
  const out: TimeoutConfig = {};
  for (const k of ['connect', 'read', 'total'] as const) {
    const v = timeout[k];
    if (v !== undefined && v !== null) {
      checkMs(v, `timeout.${k}`);
      out[k] = v;
    }
  }
  return out;
}

function checkMs(v: number, what: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new TypeError(`${what} must be a finite number of milliseconds >= 0, got ${String(v)}`);
  }
}
