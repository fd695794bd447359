import { type Directives, seconds } from './directives.js';
import { factsOf } from './facts.js';
import { currentAge, type FreshnessPolicy, forbidsStale, freshnessLifetime } from './freshness.js';
import type { CacheMode } from './modes.js';
import type { StoredResponse } from './stored.js';

/** What to do with a stored response that matches the request. */
export type Decision =
  /** Fresh and acceptable: answer with it. */
  | { readonly kind: 'fresh' }
  /** Stale, and the request accepts it (max-stale, force-cache, only-if-cached): answer with it. */
  | { readonly kind: 'stale' }
  /** Stale within stale-while-revalidate: answer with it and validate it in the background. */
  | { readonly kind: 'stale-while-revalidate' }
  /**
   * Validate it with the server first. `staleIfError`: when the server
   * fails (5xx or a network error) it may answer instead (RFC 5861).
   */
  | { readonly kind: 'validate'; readonly staleIfError: boolean };

const FRESH: Decision = { kind: 'fresh' };
const STALE: Decision = { kind: 'stale' };
const SWR: Decision = { kind: 'stale-while-revalidate' };
const VALIDATE: Decision = { kind: 'validate', staleIfError: false };
const VALIDATE_OR_STALE: Decision = { kind: 'validate', staleIfError: true };

/**
 * RFC 9111 §4.2 and §5.2 applied to one stored response, with the
 * request's directives and mode. The response's own rules come first where
 * it has the last word: `no-cache` always validates; `must-revalidate` (and
 * for a shared cache `proxy-revalidate` / `s-maxage`) forbids serving it
 * stale in any way, max-stale, stale-while-revalidate and stale-if-error
 * included (§4.2.4).
 */
export function decide(
  stored: StoredResponse,
  requestCC: Directives,
  mode: CacheMode,
  now: number,
  policy: FreshnessPolicy,
): Decision {
  const f = factsOf(stored);
  const lifetime = freshnessLifetime(stored, f, policy);
  const age = currentAge(stored, f, now);
  const staleness = age - lifetime;
  // fetch: these modes take any stored response, without regard to staleness.
  if (mode === 'force-cache' || mode === 'only-if-cached') return staleness < 0 ? FRESH : STALE;

  const noStale = forbidsStale(f, policy.shared) || f.cc.get('no-cache') === true;
  const sie = Math.max(seconds(f.cc, 'stale-if-error') ?? -1, seconds(requestCC, 'stale-if-error') ?? -1);
  const errorOk = !noStale && !requestCC.has('no-cache') && sie >= 0 && staleness <= sie;
  const validate = errorOk ? VALIDATE_OR_STALE : VALIDATE;

  if (mode === 'no-cache' || requestCC.has('no-cache') || f.cc.get('no-cache') === true) return validate;
  const maxAge = seconds(requestCC, 'max-age');
  if (maxAge !== undefined && age > maxAge) return validate;
  const minFresh = seconds(requestCC, 'min-fresh');
  if (minFresh !== undefined && lifetime - age < minFresh) return validate;
  if (staleness < 0) return FRESH;

  if (noStale) return VALIDATE;
  const maxStale = seconds(requestCC, 'max-stale', Number.POSITIVE_INFINITY);
  if (maxStale !== undefined && staleness <= maxStale) return STALE;
  const swr = seconds(f.cc, 'stale-while-revalidate');
  if (swr !== undefined && staleness <= swr) return SWR;
  return validate;
}

/**
 * Milliseconds a store should keep `stored` (RFC 9111 leaves eviction to
 * the cache): what is left of its freshness, plus the longer of its
 * stale-while-revalidate and stale-if-error windows, plus `staleTtl` when
 * it has a validator (a stale entry that can still be validated saves the
 * body's transfer). 0: not worth storing.
 */
export function timeToKeep(
  stored: StoredResponse,
  now: number,
  policy: FreshnessPolicy,
  staleTtl: number,
): number {
  const f = factsOf(stored);
  const left = Math.max(0, freshnessLifetime(stored, f, policy) - currentAge(stored, f, now));
  const windows = Math.max(
    seconds(f.cc, 'stale-while-revalidate') ?? 0,
    seconds(f.cc, 'stale-if-error') ?? 0,
  );
  const validatable = f.etag !== undefined || f.lastModifiedRaw !== undefined;
  return left + windows + (validatable ? staleTtl : 0);
}
