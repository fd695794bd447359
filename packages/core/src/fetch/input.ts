import type { Data } from '../body-types.js';
import { Headers as CoreHeaders } from '../headers.js';
import type { Extensions } from '../send-options.js';
import type { Timeout } from '../timeout.js';
import { toCoreBody } from './body.js';
import { toCoreHeaders } from './headers.js';
import type { FetchCacheMode, SessFetchInit } from './types.js';

/** One fetch call's request, read from `input` and `init` with fetch's precedence (init wins). */
export interface FetchRequest {
  method: string;
  url: string;
  headers: CoreHeaders | undefined;
  data: Data | undefined;
  signal: AbortSignal | undefined;
  redirect: Redirect;
  timeout: Timeout | null | undefined;
  extensions: Extensions | undefined;
}

// fetch upper-cases only these; any other method goes out as written (core upper-cases all of them).
const NORMALISED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const FORBIDDEN = new Set(['CONNECT', 'TRACE', 'TRACK']);
const REDIRECTS = new Set<string>(['follow', 'manual', 'error']);

/** fetch's redirect modes (not a global type in Node's typings). */
export type Redirect = 'follow' | 'manual' | 'error';

/** A WHATWG Request, from this realm or another (undici's package, a polyfill): read by its shape. */
export function isRequestLike(x: unknown): x is Request {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Request).url === 'string' &&
    typeof (x as Request).arrayBuffer === 'function' &&
    typeof (x as Request).method === 'string'
  );
}

/** The signal the call obeys: `init.signal` (even `null`) beats the Request's. */
export function signalOf(input: unknown, init: SessFetchInit | undefined): AbortSignal | undefined {
  if (init && init.signal !== undefined) return init.signal ?? undefined;
  return isRequestLike(input) ? (input.signal ?? undefined) : undefined;
}

/**
 * Reads `input` (a string, a URL, a Request, or anything with a string
 * form) and `init` as fetch does. A Request's body is read into memory, so
 * that a redirect or a retry can send it again; to stream an upload, pass
 * a ReadableStream as `init.body` with `duplex: 'half'`.
 *
 * @throws TypeError for what fetch refuses: a forbidden method, a body on
 *   GET or HEAD, a used Request body, an unknown `redirect` mode, a bad header.
 */
export async function readInput(input: unknown, init: SessFetchInit | undefined): Promise<FetchRequest> {
  const req = isRequestLike(input) ? input : undefined;
  const url = req ? req.url : input instanceof URL ? input.href : String(input);
  const i: SessFetchInit = init ?? {};
  const method = normaliseMethod(i.method ?? req?.method ?? 'GET');
  const headers = toCoreHeaders(i.headers !== undefined ? i.headers : req?.headers);
  const redirect = i.redirect ?? req?.redirect ?? 'follow';
  if (!REDIRECTS.has(redirect))
    throw new TypeError(`redirect must be 'follow', 'manual' or 'error'; got ${String(redirect)}`);

  let body: unknown = i.body;
  if (body === undefined && req?.body) {
    if (req.bodyUsed) throw new TypeError('The Request body has already been read');
    body = new Uint8Array(await req.arrayBuffer());
  }
  if (body !== undefined && body !== null && (method === 'GET' || method === 'HEAD'))
    throw new TypeError('Request with GET/HEAD method cannot have body.');
  // A Request's own body is bytes by now, and its Content-Type is in its headers already.
  const plan = toCoreBody(body, i.duplex);
  let merged = headers;
  if (plan.contentType !== undefined && !merged?.has('content-type'))
    merged = (merged ?? new CoreHeaders()).set('Content-Type', plan.contentType);

  return {
    method,
    url,
    headers: merged,
    data: plan.data,
    signal: signalOf(input, init),
    redirect,
    timeout: i.timeout,
    extensions: withCache(i.extensions, i.cache ?? req?.cache),
  };
}

function normaliseMethod(method: string): string {
  const upper = String(method).toUpperCase();
  if (FORBIDDEN.has(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`);
  return NORMALISED.has(upper) ? upper : String(method);
}

/**
 * fetch's `cache` mode becomes `extensions.cache`, which @sess/plugin-cache
 * reads (fetch's modes); 'default' is what it does anyway, so it is left
 * out. An `extensions.cache` the caller set wins.
 */
function withCache(
  extensions: Extensions | undefined,
  cache: FetchCacheMode | undefined,
): Extensions | undefined {
  if (cache === undefined || cache === 'default') return extensions;
  return { cache, ...extensions };
}
