import type { Headers, HeadersInit } from './headers.js';
import type { Params, ParamValue } from './params.js';
import { paramPairs } from './params.js';

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

/** Session headers, then the request's on top; a request's `null` removes the header. */
export function mergeHeaders(request: HeadersInit | null | undefined, session: Headers): Headers {
  const merged = session.copy();
  if (request) merged.update(request);
  return merged;
}

/**
 * Session params, then the request's. A plain object merges by key (`null`
 * removes); `URLSearchParams` or pairs are appended after the session's,
 * since repeated keys are their point.
 */
export function mergeParams(
  request: Params | null | undefined,
  session: Record<string, ParamValue | null | undefined>,
): Array<[string, string]> {
  if (!request) return paramPairs(session);
  if (request instanceof URLSearchParams || isIterable(request))
    return [...paramPairs(session), ...paramPairs(request)];
  return paramPairs(
    mergeRecords<ParamValue>(request as Record<string, ParamValue | null | undefined>, session),
  );
}

function isIterable(x: object): boolean {
  return typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}
