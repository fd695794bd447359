import type { Headers, PreparedRequest } from '@sess/core';
import { parseCacheControl } from './directives.js';
import { factsOf, httpDate } from './facts.js';
import { headersToStore } from './storable.js';
import { type StoredResponse, storedHeader } from './stored.js';

/** Conditional request fields: a request that has one is the caller's own validation. */
export const CONDITIONAL_FIELDS = [
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
] as const;

/** `true` when the caller made the request conditional themselves. */
export function isConditional(headers: Headers): boolean {
  return CONDITIONAL_FIELDS.some((name) => headers.has(name));
}

/** `true` when the stored response can be validated (it has an ETag or a Last-Modified). */
export function hasValidator(stored: StoredResponse): boolean {
  const f = factsOf(stored);
  return f.etag !== undefined || f.lastModifiedRaw !== undefined;
}

/**
 * The request that validates `stored` (RFC 9111 §4.3.1): a copy with
 * If-None-Match (its ETag) and If-Modified-Since (its Last-Modified). The
 * request itself when there is nothing to validate with: the answer then
 * simply replaces the entry.
 */
export function conditionalRequest(request: PreparedRequest, stored: StoredResponse): PreparedRequest {
  const f = factsOf(stored);
  if (f.etag === undefined && f.lastModifiedRaw === undefined) return request;
  const c = request.copy();
  if (f.etag !== undefined) c.headers.set('If-None-Match', f.etag);
  if (f.lastModifiedRaw !== undefined) c.headers.set('If-Modified-Since', f.lastModifiedRaw);
  return c;
}

const opaque = (etag: string) => etag.trim().replace(/^W\//, '');

/**
 * Does a 304 (or a HEAD's 200) speak of `stored` (§4.3.4)? An ETag must
 * match the stored one (weak comparison), else a Last-Modified the stored
 * one. A 304 with no validator at all answers the request we made for
 * this very entry, so it is taken as being about it.
 */
export function validatorsMatch(stored: StoredResponse, headers: Headers): boolean {
  const f = factsOf(stored);
  const etag = headers.get('etag');
  if (etag !== undefined) return f.etag !== undefined && opaque(etag) === opaque(f.etag);
  const lm = headers.get('last-modified');
  if (lm !== undefined) return f.lastModifiedRaw === lm || httpDate(lm) === f.lastModified;
  return true;
}

/**
 * A HEAD's 200 may refresh a stored GET (§4.3.5) only when it describes
 * the same representation: same validators and, when both have one, the
 * same Content-Length. Otherwise the stored GET is outdated.
 */
export function headDescribes(stored: StoredResponse, headers: Headers): boolean {
  if (!validatorsMatch(stored, headers)) return false;
  const a = headers.get('content-length');
  const b = storedHeader(stored, 'content-length');
  return a === undefined || b === undefined || a === b;
}

// What a 304 never changes in the stored response: it describes the stored body, which it does not carry.
const KEEP = new Set(['content-length', 'content-encoding', 'content-range', 'content-type']);

/**
 * The stored response after a 304 (or a HEAD's 200) for it (§3.2,
 * §4.3.4): each field of the new response replaces the stored field of the
 * same name, except hop-by-hop fields, the body's own framing fields, and
 * Set-Cookie in a shared cache. Date and Age always go: a stale Date or
 * Age would make the refreshed response look old at once. The request and
 * response times become the validation's.
 */
export function refreshStored(
  stored: StoredResponse,
  headers: Headers,
  requestTime: number,
  responseTime: number,
  shared: boolean,
): StoredResponse {
  const incoming = headersToStore(headers, parseCacheControl(headers.get('cache-control')), shared).filter(
    ([name]) => {
      const n = name.toLowerCase();
      return !KEEP.has(n) && !(shared && n === 'set-cookie');
    },
  );
  const replaced = new Set(incoming.map(([name]) => name.toLowerCase()));
  replaced.add('date');
  replaced.add('age');
  const kept = stored.headers.filter(([name]) => !replaced.has(name.toLowerCase()));
  return { ...stored, headers: [...kept, ...incoming], requestTime, responseTime };
}
