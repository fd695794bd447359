import { Cookie } from 'tough-cookie';
import { nameProblem, pathProblem, sizeProblem, valueProblem } from './cookie-check.js';
import { isIpHost, isPublicSuffix, normalizeDomain } from './domain.js';
import type { SetCookieOptions } from './types.js';

const DOMAIN_REQUIRED =
  'CookieJar.set() needs options.domain. requests would store a domain-less cookie and send it to every ' +
  "host; sess does not. Pass { domain: 'example.com' } (sent to example.com and its subdomains), " +
  'add hostOnly: true for that host alone, or use per-request `cookies` for a one-off.';

/**
 * Builds the cookie `CookieJar.set()` stores, and a URL of its host to store
 * it from, so that tough-cookie applies the same checks as to a response
 * (domain match, prefixes). https, so a `Secure` cookie is accepted.
 * Throws a TypeError saying what is wrong.
 */
export function buildApiCookie(
  name: string,
  value: string,
  options: SetCookieOptions | undefined,
  maxCookieSize: number,
): { cookie: Cookie; url: string } {
  if (typeof options?.domain !== 'string' || options.domain.trim().replace(/^\./, '') === '') {
    throw new TypeError(DOMAIN_REQUIRED);
  }
  const problem = nameProblem(name) ?? valueProblem(value);
  if (problem) throw new TypeError(problem);
  const domain = normalizeDomain(options.domain);
  const path = options.path ?? '/';
  if (!path.startsWith('/'))
    throw new TypeError(`cookie path must start with /, got ${JSON.stringify(path)}`);
  const badPath = pathProblem(path);
  if (badPath) throw new TypeError(badPath);
  const hostOnly = options.hostOnly === true || isIpHost(domain) || isPublicSuffix(domain);
  let expires: Date | 'Infinity' = 'Infinity';
  if (options.expires !== undefined && options.expires !== null) {
    expires = new Date(options.expires);
    if (Number.isNaN(expires.getTime())) throw new TypeError(`Invalid expires ${String(options.expires)}`);
  }
  const sameSite = options.sameSite;
  if (sameSite !== undefined && sameSite !== 'strict' && sameSite !== 'lax' && sameSite !== 'none') {
    throw new TypeError(`sameSite must be 'strict', 'lax' or 'none', got ${JSON.stringify(sameSite)}`);
  }
  const cookie = new Cookie({
    key: name,
    value,
    domain: hostOnly ? null : domain,
    path,
    secure: options.secure === true,
    httpOnly: options.httpOnly === true,
    expires,
    sameSite,
  });
  const size = sizeProblem(cookie, maxCookieSize);
  if (size) throw new TypeError(size);
  return { cookie, url: `https://${domain.includes(':') ? `[${domain}]` : domain}/` };
}
