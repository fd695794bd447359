import { Headers } from '@sess/core';

/**
 * Headers in the order and case the server sent them, from undici's raw
 * list (`[name, value, name, value, ...]` as Buffers); repeated ones
 * (Set-Cookie) appended. undici's parser refuses CR, LF and NUL already: no
 * second validation.
 */
export function responseHeaders(raw: readonly (Buffer | string)[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers.appendReceived(latin1(raw[i] as Buffer | string), latin1(raw[i + 1] as Buffer | string));
  }
  return headers;
}

function latin1(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}
