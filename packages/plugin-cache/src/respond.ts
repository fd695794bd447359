import { Headers, type PreparedRequest, Response } from '@sess/core';
import { factsOf } from './facts.js';
import { currentAge } from './freshness.js';
import { type CacheStatus, markStatus } from './status.js';
import type { StoredResponse } from './stored.js';

const EMPTY = new Uint8Array(0);
// Stores hand out the same object on every hit (memory store): build its Headers once, copy per hit.
const templates = new WeakMap<StoredResponse, Headers>();

function headersOf(stored: StoredResponse): Headers {
  let t = templates.get(stored);
  if (!t) {
    t = new Headers();
    for (const [name, value] of stored.headers) t.append(name, value);
    templates.set(stored, t);
  }
  return t.copy();
}

function ageSeconds(stored: StoredResponse, now: number): string {
  return String(Math.min(2 ** 31, Math.floor(currentAge(stored, factsOf(stored), now) / 1000)));
}

/**
 * A response made from the store (a hit, or a stale entry the rules
 * allowed): a core Response, `fromCache: true` (so the session does not
 * store its cookies again; `response.cookies` still shows them), its `Age`
 * the current age, its body the stored content (none for a HEAD).
 */
export function responseFromStore(
  stored: StoredResponse,
  request: PreparedRequest,
  now: number,
  started: number,
  status: CacheStatus,
): Response {
  const headers = headersOf(stored);
  headers.set('Age', ageSeconds(stored, now));
  const res = new Response({
    statusCode: stored.statusCode,
    reason: stored.reason,
    headers,
    url: request.url,
    request,
    httpVersion: stored.httpVersion,
    body: request.method === 'HEAD' ? EMPTY : stored.body,
    elapsed: performance.now() - started,
    fromCache: true,
  });
  return markStatus(res, status);
}

/**
 * The answer after a 304: the refreshed stored response, but with the
 * 304's Set-Cookie only, and `fromCache: false`: the server answered this
 * exchange, so the session stores the cookies it set now and no stored
 * cookie a second time.
 */
export function revalidatedResponse(stored: StoredResponse, notModified: Response, now: number): Response {
  const headers = headersOf(stored);
  headers.delete('set-cookie');
  for (const cookie of notModified.headers.getSetCookie()) headers.append('Set-Cookie', cookie);
  headers.set('Age', ageSeconds(stored, now));
  const res = new Response({
    statusCode: stored.statusCode,
    reason: stored.reason,
    headers,
    url: notModified.url,
    request: notModified.request,
    httpVersion: notModified.httpVersion,
    body: notModified.request.method === 'HEAD' ? EMPTY : stored.body,
    elapsed: notModified.elapsed,
    timings: notModified.timings,
  });
  carryExtras(notModified, res);
  return markStatus(res, 'revalidated');
}

/** The 504 a cache answers `only-if-cached` with when it holds nothing usable (RFC 9111 §5.2.1.7). */
export function gatewayTimeout(request: PreparedRequest, started: number): Response {
  const res = new Response({
    statusCode: 504,
    reason: 'Gateway Timeout',
    headers: { 'Content-Length': '0' },
    url: request.url,
    request,
    body: EMPTY,
    elapsed: performance.now() - started,
    fromCache: true,
  });
  return markStatus(res, 'miss');
}

/**
 * Copies what plugins inside this one put on a response as own properties
 * (retry's `retries`) onto the response that replaces it.
 */
export function carryExtras(from: Response, to: Response): void {
  const src = from as unknown as Record<string, unknown>;
  const dst = to as unknown as Record<string, unknown>;
  for (const key of Object.keys(src)) if (!Object.hasOwn(dst, key)) dst[key] = src[key];
}
