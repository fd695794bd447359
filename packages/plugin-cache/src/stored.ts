/**
 * What a cache store keeps: plain data (no class instances), so any store
 * can serialise it (see `encodeEntry` for a compact binary form).
 */

/** One stored response. Treat it as immutable: stores may hand the same object to several requests. */
export interface StoredResponse {
  /** The URL it answered (fragment dropped). */
  readonly url: string;
  readonly statusCode: number;
  readonly reason: string;
  readonly httpVersion: '1.0' | '1.1' | '2';
  /**
   * Header fields as received, one pair per value (`Set-Cookie` unjoined),
   * without hop-by-hop fields. `Content-Encoding` and `Content-Length`
   * describe the body as it was sent, as they do on a live response.
   */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The content, decoded (what `response.content` was). */
  readonly body: Uint8Array;
  /** Epoch ms when the request that produced it was sent (RFC 9111 `request_time`). */
  readonly requestTime: number;
  /** Epoch ms when its headers arrived (`response_time`). */
  readonly responseTime: number;
  /**
   * For a response with `Vary`: the request's values of the fields it
   * names (lower-case names; `null` for a field the request lacked).
   */
  readonly vary?: Readonly<Record<string, string | null>> | undefined;
}

/**
 * Everything stored under one key (one method + URL): one response per
 * variant, newest first. Several only when the origin sends `Vary`; keeping
 * them under one key makes invalidation one delete, with no orphan variant
 * left to be served afterwards.
 */
export interface CacheEntry {
  readonly variants: readonly StoredResponse[];
}

/** Approximate bytes an entry holds, for byte-bounded stores. */
export function entrySize(entry: CacheEntry): number {
  let size = 64;
  for (const v of entry.variants) {
    size += v.body.byteLength + v.url.length + 96;
    for (const [k, val] of v.headers) size += k.length + val.length + 8;
    if (v.vary) for (const [k, val] of Object.entries(v.vary)) size += k.length + (val?.length ?? 0) + 8;
  }
  return size;
}

/** The values of a header of a stored response, joined with `, ` (undefined when absent). */
export function storedHeader(stored: StoredResponse, name: string): string | undefined {
  let out: string | undefined;
  for (const [k, v] of stored.headers) {
    if (k.length === name.length && k.toLowerCase() === name) out = out === undefined ? v : `${out}, ${v}`;
  }
  return out;
}
