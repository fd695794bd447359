import type { RequestOptions } from './request.js';
import type { Response } from './response.js';

/**
 * The verb shortcuts of a Session (requests' `get`, `post`, ...), each a
 * call of `request()`.
 */
export abstract class HttpVerbs {
  /** Builds, prepares and sends a request. */
  abstract request(method: string, url: string | URL, options?: RequestOptions): Promise<Response>;

  /** GET `url`; see `request()` for the options. */
  get(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('GET', url, options);
  }
  /** HEAD does not follow redirects unless `allowRedirects: true` (as in requests). */
  head(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('HEAD', url, { ...options, allowRedirects: options?.allowRedirects ?? false });
  }
  /** OPTIONS `url`; see `request()` for the options. */
  options(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('OPTIONS', url, options);
  }
  /** POST `url`; see `request()` for the options. */
  post(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('POST', url, options);
  }
  /** PUT `url`; see `request()` for the options. */
  put(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('PUT', url, options);
  }
  /** PATCH `url`; see `request()` for the options. */
  patch(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('PATCH', url, options);
  }
  /** DELETE `url`; see `request()` for the options. */
  delete(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('DELETE', url, options);
  }
}
