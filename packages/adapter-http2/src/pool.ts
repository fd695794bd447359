import { OriginPool, type OriginPoolInit, type PoolStats } from './origin-pool.js';

/**
 * Every origin pool of one adapter, by key. A key is the origin plus what
 * makes its connections different (proxy, TLS settings), so two requests
 * share a session only when either could have opened it.
 */
export class Pools {
  readonly #pools = new Map<string, OriginPool>();
  /** Counts the pools let go of: a pool remembered from an earlier generation may be gone. */
  generation = 0;

  /** The pool for `key`, created with `init()` on first use. */
  get(key: string, init: () => OriginPoolInit): OriginPool {
    let pool = this.#pools.get(key);
    if (!pool) {
      // Forget pools that have emptied out, so an adapter that saw many origins does not grow forever.
      if (this.#pools.size >= 64) {
        for (const [k, p] of this.#pools) if (p.empty) this.#pools.delete(k);
        this.generation++;
      }
      pool = new OriginPool(init());
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /** Counts per origin (`https://host:port`), summed over that origin's keys. */
  stats(): Record<string, PoolStats> {
    const out: Record<string, PoolStats> = {};
    for (const [key, pool] of this.#pools) {
      const origin = key.slice(0, key.indexOf(' '));
      const s = pool.stats();
      const acc = out[origin];
      if (acc) {
        acc.sessions += s.sessions;
        acc.streams += s.streams;
        acc.queued += s.queued;
        acc.connecting += s.connecting;
      } else out[origin] = s;
    }
    return out;
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    this.generation++;
    await Promise.all(pools.map((p) => p.close()));
  }
}

/** A pool key: the origin first (up to the first space), then what else sets its connections apart. */
export function poolKey(origin: string, proxy: string | undefined, tlsKey: string): string {
  return `${origin} ${proxy ?? '-'} ${tlsKey}`;
}
