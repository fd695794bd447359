import type { RequestOptions, Response } from '@sess/core';
import { Session } from './session.js';

/**
 * Sends one request with a temporary Session, then closes it (requests'
 * functional API). Nothing is remembered between calls: cookies a response
 * sets are gone with the session. With `stream: true` the session closes
 * once the body has been read or the response closed.
 */
export async function request(
  method: string,
  url: string | URL,
  options?: RequestOptions,
): Promise<Response> {
  const s = new Session();
  let res: Response;
  try {
    res = await s.request(method, url, options);
  } catch (err) {
    await s.close();
    throw err;
  }
  if (res.isRead) await s.close();
  // The adapter closes gracefully: its pools shut once the streamed body is consumed or released.
  else void s.close().catch(() => {});
  return res;
}

/** GET with a temporary session. */
export function get(url: string | URL, options?: RequestOptions): Promise<Response> {
  return request('GET', url, options);
}
/** HEAD with a temporary session; redirects are not followed unless `allowRedirects: true`. */
export function head(url: string | URL, options?: RequestOptions): Promise<Response> {
  return request('HEAD', url, { ...options, allowRedirects: options?.allowRedirects ?? false });
}
/** OPTIONS with a temporary session. */
export function options(url: string | URL, opts?: RequestOptions): Promise<Response> {
  return request('OPTIONS', url, opts);
}
/** POST with a temporary session. */
export function post(url: string | URL, options?: RequestOptions): Promise<Response> {
  return request('POST', url, options);
}
/** PUT with a temporary session. */
export function put(url: string | URL, options?: RequestOptions): Promise<Response> {
  return request('PUT', url, options);
}
/** PATCH with a temporary session. */
export function patch(url: string | URL, options?: RequestOptions): Promise<Response> {
  return request('PATCH', url, options);
}
/** DELETE with a temporary session (exported as `delete`). */
export function del(url: string | URL, options?: RequestOptions): Promise<Response> {
  return request('DELETE', url, options);
}
