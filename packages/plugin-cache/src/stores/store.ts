import type { CacheEntry } from '../stored.js';

/**
 * Where the cache keeps its entries: the one interface a third-party store
 * implements (Redis, a database, a CDN's KV…).
 *
 * - Keys are strings: `GET <url>` (a HEAD reads the GET's entry), or
 *   `<METHOD> <url> <body hash>` for other methods you opted in. Vary
 *   variants are inside the entry, so one key holds everything for a URL
 *   and invalidating it is one `delete`.
 * - Entries are plain data (see CacheEntry). Treat them as immutable: the
 *   cache never changes one after `set`, it stores a new one. A store that
 *   keeps bytes can use `encodeEntry` / `decodeEntry`.
 * - `ttl` (ms) is how long the entry is worth keeping (freshness left plus
 *   the stale windows, plus `staleTtl` when it can be validated). The
 *   cache checks freshness itself, so a store may keep an entry longer or
 *   drop it sooner (to bound its size); both are correct.
 * - Every method may answer synchronously (the memory store: a hit costs
 *   no promise) or with a promise. A failure (thrown or rejected) counts as
 *   a miss or a skipped write, reported to the plugin's `onError`; it never
 *   fails the request.
 */
export interface CacheStore {
  /** The entry under `key`, or `undefined`. */
  get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined>;
  /** Stores `entry` under `key` (replacing what was there) for about `ttl` ms. */
  set(key: string, entry: CacheEntry, ttl: number): void | Promise<void>;
  /** Forgets `key` (nothing to do when it is absent). */
  delete(key: string): void | Promise<void>;
  /**
   * Largest body (bytes) worth storing; the cache does not collect a
   * streamed body past it. Default: no limit of the store's own.
   */
  readonly maxEntrySize?: number | undefined;
  /** Releases what the store holds open (connections, handles). */
  close?(): void | Promise<void>;
}

/** `true` for a thenable: what an async store returns. */
export const isPromise = <T>(x: T | Promise<T>): x is Promise<T> =>
  typeof (x as Promise<T> | null)?.then === 'function';
