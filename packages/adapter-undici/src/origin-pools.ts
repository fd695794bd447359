import type { Dispatcher } from 'undici';

/** What the adapter needs of a dispatcher: dispatch, and closing (gracefully or not). */
export interface RequestDispatcher {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/** Idle per-origin pools kept at most; past it the oldest idle one is closed. */
const MAX_ORIGINS = 1024;

/**
 * One Pool per origin, in place of undici's Agent. undici's Agent counts a
 * pool's connected clients and closes the pool when a disconnect brings the
 * count to 0; a request dispatched between a `Connection: close` response
 * and its socket's 'close' event lands on a client not connected yet, the
 * late disconnect then closes that pool, and the same happens to the next
 * one: every later request to the origin opened and closed its own
 * connection. Here a pool lives until the adapter closes, or until many
 * other origins push it out while it is idle.
 */
export class OriginPools implements RequestDispatcher {
  readonly #pools = new Map<string, Dispatcher>();
  readonly #make: (origin: string) => Dispatcher;

  constructor(make: (origin: string) => Dispatcher) {
    this.#make = make;
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = String(options.origin);
    let pool = this.#pools.get(origin);
    if (!pool) {
      if (this.#pools.size >= MAX_ORIGINS) this.#evictIdle();
      pool = this.#make(origin);
      this.#pools.set(origin, pool);
    }
    return pool.dispatch(options, handler);
  }

  async close(): Promise<void> {
    const all = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(all.map((p) => p.close()));
  }

  async destroy(): Promise<void> {
    const all = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(all.map((p) => p.destroy()));
  }

  #evictIdle(): void {
    for (const [origin, pool] of this.#pools) {
      const stats = (pool as Dispatcher & { stats?: { size?: number } }).stats;
      if (stats?.size === 0) {
        this.#pools.delete(origin);
        pool.close().catch(() => {});
        return;
      }
    }
  }
}
