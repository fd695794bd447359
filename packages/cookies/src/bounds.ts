import type { Cookie } from 'tough-cookie';
import { isExpired, lastUsed } from './cookie-time.js';
import { siteOf } from './domain.js';

/**
 * How many cookies a jar keeps, like a browser: per registrable domain
 * (`example.co.uk` and all its subdomains count together) and in total.
 */
export interface CookieLimits {
  /** Cookies per registrable domain (or per IP address). Default 180, as Chromium. */
  readonly maxCookiesPerDomain: number;
  /** Cookies in the whole jar. Default 3000, as Chromium. */
  readonly maxCookies: number;
}

/** Chromium's limits. */
export const DEFAULT_LIMITS: CookieLimits = Object.freeze({ maxCookiesPerDomain: 180, maxCookies: 3000 });

/** Fills in defaults and checks that each limit is a positive integer. */
export function resolveLimits(init: Partial<CookieLimits> = {}): CookieLimits {
  const limits = {
    maxCookiesPerDomain: init.maxCookiesPerDomain ?? DEFAULT_LIMITS.maxCookiesPerDomain,
    maxCookies: init.maxCookies ?? DEFAULT_LIMITS.maxCookies,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return Object.freeze(limits);
}

/**
 * A store that enforces its own limits (evicting when a write goes over).
 * A `CookieJar` on a store without `limits` enforces them itself after
 * each write, which costs a full read of the store.
 */
export interface BoundedStore {
  readonly limits: CookieLimits;
}

/** True when `store` enforces its own limits. */
export function isBoundedStore(store: object): store is BoundedStore {
  const limits: unknown = (store as Partial<BoundedStore>).limits;
  return typeof limits === 'object' && limits !== null;
}

/**
 * How far a bound that was exceeded is purged: to 90% of the limit (at
 * least one below the count), so a flood costs one sort per tenth of the
 * limit instead of one scan per cookie. Browsers do the same (Chromium
 * purges a domain from 180 to 150).
 */
export function purgeTarget(limit: number): number {
  return limit - Math.floor(limit / 10);
}

/** Sort key for eviction: see {@link compareForEviction}. */
export interface EvictionRank {
  readonly cookie: Cookie;
  readonly expired: boolean;
  readonly used: number;
  readonly tiebreak: number;
}

/** Ranks `cookie` for eviction at `now`; `tiebreak` defaults to creation order. */
export function rankForEviction(
  cookie: Cookie,
  now: number,
  tiebreak: (c: Cookie) => number = (c) => c.creationIndex,
): EvictionRank {
  return { cookie, expired: isExpired(cookie, now), used: lastUsed(cookie), tiebreak: tiebreak(cookie) };
}

/**
 * Negative when `a` goes before `b`: expired cookies first, then the least
 * recently used (read or written), then the lower tiebreak.
 */
export function compareForEviction(a: EvictionRank, b: EvictionRank): number {
  if (a.expired !== b.expired) return a.expired ? -1 : 1;
  return a.used - b.used || a.tiebreak - b.tiebreak;
}

/** The `count` cookies of `cookies` to evict first. */
export function oldest(
  cookies: Iterable<Cookie>,
  count: number,
  now: number,
  tiebreak?: (c: Cookie) => number,
): Cookie[] {
  const ranked: EvictionRank[] = [];
  for (const c of cookies) ranked.push(rankForEviction(c, now, tiebreak));
  ranked.sort(compareForEviction);
  return ranked.slice(0, Math.max(0, count)).map((r) => r.cookie);
}

/** Registrable domains already looked up (the public suffix list does not change). */
const siteCache = new Map<string, string>();
const SITE_CACHE_SIZE = 10_000;

/** {@link siteOf}, looked up once per domain (across passes, up to {@link SITE_CACHE_SIZE} domains). */
function cachedSiteOf(domain: string): string {
  let site = siteCache.get(domain);
  if (site === undefined) {
    site = siteOf(domain);
    if (siteCache.size >= SITE_CACHE_SIZE) siteCache.clear();
    siteCache.set(domain, site);
  }
  return site;
}

/**
 * The cookies to remove so that `cookies` fits `limits`: for each
 * registrable domain over its bound, the oldest down to
 * {@link purgeTarget}; then, if the whole is still over, the oldest of what
 * is left, likewise. Pure; the jar uses it for stores that do not bound
 * themselves.
 */
export function selectEvictions(cookies: readonly Cookie[], limits: CookieLimits, now: number): Cookie[] {
  // Under both bounds no site can be over its own: nothing to group.
  if (cookies.length <= limits.maxCookiesPerDomain && cookies.length <= limits.maxCookies) return [];
  const bySite = new Map<string, Cookie[]>();
  for (const c of cookies) {
    const site = cachedSiteOf(c.domain ?? '');
    const list = bySite.get(site);
    if (list) list.push(c);
    else bySite.set(site, [c]);
  }
  const evicted = new Set<Cookie>();
  for (const list of bySite.values()) {
    if (list.length <= limits.maxCookiesPerDomain) continue;
    for (const c of oldest(list, list.length - purgeTarget(limits.maxCookiesPerDomain), now)) evicted.add(c);
  }
  const rest = cookies.filter((c) => !evicted.has(c));
  if (rest.length > limits.maxCookies) {
    for (const c of oldest(rest, rest.length - purgeTarget(limits.maxCookies), now)) evicted.add(c);
  }
  return [...evicted];
}
