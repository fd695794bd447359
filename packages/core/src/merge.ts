import { Headers, type HeadersInit } from './headers.js';
import type { ParamPair, Params, ParamValue } from './params.js';
import { encodeParams, paramPairs } from './params.js';

/**
 * requests' `merge_setting` for mappings: start from the session's entries,
 * let the request's win, and drop every key whose merged value is `null`
 * (a request's `null` removes the session's key). `undefined` means "not
 * given" and changes nothing.
 */
export function mergeRecords<V>(
  request: Record<string, V | null | undefined> | null | undefined,
  session: Record<string, V | null | undefined> | null | undefined,
): Record<string, V> {
  const out: Record<string, V | null | undefined> = { ...(session ?? {}) };
  if (request) for (const [k, v] of Object.entries(request)) if (v !== undefined) out[k] = v;
  for (const k of Object.keys(out)) if (out[k] === null || out[k] === undefined) delete out[k];
  return out as Record<string, V>;
}

/**
 * Session headers, then the request's on top; a `null` value, in either,
 * means the header is not sent (requests' `merge_setting` drops `None`
 * values of both). The session's may be a plain object too, in case a
 * caller assigned one to `session.headers`.
 */
export function mergeHeaders(
  request: HeadersInit | null | undefined,
  session: Headers | HeadersInit,
): Headers {
  const merged = session instanceof Headers ? session.copy() : new Headers(session);
  if (request) merged.update(request);
  return merged;
}

/**
 * Session params, then the request's. A plain object merges by key (`null`
 * removes); `URLSearchParams` or pairs are appended after the session's,
 * since repeated keys are their point. A query string (or its bytes) is
 * appended as it is after the session's encoded params, and the result is
 * that query string. (requests would drop the session's params here; a
 * session's params are usually an API key or a version, so they are kept.)
 */
export function mergeParams(
  request: Params | null | undefined,
  session: Record<string, ParamValue | null | undefined>,
): ParamPair[] | string {
  if (typeof request === 'string' || request instanceof Uint8Array) {
    return [encodeParams(session), encodeParams(request)].filter(Boolean).join('&');
  }
  if (!request) return isEmpty(session) ? [] : paramPairs(session);
  if (request instanceof URLSearchParams || isIterable(request))
    return [...paramPairs(session), ...paramPairs(request)];
  return paramPairs(
    mergeRecords<ParamValue>(request as Record<string, ParamValue | null | undefined>, session),
  );
}

function isEmpty(record: object): boolean {
  for (const _ in record) return false;
  return true;
}

function isIterable(x: object): boolean {
  return typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}
