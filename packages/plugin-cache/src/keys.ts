import { createHash } from 'node:crypto';
import type { PreparedRequest } from '@sess/core';

/** The URL as a cache key part: the fragment never reaches the server, so it does not count. */
export function keyUrl(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/**
 * The store key of a request: `GET <url>` for GET and HEAD (a HEAD is
 * answered from the stored GET), `<METHOD> <url> <sha256 of the body>` for
 * another method you listed in `methods` (a POST used as a query), and
 * `undefined` when the body is a one-shot stream that cannot be hashed.
 * Variants (Vary) live inside the entry, not in the key.
 */
export function cacheKey(request: PreparedRequest): string | undefined {
  const method = request.method;
  const url = keyUrl(request.url);
  if (method === 'GET' || method === 'HEAD') return `GET ${url}`;
  const body = request.body;
  if (body === null) return `${method} ${url} -`;
  if (!(body instanceof Uint8Array)) return undefined;
  return `${method} ${url} ${createHash('sha256').update(body).digest('base64url')}`;
}

/** The key a GET of `url` is stored under (what invalidation deletes). */
export function getKey(url: string): string {
  return `GET ${keyUrl(url)}`;
}
