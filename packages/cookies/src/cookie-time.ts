import type { Cookie } from 'tough-cookie';

/**
 * Turns a relative `Max-Age` into an absolute `Expires`, counted from
 * `now` (when the cookie was received), as RFC 6265 §5.2.2 says.
 *
 * tough-cookie would otherwise count Max-Age from `lastAccessed`, which it
 * updates on every read, so a cookie that is read often would never expire.
 * Storing an absolute time also lets stores map expiry onto their own TTLs.
 */
export function fixExpiry(cookie: Cookie, now: number): void {
  const maxAge = cookie.maxAge;
  if (maxAge === null) return;
  if (maxAge === 'Infinity') cookie.expires = 'Infinity';
  else if (maxAge === '-Infinity' || maxAge <= 0) cookie.expires = new Date(0);
  else cookie.expires = new Date(Math.min(now + maxAge * 1000, 8.64e15));
  cookie.maxAge = null;
}

/** Milliseconds since the epoch when `cookie` expires; Infinity for a session cookie. */
export function expiresAt(cookie: Cookie): number {
  const t = cookie.expiryTime();
  return t === undefined ? Number.POSITIVE_INFINITY : t;
}

/** True when `cookie` has expired at `now`. */
export function isExpired(cookie: Cookie, now: number): boolean {
  return expiresAt(cookie) <= now;
}

/** True for a session cookie (no Expires or Max-Age: it ends with the session). */
export function isSessionCookie(cookie: Cookie): boolean {
  return !cookie.isPersistent();
}

/** When `cookie` was last used (read or written), falling back to its creation. */
export function lastUsed(cookie: Cookie): number {
  const t = cookie.lastAccessed instanceof Date ? cookie.lastAccessed : cookie.creation;
  return t instanceof Date ? t.getTime() : 0;
}
