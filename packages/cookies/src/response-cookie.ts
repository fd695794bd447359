import { Cookie } from 'tough-cookie';
import { charProblem, sizeProblem } from './cookie-check.js';
import { fixExpiry } from './cookie-time.js';
import { isPublicSuffix, normalizeDomain } from './domain.js';

/**
 * Parses one `Set-Cookie` value (strict mode) and prepares it for
 * tough-cookie's RFC 6265 checks, which come next. Returns the cookie, or
 * the reason it is ignored.
 *
 * - A name, value or path holding a control character or a character
 *   above U+00FF (a header is latin1): ignored.
 * - Over `maxCookieSize` bytes of name and value: ignored, as browsers do.
 * - `Domain` is put in canonical form (lower case, IDN in punycode), so a
 *   Unicode `Domain=bücher.example` matches the punycode host of the URL.
 * - RFC 6265 §5.3 step 5: a `Domain` that is a public suffix is accepted
 *   only when it equals the request host, and then yields a host-only cookie
 *   (tough-cookie would reject it outright).
 * - `Max-Age` becomes an absolute `Expires` counted from `now`.
 * - Unknown attributes (`extensions`) are dropped: nothing reads them.
 */
export function parseResponseCookie(
  header: string,
  host: string,
  maxCookieSize: number,
  now: number,
): Cookie | string {
  const cookie = Cookie.parse(header, { loose: false });
  if (!cookie) return 'Set-Cookie could not be parsed';
  const problem = charProblem(cookie) ?? sizeProblem(cookie, maxCookieSize);
  if (problem) return problem;
  if (cookie.domain) {
    let domain: string;
    try {
      domain = normalizeDomain(cookie.domain);
    } catch {
      return `invalid Domain attribute ${JSON.stringify(cookie.domain)}`;
    }
    cookie.domain = domain === host && isPublicSuffix(domain) ? null : domain;
  }
  cookie.extensions = null;
  fixExpiry(cookie, now);
  return cookie;
}
