/**
 * The jar's operations, each written once as an {@link Op} over any
 * tough-cookie store; `CookieJar` runs them synchronously or asynchronously.
 */
import { CookieConflictError } from '@sess/core';
import { type Cookie, type Store, type CookieJar as ToughCookieJar, Store as ToughStore } from 'tough-cookie';
import { buildApiCookie } from './api-cookie.js';
import { type CookieLimits, selectEvictions } from './bounds.js';
import { checkImportedCookie, prefixProblem } from './cookie-check.js';
import { isExpired, isSessionCookie } from './cookie-time.js';
import { normalizeDomain } from './domain.js';
import { call, type Op } from './op.js';
import { parseResponseCookie } from './response-cookie.js';
import { cookieFromJSON, cookieToJSON } from './serialize.js';
import type { CookieFilter, CookieRejection, SetCookieOptions } from './types.js';
import type { CookieValidator } from './validator.js';

/** What the operations work on. */
export interface JarContext {
  readonly store: Store;
  /** tough-cookie's jar over `store`, for RFC 6265 reads. */
  readonly reader: ToughCookieJar;
  /** tough-cookie's checks for writes. */
  readonly validator: CookieValidator;
  readonly maxCookieSize: number;
  /** Set when the store does not bound itself: the jar enforces these after writes. */
  readonly limits: CookieLimits | undefined;
  readonly onRejected: ((rejection: CookieRejection) => void) | undefined;
}

/** A cookie that was not loaded, and why. */
export interface SkippedCookie {
  /** `name` (or the line, for cookies.txt) of what was skipped. */
  readonly cookie: string;
  readonly reason: string;
}

/** What a load (`loadJSON`, `loadNetscape`) did. */
export interface LoadResult {
  /** Cookies stored. */
  readonly loaded: number;
  /** Entries left out because they break the jar's rules or cannot be read. Expired ones are not listed. */
  readonly skipped: readonly SkippedCookie[];
}

function* allCookies(ctx: JarContext): Op<Cookie[]> {
  return (yield* call<Cookie[] | undefined>((cb) => ctx.store.getAllCookies(cb))) ?? [];
}

/** Every cookie that has not expired, oldest first. */
export function* liveCookies(ctx: JarContext): Op<Cookie[]> {
  const now = Date.now();
  return (yield* allCookies(ctx)).filter((c) => !isExpired(c, now));
}

function* removeCookie(ctx: JarContext, c: Cookie): Op<void> {
  yield* call<void>((cb) => ctx.store.removeCookie(c.domain, c.path, c.key, cb));
}

/** Stores a checked cookie, keeping the creation time of the one it replaces (RFC 6265 §5.3 step 11). */
function* writeCookie(ctx: JarContext, cookie: Cookie): Op<void> {
  const old = yield* call<Cookie | undefined>((cb) =>
    ctx.store.findCookie(cookie.domain, cookie.path, cookie.key, cb),
  );
  if (old) {
    cookie.creation = old.creation;
    cookie.creationIndex = old.creationIndex;
    yield* call<void>((cb) => ctx.store.updateCookie(old, cookie, cb));
  } else {
    yield* call<void>((cb) => ctx.store.putCookie(cookie, cb));
  }
}

/** Stores `cookie`, or deletes its namesake when it has already expired (how servers delete cookies). */
function* storeOrDelete(ctx: JarContext, cookie: Cookie, now: number): Op<void> {
  if (isExpired(cookie, now)) yield* removeCookie(ctx, cookie);
  else yield* writeCookie(ctx, cookie);
}

/** Evicts down to `ctx.limits` when the store does not bound itself. */
function* enforceLimits(ctx: JarContext): Op<void> {
  if (!ctx.limits) return;
  const victims = selectEvictions(yield* allCookies(ctx), ctx.limits, Date.now());
  for (const c of victims) yield* removeCookie(ctx, c);
}

