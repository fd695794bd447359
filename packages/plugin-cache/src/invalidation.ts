import type { PreparedRequest, Response } from '@sess/core';
import { getKey } from './keys.js';

/** Methods that do not change the resource (RFC 9110 §9.2.1). */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * The keys an unsafe request invalidates (RFC 9111 §4.4): on a non-error
 * answer (2xx or 3xx), its target URI, and the URIs in Location and
 * Content-Location when they share its origin (another origin's entries
 * are not this response's to invalidate: that would let one site flush
 * another's).
 */
export function invalidationKeys(request: PreparedRequest, response: Response): string[] {
  if (response.statusCode < 200 || response.statusCode >= 400) return [];
  const keys = [getKey(request.url)];
  let origin: string;
  try {
    origin = new URL(request.url).origin;
  } catch {
    return keys;
  }
  for (const name of ['location', 'content-location']) {
    const value = response.headers.get(name);
    if (!value) continue;
    try {
      const target = new URL(value, request.url);
      if (target.origin === origin) {
        const key = getKey(target.href);
        if (!keys.includes(key)) keys.push(key);
      }
    } catch {
      // Not a URL: nothing to invalidate.
    }
  }
  return keys;
}
