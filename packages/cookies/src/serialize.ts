import { Cookie } from 'tough-cookie';

/**
 * One cookie as JSON. Compatible both ways with tough-cookie's own
 * `Cookie.toJSON()` / `Cookie.fromJSON()`.
 */
export interface CookieJSON {
  key: string;
  value: string;
  domain: string;
  path: string;
  /** ISO 8601. Absent for a session cookie. */
  expires?: string;
  /** Sent to `domain` exactly (true) or also to its subdomains (false). */
  hostOnly: boolean;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'strict' | 'lax' | 'none';
  /** ISO 8601. */
  creation?: string;
  /** ISO 8601. */
  lastAccessed?: string;
}

/** What `CookieJar.toJSON()` returns and `CookieJar.fromJSON()` reads. */
export interface CookieJarJSON {
  version: 1;
  cookies: CookieJSON[];
}

function iso(value: Date | 'Infinity' | null): string | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : undefined;
}

/** The JSON form of `cookie` (its expiry must be absolute: stored cookies always are). */
export function cookieToJSON(cookie: Cookie): CookieJSON {
  const out: CookieJSON = {
    key: cookie.key,
    value: cookie.value,
    domain: cookie.domain ?? '',
    path: cookie.path ?? '/',
    hostOnly: cookie.hostOnly !== false,
  };
  const expires = iso(cookie.expires);
  if (expires) out.expires = expires;
  if (cookie.secure) out.secure = true;
  if (cookie.httpOnly) out.httpOnly = true;
  const sameSite = cookie.sameSite;
  if (sameSite === 'strict' || sameSite === 'lax' || sameSite === 'none') out.sameSite = sameSite;
  const creation = iso(cookie.creation);
  if (creation) out.creation = creation;
  const lastAccessed = iso(cookie.lastAccessed);
  if (lastAccessed) out.lastAccessed = lastAccessed;
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Reads one cookie from JSON (ours or tough-cookie's, whose `maxAge` is
 * kept for the caller to turn into an expiry). Returns undefined when the
 * shape is wrong; the caller still checks the cookie against the jar's
 * rules before storing it.
 */
export function cookieFromJSON(value: unknown): Cookie | undefined {
  if (!isRecord(value)) return undefined;
  const { key, value: v, domain, path } = value;
  if (
    typeof key !== 'string' ||
    typeof v !== 'string' ||
    typeof domain !== 'string' ||
    typeof path !== 'string'
  ) {
    return undefined;
  }
  const cookie = new Cookie({ key, value: v, domain, path });
  if (value.expires !== undefined && value.expires !== null && value.expires !== 'Infinity') {
    const expires = readDate(value.expires);
    if (!expires) return undefined;
    cookie.expires = expires;
  }
  if (typeof value.maxAge === 'number') cookie.maxAge = value.maxAge;
  cookie.hostOnly = value.hostOnly !== false;
  cookie.secure = value.secure === true;
  cookie.httpOnly = value.httpOnly === true;
  const sameSite = value.sameSite;
  if (sameSite === 'strict' || sameSite === 'lax' || sameSite === 'none') cookie.sameSite = sameSite;
  const creation = readDate(value.creation);
  if (creation) cookie.creation = creation;
  const lastAccessed = readDate(value.lastAccessed);
  if (lastAccessed) cookie.lastAccessed = lastAccessed;
  return cookie;
}

/** What `fromJSON`/`loadJSON` read: `toJSON()` output (or tough-cookie's `serialize()`), parsed or as text. */
export type CookieJarJSONInput = string | CookieJarJSON | { cookies: readonly unknown[] };

/**
 * The `cookies` array of a serialized jar: ours, or tough-cookie's
 * `serialize()` output. Accepts the JSON text or the parsed value.
 * Throws a TypeError when there is no `cookies` array.
 */
export function readJarJSON(input: CookieJarJSONInput): readonly unknown[] {
  const data: unknown = typeof input === 'string' ? JSON.parse(input) : input;
  if (!isRecord(data) || !Array.isArray(data.cookies)) {
    throw new TypeError('Not a serialized cookie jar: expected an object with a `cookies` array');
  }
  return data.cookies;
}
