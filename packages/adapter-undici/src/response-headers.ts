import { Headers } from '@sess/core';

/**
 * A response's headers from undici's raw list (`[name, value, ...]` as
 * Buffers), in the order and case the server sent them; repeated ones
 * (Set-Cookie) kept apart. Core keeps them raw until they are needed as
 * strings (see Headers.fromReceived): undici's parser refused CR, LF and NUL
 * already, so they are not checked again.
 */
export function responseHeaders(raw: readonly (Buffer | string)[]): Headers {
  return Headers.fromReceived(raw);
}
