import { RequestError } from '@sess/core';
import { MemoryCacheStore } from './stores/memory.js';
import type { CacheStore } from './stores/store.js';

/** Options of `cache()`. Times in milliseconds. */
export interface CacheOptions {
  /** Where entries live. Default a new `MemoryCacheStore()` (64 MiB, least recently used evicted). */
  store?: CacheStore | undefined;
  /**
   * `true`: shared-cache rules (RFC 9111): `s-maxage` and `proxy-revalidate`
   * apply, `private` responses, responses with Set-Cookie, and responses
   * to requests with Authorization (unless `public`, `must-revalidate` or
   * `s-maxage` allow it) are not stored. Use it for a store several users
   * share (a Redis store behind a fleet acting for many users). Default
   * `false`: a private (browser-like) cache.
   */
  shared?: boolean | undefined;
  /**
   * Methods whose responses are stored and reused. Default `['GET', 'HEAD']`
   * (a HEAD is answered from a stored GET). Another method listed here
   * (a POST used as a query) is keyed by its body's hash as well, and no
   * longer invalidates its URL.
   */
  methods?: Iterable<string> | undefined;
  /**
   * The heuristic freshness of a response with Last-Modified and no
   * explicit lifetime, as a fraction of its age at the time (RFC 9111
   * §4.2.2). Default 0.1; 0 turns heuristics off.
   */
  heuristicFraction?: number | undefined;
  /**
   * How long an entry that can still be validated (it has an ETag or a
   * Last-Modified) is kept once stale, so that a 304 can refresh it.
   * Default one day.
   */
  staleTtl?: number | undefined;
  /** Largest body stored, in bytes. Default the store's `maxEntrySize`, else 16 MiB. */
  maxEntrySize?: number | undefined;
  /** The clock (epoch ms) freshness is computed with. Default `Date.now`; tests pass their own. */
  now?: (() => number) | undefined;
  /**
   * Called when the store fails (the request goes on as a miss, or the
   * write is skipped) or a background validation fails. Default: one
   * process warning per plugin, the first time something other than a
   * network failure of a background validation happens (those are what
   * stale-while-revalidate is for).
   */
  onError?: ((error: unknown) => void) | undefined;
}

/** The options with their defaults, checked. */
export interface ResolvedOptions {
  readonly store: CacheStore;
  readonly shared: boolean;
  readonly methods: ReadonlySet<string>;
  readonly heuristicFraction: number;
  readonly staleTtl: number;
  readonly maxEntrySize: number;
  readonly now: () => number;
  readonly onError: (error: unknown) => void;
}

const DAY = 24 * 60 * 60 * 1000;

function number(name: string, value: number | undefined, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value > max)
    throw new RangeError(`cache(): ${name} must be a number from 0 to ${max}, got ${String(value)}`);
  return value;
}

/** Checks `options` and fills in the defaults. */
export function resolveOptions(options: CacheOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('cache() takes an options object');
  const store = options.store ?? new MemoryCacheStore();
  if (
    typeof store.get !== 'function' ||
    typeof store.set !== 'function' ||
    typeof store.delete !== 'function'
  )
    throw new TypeError('cache(): store must have get(key), set(key, entry, ttl) and delete(key)');
  const methods = new Set([...(options.methods ?? ['GET', 'HEAD'])].map((m) => String(m).toUpperCase()));
  if (options.now !== undefined && typeof options.now !== 'function')
    throw new TypeError('cache(): now must be a function returning epoch milliseconds');
  let warned = false;
  const onError =
    options.onError ??
    ((error: unknown) => {
      if (warned || error instanceof RequestError) return;
      warned = true;
      const message = error instanceof Error ? error.message : String(error);
      process.emitWarning(`@sess/plugin-cache: the cache store failed (requests go on uncached): ${message}`);
    });
  return {
    store,
    shared: options.shared ?? false,
    methods,
    heuristicFraction: number('heuristicFraction', options.heuristicFraction, 0.1, 1),
    staleTtl: number('staleTtl', options.staleTtl, DAY),
    maxEntrySize: number('maxEntrySize', options.maxEntrySize, store.maxEntrySize ?? 16 * 1024 * 1024),
    now: options.now ?? Date.now,
    onError,
  };
}
