import { Headers } from '@sess/core';
import type { Dispatcher } from 'undici';

type Controller = Dispatcher.DispatchController;
/** The header object undici parses, beside its raw list. */
export type RawHeaders = Record<string, string | string[] | undefined>;

function latin1(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

/** Headers in the order and case the server sent them; repeated ones (Set-Cookie) appended. */
export function responseHeaders(raw: Controller['rawHeaders'], parsed: RawHeaders): Headers {
  const headers = new Headers();
  if (Array.isArray(raw)) {
    // undici's parser refuses CR, LF and NUL already: no second validation.
    for (let i = 0; i + 1 < raw.length; i += 2) {
      headers.appendReceived(latin1(raw[i] as Buffer | string), latin1(raw[i + 1] as Buffer | string));
    }
    return headers;
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}