/** The cookie a `Set-Cookie` value yields, checked by RFC 6265's rules, or why it is ignored. */
function acceptFromResponse(
  ctx: JarContext,
  header: string,
  host: string,
  url: string,
  now: number,
): Cookie | string {
  const cookie = parseResponseCookie(header, host, ctx.maxCookieSize, now);
  if (typeof cookie === 'string') return cookie;
  try {
    ctx.validator.accept(cookie, url, now);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  // tough-cookie matches the prefixes case-sensitively; browsers do not.
  return prefixProblem(cookie) ?? cookie;
}

/** Stores each `Set-Cookie` value of a response from `url` that RFC 6265 accepts; ignores the rest. */
export function* storeFromResponse(ctx: JarContext, setCookies: readonly string[], url: string): Op<void> {
  const now = Date.now();
  const host = normalizeDomain(new URL(url).hostname);
  let wrote = false;
  for (const header of setCookies) {
    const cookie = acceptFromResponse(ctx, header, host, url, now);
    if (typeof cookie === 'string') {
      ctx.onRejected?.({ setCookie: header, url, reason: cookie });
      continue;
    }
    yield* storeOrDelete(ctx, cookie, now);
    wrote = true;
  }
  if (wrote) yield* enforceLimits(ctx);
}

/** The `Cookie` header value for `url`: longest path first, then oldest. */
export function* cookieHeader(ctx: JarContext, url: string): Op<string> {
  return (yield* call<string | undefined>((cb) => ctx.reader.getCookieString(url, {}, cb))) ?? '';
}

/** `set(name, value, options)`. Throws a TypeError for a cookie the jar would not accept. */
export function* setCookie(
  ctx: JarContext,
  name: string,
  value: string,
  options: SetCookieOptions,
): Op<void> {
  const now = Date.now();
  const { cookie, url } = buildApiCookie(name, value, options, ctx.maxCookieSize);
  let problem: string | undefined;
  try {
    ctx.validator.accept(cookie, url, now);
    problem = prefixProblem(cookie);
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
  }
  if (problem !== undefined) throw new TypeError(`Cannot set cookie ${JSON.stringify(name)}: ${problem}`);
  yield* storeOrDelete(ctx, cookie, now);
  yield* enforceLimits(ctx);
}

/** A predicate for `name` (when given) and a {@link CookieFilter}. */
export function cookieMatcher(name: string | undefined, filter: CookieFilter = {}): (c: Cookie) => boolean {
  const domain = filter.domain === undefined ? undefined : normalizeDomain(filter.domain);
  const path = filter.path;
  return (c) =>
    (name === undefined || c.key === name) &&
    (domain === undefined || c.domain === domain) &&
    (path === undefined || c.path === path);
}

/** requests' `get`: the value of the one cookie called `name`; CookieConflictError when several match. */
export function* getValue(ctx: JarContext, name: string, filter?: CookieFilter): Op<string | undefined> {
  const found = (yield* liveCookies(ctx)).filter(cookieMatcher(name, filter));
  if (found.length > 1) {
    const where = found.map((c) => `${c.domain}${c.path}`).join(', ');
    throw new CookieConflictError(`There are multiple cookies with name ${JSON.stringify(name)} (${where})`);
  }
  return found[0]?.value;
}

/** Assigns without ever touching the prototype (a cookie may be called `__proto__`). */
function assign(out: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** requests' `get_dict`: name -> value, later cookies winning. */
export function* getDict(ctx: JarContext, filter?: CookieFilter): Op<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of (yield* liveCookies(ctx)).filter(cookieMatcher(undefined, filter)))
    assign(out, c.key, c.value);
  return out;
}

/** Removes every cookie `match` selects; true when there was one. */
export function* removeWhere(ctx: JarContext, match: (c: Cookie) => boolean, expired = false): Op<boolean> {
  const cookies = expired ? yield* allCookies(ctx) : yield* liveCookies(ctx);
  let removed = false;
  for (const c of cookies) {
    if (!match(c)) continue;
    yield* removeCookie(ctx, c);
    removed = true;
  }
  return removed;
}

