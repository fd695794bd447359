import type { Response } from '@sess/core';

/**
 * How the cache answered a request:
 *
 * - `'hit'`: a fresh stored response, no request sent;
 * - `'stale'`: a stale stored response the rules allowed (max-stale,
 *   stale-while-revalidate, stale-if-error, force-cache, only-if-cached);
 * - `'revalidated'`: the server confirmed the stored response (304), which
 *   answered with its headers refreshed;
 * - `'miss'`: the server answered (stored when it could be), or the cache
 *   made a 504 for only-if-cached;
 * - `'bypass'`: the cache was not consulted (a method it does not cache,
 *   `no-store` mode, a Range request, a conditional request of yours).
 */
export type CacheStatus = 'hit' | 'stale' | 'revalidated' | 'miss' | 'bypass';

const statuses = new WeakMap<Response, CacheStatus>();

/** @internal Records how `response` was answered. */
export function markStatus<R extends Response>(response: R, status: CacheStatus): R {
  statuses.set(response, status);
  return response;
}

/**
 * How the cache plugin answered `response` (see CacheStatus); `undefined`
 * for a response it did not see. `response.fromCache` is `true` for
 * `'hit'` and `'stale'`: nothing from the server in them, cookies included.
 */
export function cacheStatusOf(response: Response): CacheStatus | undefined {
  return statuses.get(response);
}
