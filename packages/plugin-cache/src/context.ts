import type { Headers } from '@sess/core';
import { timeToKeep } from './decide.js';
import type { FreshnessPolicy } from './freshness.js';
import type { ResolvedOptions } from './options.js';
import type { CacheEntry, StoredResponse } from './stored.js';
import { isPromise } from './stores/store.js';
import { sameVariant, varyMatches } from './vary.js';

/** Variants kept per URL: a Vary on a field with many values must not grow an entry without bound. */
const MAX_VARIANTS = 16;

/**
 * The state of one `cache()` plugin: its options, its store (every call
 * made safe: a store failure is a miss, never a failed request), and the
 * background work it started.
 */
export class CacheContext {
  readonly options: ResolvedOptions;
  readonly policy: FreshnessPolicy;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #revalidating = new Set<string>();

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.policy = { shared: options.shared, heuristicFraction: options.heuristicFraction };
  }

  now(): number {
    return this.options.now();
  }

  /** The entry under `key`; synchronous when the store is (a memory hit costs no promise). */
  lookup(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined> {
    try {
      const got = this.options.store.get(key);
      if (!isPromise(got)) return got;
      return got.catch((err: unknown) => {
        this.options.onError(err);
        return undefined;
      });
    } catch (err) {
      this.options.onError(err);
      return undefined;
    }
  }

  /**
   * Stores `stored` as the variant it is, keeping the other variants of
   * `previous` (the entry read for this request) that vary on the same
   * fields and are still worth keeping.
   */
  async commit(key: string, previous: CacheEntry | undefined, stored: StoredResponse): Promise<void> {
    const now = this.now();
    const ttlOf = (v: StoredResponse) => timeToKeep(v, now, this.policy, this.options.staleTtl);
    const others = stored.vary
      ? (previous?.variants ?? []).filter(
          (v) => v.vary !== undefined && !sameVariant(v, stored) && sameFields(v, stored) && ttlOf(v) > 0,
        )
      : [];
    const variants = [stored, ...others].slice(0, MAX_VARIANTS);
    const ttl = Math.max(...variants.map(ttlOf));
    await this.#safely(() => this.options.store.set(key, { variants }, ttl));
  }

  /** Deletes `keys` (invalidation). */
  async remove(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.#safely(() => this.options.store.delete(key))));
  }

  /**
   * Runs `work` in the background, once per key at a time (a burst of
   * requests for one stale entry validates it once). Failures go to onError.
   */
  background(key: string, work: () => Promise<void>): void {
    if (this.#revalidating.has(key)) return;
    this.#revalidating.add(key);
    const p: Promise<void> = work()
      .catch((err: unknown) => this.options.onError(err))
      .finally(() => {
        this.#revalidating.delete(key);
        this.#pending.delete(p);
      });
    this.#pending.add(p);
  }

  /** Resolves when no background work is left (work started meanwhile included). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #safely(call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch (err) {
      this.options.onError(err);
    }
  }
}

/** The first variant of `entry` the request selects (RFC 9111 §4.1), newest first. */
export function selectVariant(entry: CacheEntry, headers: Headers): StoredResponse | undefined {
  for (const v of entry.variants) if (varyMatches(v, headers)) return v;
  return undefined;
}

function sameFields(a: StoredResponse, b: StoredResponse): boolean {
  const ka = Object.keys(a.vary ?? {});
  const kb = Object.keys(b.vary ?? {});
  return ka.length === kb.length && ka.every((k) => kb.includes(k));
}
