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

/** Node's Buffer has decoded with `latin1Slice` since its first versions; `toString` adds checks and a dispatch. */
type Latin1Buffer = Buffer & { latin1Slice?(start: number, end: number): string };

function latin1(value: Buffer | string): string {
  if (typeof value === 'string') return value;
  const buf = value as Latin1Buffer;
  // Twelve or more per response: the direct call saves a microsecond or two (toString stays the fallback).
  return buf.latin1Slice ? buf.latin1Slice(0, buf.length) : buf.toString('latin1');
}
