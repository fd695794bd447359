/**
 * Where a hop's time went, in milliseconds (got's `timings`, HAR's
 * `timings`). Adapters fill the phases they can see; core adds `download`
 * and `total` when the body is done. Every field is optional: a custom
 * adapter may fill none, and a reused connection has no `connect`.
 */
export interface Timings {
  /** Waiting for a free pooled connection (or stream capacity, HTTP/2). */
  wait?: number;
  /** Resolving the host name, when the adapter can tell it apart. */
  dns?: number;
  /** Making the connection (TCP, and TLS and proxy tunnel unless `tls` says otherwise); 0 on a reused one. */
  connect?: number;
  /** The TLS handshake, when the adapter can tell it apart. */
  tls?: number;
  /** Writing the request (headers and body). */
  request?: number;
  /** From the request sent to the first byte of the response. */
  firstByte?: number;
  /** Reading the body (core). */
  download?: number;
  /** From `send` to the last byte of the body (core). */
  total?: number;
}

/** Completes `timings` when the body is done: `download` since the headers, `total` since `send`. */
export function finishTimings(timings: Timings | undefined, headersAt: number, elapsed: number): void {
  if (!timings || timings.download !== undefined) return;
  timings.download = performance.now() - headersAt;
  timings.total = elapsed + timings.download;
}
