import { seconds } from './directives.js';
import type { Facts } from './facts.js';
import type { StoredResponse } from './stored.js';

/**
 * Status codes defined as heuristically cacheable (RFC 9110 §15.1): only
 * these get a heuristic freshness lifetime.
 */
export const HEURISTIC_STATUSES: ReadonlySet<number> = new Set([
  200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501,
]);

/** What freshness depends on besides the response: the cache's kind and heuristic. */
export interface FreshnessPolicy {
  readonly shared: boolean;
  /** Fraction of the Last-Modified age used as a heuristic lifetime (0 turns heuristics off). */
  readonly heuristicFraction: number;
}

/** `true` when the response says how long it stays fresh (max-age, s-maxage for a shared cache, Expires). */
export function hasExplicitFreshness(f: Facts, shared: boolean): boolean {
  return (shared && f.cc.has('s-maxage')) || f.cc.has('max-age') || f.expires !== undefined;
}

/**
 * The freshness lifetime in ms (RFC 9111 §4.2.1): s-maxage (shared caches
 * only), max-age, Expires minus Date (or the receipt time), else a
 * heuristic (§4.2.2) for heuristically cacheable status codes: a fraction
 * of the time since Last-Modified.
 */
export function freshnessLifetime(stored: StoredResponse, f: Facts, policy: FreshnessPolicy): number {
  const cc = f.cc;
  if (policy.shared) {
    const s = seconds(cc, 's-maxage');
    if (s !== undefined) return s;
  }
  const maxAge = seconds(cc, 'max-age');
  if (maxAge !== undefined) return maxAge;
  if (f.expires !== undefined) {
    if (f.expires === null) return 0;
    return Math.max(0, f.expires - (f.date ?? stored.responseTime));
  }
  if (HEURISTIC_STATUSES.has(stored.statusCode) && f.lastModified !== undefined) {
    const since = (f.date ?? stored.responseTime) - f.lastModified;
    return Math.max(0, Math.floor(since * policy.heuristicFraction));
  }
  return 0;
}

/**
 * The current age in ms (RFC 9111 §4.2.3): the larger of the apparent age
 * (receipt time minus Date) and the Age header corrected by the response
 * delay (the time the request took), plus the time spent in the cache.
 */
export function currentAge(stored: StoredResponse, f: Facts, now: number): number {
  const apparentAge = Math.max(0, stored.responseTime - (f.date ?? stored.responseTime));
  const responseDelay = Math.max(0, stored.responseTime - stored.requestTime);
  const correctedAgeValue = f.age + responseDelay;
  const correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
  const residentTime = Math.max(0, now - stored.responseTime);
  return correctedInitialAge + residentTime;
}

/**
 * The response forbids serving it stale (§4.2.4): must-revalidate, and for
 * a shared cache proxy-revalidate or s-maxage (which implies it, §5.2.2.10).
 */
export function forbidsStale(f: Facts, shared: boolean): boolean {
  const cc = f.cc;
  return cc.has('must-revalidate') || (shared && (cc.has('proxy-revalidate') || cc.has('s-maxage')));
}
