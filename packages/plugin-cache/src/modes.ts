import type { PreparedRequest } from '@sess/core';
import { isConditional } from './validation.js';

/**
 * Per-request cache mode (`extensions: { cache: mode }`), fetch's
 * `RequestInit.cache` with fetch's semantics:
 *
 * - `'default'`: RFC 9111: fresh entries answer, stale ones are validated.
 *   A request the caller made conditional (If-None-Match, …) is sent as is
 *   (`'no-store'`), so the caller gets the server's 304.
 * - `'no-store'`: as if there were no cache: nothing read, nothing stored.
 * - `'reload'`: goes to the server without looking, and stores the answer.
 * - `'no-cache'`: a stored entry is always validated with the server first.
 * - `'force-cache'`: any stored entry answers, however stale; else the
 *   server, and the answer is stored.
 * - `'only-if-cached'`: any stored entry answers, however stale; else a
 *   504 Gateway Timeout made by the cache (fetch gives a network error;
 *   a response is what a `Cache-Control: only-if-cached` request gets too).
 */
export type CacheMode = 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';

const MODES: ReadonlySet<string> = new Set([
  'default',
  'no-store',
  'reload',
  'no-cache',
  'force-cache',
  'only-if-cached',
]);

declare module '@sess/core' {
  interface Extensions {
    /** @sess/plugin-cache: fetch's cache mode for this request (default `'default'`). */
    cache?: CacheMode | undefined;
  }
}

/**
 * The request's mode, validated. A request the caller made conditional is
 * passed through untouched in `'default'` mode (fetch makes it `'no-store'`).
 */
export function modeOf(request: PreparedRequest, value: unknown): CacheMode {
  if (value !== undefined && (typeof value !== 'string' || !MODES.has(value))) {
    throw new TypeError(
      `extensions.cache must be one of ${[...MODES].map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  const mode = (value ?? 'default') as CacheMode;
  return mode === 'default' && isConditional(request.headers) ? 'no-store' : mode;
}

/**
 * The request as fetch sends it in this mode: `'no-store'` and `'reload'`
 * add `Pragma: no-cache` and `Cache-Control: no-cache` (so caches on the
 * way do not answer either), `'no-cache'` adds `Cache-Control: max-age=0`;
 * never over a value the caller set. A copy when anything is added. Only
 * for a mode the caller asked for: a plain conditional request is not touched.
 */
export function withModeHeaders(request: PreparedRequest, mode: CacheMode): PreparedRequest {
  if (mode === 'no-store' || mode === 'reload') {
    const h = request.headers;
    if (h.has('pragma') && h.has('cache-control')) return request;
    const c = request.copy();
    if (!h.has('pragma')) c.headers.set('Pragma', 'no-cache');
    if (!h.has('cache-control')) c.headers.set('Cache-Control', 'no-cache');
    return c;
  }
  if (mode === 'no-cache' && !request.headers.has('cache-control')) {
    const c = request.copy();
    c.headers.set('Cache-Control', 'max-age=0');
    return c;
  }
  return request;
}
