import type { Headers, PreparedRequest } from '@sess/core';
import { type Directives, fieldNames } from './directives.js';
import type { Facts } from './facts.js';
import { HEURISTIC_STATUSES, hasExplicitFreshness } from './freshness.js';

/** Status codes whose caching rules this cache implements (for `must-understand`, RFC 9111 §5.2.2.3). */
const UNDERSTOOD: ReadonlySet<number> = new Set([
  200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501,
]);

/** Fields that describe one connection, never stored (RFC 9111 §3.1). */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'proxy-authenticate',
  'proxy-authentication-info',
]);

/**
 * May this response be stored (RFC 9111 §3)? A final status the cache
 * handles (not 206: this cache does not combine ranges, §3.3; not 304),
 * no `no-store` on either side (unless `must-understand` on a status we
 * understand), and something that makes it reusable: explicit freshness,
 * `public`, `private` (a private cache), or a heuristically cacheable
 * status. A shared cache also refuses `private`, a request with
 * Authorization unless the response allows it (§3.5), and Set-Cookie.
 * `Vary: *` never matches a later request, so it is not stored at all.
 */
export function canStore(
  request: PreparedRequest,
  status: number,
  requestCC: Directives,
  f: Facts,
  headers: Headers,
  shared: boolean,
): boolean {
  if (request.method === 'HEAD') return false;
  if (status < 200 || status === 206 || status === 304) return false;
  const cc = f.cc;
  const mustUnderstand = cc.has('must-understand');
  if (mustUnderstand && !UNDERSTOOD.has(status)) return false;
  if (cc.has('no-store') && !mustUnderstand) return false;
  if (requestCC.has('no-store')) return false;
  if (f.vary === '*') return false;
  if (shared) {
    if (cc.has('private') && fieldNames(cc, 'private') === undefined) return false;
    if (
      request.headers.has('authorization') &&
      !(cc.has('must-revalidate') || cc.has('public') || cc.has('s-maxage'))
    )
      return false;
    // Another user of the shared cache must never receive this user's cookies.
    if (headers.has('set-cookie')) return false;
  }
  return (
    hasExplicitFreshness(f, shared) ||
    cc.has('public') ||
    (!shared && cc.has('private')) ||
    HEURISTIC_STATUSES.has(status)
  );
}

/**
 * The header fields to store: hop-by-hop ones (and those Connection names)
 * left out, and the fields a qualified `no-cache="…"` (any cache) or
 * `private="…"` (shared cache) names, which may not be reused unvalidated.
 */
export function headersToStore(headers: Headers, cc: Directives, shared: boolean): Array<[string, string]> {
  const drop = new Set(HOP_BY_HOP);
  for (const name of (headers.get('connection') ?? '').split(',')) {
    const n = name.trim().toLowerCase();
    if (n) drop.add(n);
  }
  for (const n of fieldNames(cc, 'no-cache') ?? []) drop.add(n);
  if (shared) for (const n of fieldNames(cc, 'private') ?? []) drop.add(n);
  const out: Array<[string, string]> = [];
  for (const [name, value] of headers.rawEntries()) {
    if (!drop.has(name.toLowerCase())) out.push([name, value]);
  }
  return out;
}
