import type { Cookie } from 'tough-cookie';
import { fixExpiry, lastUsed } from './cookie-time.js';
import { isIpHost, isPublicSuffix, normalizeDomain } from './domain.js';

/** Browsers' (and RFC 6265bis') limit on a cookie's name plus value, in bytes. */
export const DEFAULT_MAX_COOKIE_SIZE = 4096;

/** RFC 6265bis: attribute values (Path, Domain) longer than this are ignored. */
const MAX_ATTRIBUTE_SIZE = 1024;

/**
 * True when `s` holds a control character (or DEL), which would corrupt a
 * Cookie header, a character above U+00FF (a header is latin1; this also
 * refuses lone surrogates, which no store can encode), or one of `also`.
 */
function hasBadChar(s: string, also: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code > 0xff || also.includes(s.charAt(i))) return true;
  }
  return false;
}

/** Why `name` cannot be a cookie name, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'cookie name is empty';
  if (hasBadChar(name, ';=') || name.trim() !== name) {
    return `cookie name ${JSON.stringify(name)} holds a control character, a character above U+00FF, ';', '=' or surrounding whitespace`;
  }
  return undefined;
}

/** Why `value` cannot be a cookie value, or undefined when it can. */
export function valueProblem(value: string): string | undefined {
  if (hasBadChar(value, ';'))
    return "cookie value holds a control character, a character above U+00FF or ';'";
  return undefined;
}

/** Why `path` cannot be a cookie path (absent is fine: a default applies), or undefined when it can. */
export function pathProblem(path: string | null | undefined): string | undefined {
  if (path == null) return undefined;
  if (hasBadChar(path, ';')) {
    return `cookie path ${JSON.stringify(path)} holds a control character, a character above U+00FF or ';'`;
  }
  return undefined;
}

/** {@link nameProblem}, {@link valueProblem} and {@link pathProblem} of a cookie. */
export function charProblem(cookie: Cookie): string | undefined {
  return nameProblem(cookie.key) ?? valueProblem(cookie.value) ?? pathProblem(cookie.path);
}

/** Why the cookie's name and value are too large, or undefined. */
export function sizeProblem(cookie: Cookie, maxCookieSize: number): string | undefined {
  const size = Buffer.byteLength(cookie.key) + Buffer.byteLength(cookie.value);
  if (size > maxCookieSize) return `cookie is ${size} bytes, over maxCookieSize (${maxCookieSize})`;
  if (cookie.path && cookie.path.length > MAX_ATTRIBUTE_SIZE) return 'cookie path is over 1024 bytes';
  return undefined;
}

/** Why the cookie breaks the `__Secure-` / `__Host-` prefix rules, or undefined. */
export function prefixProblem(cookie: Cookie): string | undefined {
  // Case-insensitive, as RFC 6265bis and browsers: `__HOST-` is a `__Host-` cookie.
  const key = cookie.key.toLowerCase();
  if (key.startsWith('__secure-') && !cookie.secure) return '__Secure- cookie without Secure';
  if (key.startsWith('__host-') && !(cookie.secure && cookie.hostOnly && cookie.path === '/')) {
    return '__Host- cookie must be Secure, host-only and have Path=/';
  }
  return undefined;
}

/**
 * Checks, and puts into canonical form, a cookie that did not arrive through
 * a `Set-Cookie` header: one loaded from JSON or cookies.txt, or copied from
 * another jar. Same rules as for a response: valid name and value, within
 * the size limit, a domain that is not a public suffix (unless the cookie is
 * host-only), an absolute path, the prefix rules. A host-only flag that is
 * missing counts as host-only, the narrower choice. Returns the problem, or
 * undefined when the cookie may be stored.
 */
export function checkImportedCookie(cookie: Cookie, maxCookieSize: number, now: number): string | undefined {
  const problem = charProblem(cookie) ?? sizeProblem(cookie, maxCookieSize);
  if (problem) return problem;
  if (!cookie.domain) return 'cookie has no domain';
  try {
    cookie.domain = normalizeDomain(cookie.domain);
  } catch (e) {
    return (e as Error).message;
  }
  if (cookie.hostOnly !== false || isIpHost(cookie.domain)) cookie.hostOnly = true;
  else if (isPublicSuffix(cookie.domain)) return `cookie domain ${cookie.domain} is a public suffix`;
  if (!cookie.path?.startsWith('/')) return 'cookie path must start with /';
  const prefix = prefixProblem(cookie);
  if (prefix) return prefix;
  if (cookie.maxAge !== null) fixExpiry(cookie, lastUsed(cookie) || now);
  cookie.extensions = null;
  if (cookie.sameSite !== undefined && !['strict', 'lax', 'none'].includes(cookie.sameSite))
    cookie.sameSite = undefined;
  return undefined;
}
