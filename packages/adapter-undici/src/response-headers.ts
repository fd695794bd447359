import { Headers } from '@sess/core';

/** A raw header value: a Buffer, or (from undici's WrapHandler, under a composed dispatcher) several. */
type RawValue = Buffer | string | readonly (Buffer | string)[];

/**
 * A response's headers from undici's raw list (`[name, value, ...]` as
 * Buffers), in the order and case the server sent them; repeated ones
 * (Set-Cookie) kept apart. Core keeps them raw until they are needed as
 * strings (see Headers.fromReceived): undici's parser refused CR, LF and NUL
 * already, so they are not checked again.
 */
export function responseHeaders(raw: readonly RawValue[]): Headers {
  for (let i = 1; i < raw.length; i += 2) {
    if (Array.isArray(raw[i])) return Headers.fromReceived(flatten(raw));
  }
  return Headers.fromReceived(raw as readonly (Buffer | string)[]);
}

/**
 * undici's WrapHandler (every interceptor of a composed dispatcher) rebuilds
 * the raw list from parsed headers: a repeated name comes as one name with
 * an array of values. Each value gets its own pair again.
 */
function flatten(raw: readonly RawValue[]): (Buffer | string)[] {
  const out: (Buffer | string)[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as Buffer | string;
    const value = raw[i + 1] as RawValue;
    if (Array.isArray(value)) for (const v of value) out.push(name, v);
    else out.push(name, value as Buffer | string);
  }
  return out;
}
