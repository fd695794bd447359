import { type PreparedRequest, ResponseTooLargeError, type SendOptions } from '@sess/core';
import type { StoredResponse } from './stored.js';

/**
 * The request's `maxResponseSize`, when core passes it in SendOptions (it
 * is not part of the contract yet: then `undefined`). Network bodies do not
 * need it here: the session reads them, with its bounds, through the tee.
 */
export function maxResponseSize(options: SendOptions): number | undefined {
  const max = (options as { readonly maxResponseSize?: number | null }).maxResponseSize;
  return typeof max === 'number' ? max : undefined;
}

/**
 * A stored body larger than the request allows fails as the network body
 * would have: a cache hit must not get round `maxResponseSize`.
 */
export function checkStoredSize(
  stored: StoredResponse,
  request: PreparedRequest,
  options: SendOptions,
): void {
  const max = maxResponseSize(options);
  if (max !== undefined && request.method !== 'HEAD' && stored.body.byteLength > max) {
    throw new ResponseTooLargeError(
      `The decoded response body is larger than maxResponseSize (${max} bytes)`,
      { request },
    );
  }
}
