import type { IncomingHttpHeaders } from 'node:http2';
import { Headers } from '@sess/core';

/** Per-field overhead HTTP/2 adds to a header list's size (RFC 9113 §6.5.2). */
const FIELD_OVERHEAD = 32;

/**
 * The size of a received header list as SETTINGS_MAX_HEADER_LIST_SIZE
 * counts it: name + value + 32 octets per field. `raw` is Node's flat
 * `[name, value, ...]` list when it passes one (every field, duplicates
 * included); otherwise the parsed object is counted.
 */
export function headerListSize(headers: IncomingHttpHeaders, raw: unknown): number {
  let size = 0;
  if (Array.isArray(raw)) {
    for (const part of raw) size += String(part).length;
    return size + (raw.length / 2) * FIELD_OVERHEAD;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      size += name.length + String(v).length + FIELD_OVERHEAD;
    }
  }
  return size;
}

/**
 * The fields of a HEADERS block as core Headers, pseudo-headers left out.
 * From Node's raw `[name, value, ...]` list when it passes one: every field
 * in order, repeated ones kept apart (the parsed object joins them with
 * `, `, which is wrong for fields such as `x-dup: a,b`).
 */
export function toHeaders(
  headers: IncomingHttpHeaders,
  raw?: unknown,
  into: Headers = new Headers(),
): Headers {
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = String(raw[i]);
      // nghttp2 refused fields with CR, LF or NUL already (RFC 9113 §8.2.1): not checked again.
      if (name.charCodeAt(0) !== 58 /* ':' */) into.appendReceived(name, String(raw[i + 1]));
    }
    return into;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.charCodeAt(0) === 58) continue;
    if (Array.isArray(value)) for (const v of value) into.append(name, v);
    else into.append(name, String(value));
  }
  return into;
}