/** http.cookiejar's `clear(domain, path, name)` argument rules. */
export function clearMatcher(domain?: string, path?: string, name?: string): (c: Cookie) => boolean {
  if (name !== undefined && (domain === undefined || path === undefined)) {
    throw new TypeError('clear(): domain and path must be given to remove a cookie by name');
  }
  if (path !== undefined && domain === undefined) {
    throw new TypeError('clear(): domain must be given to remove cookies by path');
  }
  return cookieMatcher(name, { domain, path });
}

/** True when `store` has its own `method` (tough-cookie's base `Store` throws "not implemented"). */
function implemented(store: Store, method: 'removeCookies' | 'removeAllCookies'): boolean {
  return typeof store[method] === 'function' && store[method] !== ToughStore.prototype[method];
}

/**
 * http.cookiejar's `clear(domain, path, name)` (rules: {@link clearMatcher}),
 * expired cookies included. Everything, or the cookies of a domain (and
 * path), goes in one store call (`removeAllCookies` / `removeCookies`) when
 * the store has it; one cookie by name is found and removed.
 */
export function* clearCookies(ctx: JarContext, domain?: string, path?: string, name?: string): Op<void> {
  const match = clearMatcher(domain, path, name);
  const { store } = ctx;
  if (domain === undefined && implemented(store, 'removeAllCookies')) {
    yield* call<void>((cb) => store.removeAllCookies(cb));
  } else if (
    domain !== undefined &&
    name === undefined &&
    path !== '' &&
    implemented(store, 'removeCookies')
  ) {
    const exact = normalizeDomain(domain);
    yield* call<void>((cb) => store.removeCookies(exact, path ?? null, cb));
  } else {
    yield* removeWhere(ctx, match, true);
  }
}

/** Removes expired cookies. */
export function* clearExpired(ctx: JarContext): Op<void> {
  const now = Date.now();
  yield* removeWhere(ctx, (c) => isExpired(c, now), true);
}

/** Removes session cookies (those without Expires or Max-Age). */
export function* clearSession(ctx: JarContext): Op<void> {
  yield* removeWhere(ctx, isSessionCookie);
}

/**
 * Stores cookies that did not come from a response, after checking each
 * against the jar's rules. `strict`: a cookie that breaks them throws a
 * TypeError; otherwise it is skipped and listed in the result.
 */
export function* importCookies(
  ctx: JarContext,
  cookies: Iterable<{ cookie: Cookie | undefined; label: string }>,
  strict: boolean,
): Op<LoadResult> {
  const now = Date.now();
  const skipped: SkippedCookie[] = [];
  const accepted: Cookie[] = [];
  for (const { cookie, label } of cookies) {
    const problem = cookie ? checkImportedCookie(cookie, ctx.maxCookieSize, now) : 'not a cookie';
    if (problem !== undefined || !cookie) {
      // Checked before anything is written: a strict import is all or nothing.
      if (strict) throw new TypeError(`Cannot import cookie ${label}: ${problem ?? 'not a cookie'}`);
      skipped.push({ cookie: label, reason: problem ?? 'not a cookie' });
    } else if (!isExpired(cookie, now)) {
      if (!cookie.lastAccessed) cookie.lastAccessed = new Date(now);
      accepted.push(cookie);
    }
  }
  for (const cookie of accepted) yield* writeCookie(ctx, cookie);
  if (accepted.length > 0) yield* enforceLimits(ctx);
  return { loaded: accepted.length, skipped };
}

/** A detached copy of `cookie` (creation and last access included). */
export function copyCookie(cookie: Cookie): Cookie {
  const out = cookieFromJSON(cookieToJSON(cookie));
  if (!out) throw new TypeError(`Cannot copy cookie ${cookie.key}`);
  return out;
}
