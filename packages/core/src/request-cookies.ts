import { InvalidHeaderError } from './errors.js';

/*
 * Cookies given for one request, as PreparedRequest records them. Apart from
 * cookie-header.ts (the jar's waits, clocks and responses) so that
 * PreparedRequest needs no more than this to prepare its cookies.
 */

/** Cookies given for one request only: bound to the host of that request's URL. */
export interface RequestCookies {
  /** `name=value; ...` */
  header: string;
  /** The URL they were given for; redirects compare against it. */
  url: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6265 cookie-octet plus space and comma, which browsers accept; never ';', CR, LF or NUL.
const COOKIE_VALUE = /^[^;\r\n\0]*$/;

/** `name=value; ...` from a plain object; names and values that would inject are refused. */
export function cookieHeaderFromDict(cookies: Record<string, string | number>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(cookies)) {
    const value = String(v);
    if (!TOKEN.test(k) || !COOKIE_VALUE.test(value)) {
      throw new InvalidHeaderError(
        `Invalid cookie ${JSON.stringify(k)}: names must be tokens, values may not hold ';', CR, LF or NUL`,
      );
    }
    parts.push(`${k}=${value}`);
  }
  return parts.join('; ');
}
