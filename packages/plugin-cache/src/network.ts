import type { PreparedRequest, Response, SendFn, SendOptions } from '@sess/core';
import type { CacheContext } from './context.js';
import { timeToKeep } from './decide.js';
import type { Directives } from './directives.js';
import { readFacts } from './facts.js';
import { keyUrl } from './keys.js';
import { checkStoredSize } from './limits.js';
import { responseFromStore, revalidatedResponse } from './respond.js';
import { markStatus } from './status.js';
import { canStore, headersToStore } from './storable.js';
import type { CacheEntry, StoredResponse } from './stored.js';
import { teeResponse } from './tee.js';
import { conditionalRequest, headDescribes, refreshStored, validatorsMatch } from './validation.js';
import { captureVary } from './vary.js';

const EMPTY = new Uint8Array(0);
/** The statuses stale-if-error covers (RFC 5861 §4): the server failed, not the request. */
const SERVER_ERRORS: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** One request through the cache: what the network paths below share. */
export interface Exchange {
  readonly ctx: CacheContext;
  readonly key: string;
  /** The entry read for this request (other variants are kept when storing). */
  readonly previous: CacheEntry | undefined;
  /** The request as the caller made it (Vary and Authorization are judged on it). */
  readonly request: PreparedRequest;
  readonly requestCC: Directives;
  readonly options: SendOptions;
  readonly next: SendFn;
  /** `performance.now()` when the cache got the request (a cached answer's `elapsed`). */
  readonly started: number;
}

/** No stored response to use: ask the server (`sent`: the request with the mode's headers) and store the answer. */
export async function fetchAndStore(x: Exchange, sent: PreparedRequest): Promise<Response> {
  const requestTime = x.ctx.now();
  const res = await x.next(sent, x.options);
  return offer(x, res, requestTime, x.ctx.now(), 'caller', false);
}

/**
 * Validates `stored` with the server (RFC 9111 §4.3). A 304 refreshes the
 * stored headers and answers with the stored body; a full response
 * replaces the entry. With `staleIfError`, a 500/502/503/504 or a network
 * error gives the stale entry instead (never when the caller's signal
 * fired: that error is the caller's).
 */
export async function revalidate(
  x: Exchange,
  stored: StoredResponse,
  sent: PreparedRequest,
  staleIfError: boolean,
): Promise<Response> {
  const cond = conditionalRequest(sent, stored);
  const requestTime = x.ctx.now();
  let res: Response;
  try {
    res = await x.next(cond, x.options);
  } catch (err) {
    if (staleIfError && !x.options.signal?.aborted) {
      checkStoredSize(stored, x.request, x.options);
      return responseFromStore(stored, x.request, x.ctx.now(), x.started, 'stale');
    }
    throw err;
  }
  const responseTime = x.ctx.now();
  if (res.statusCode === 304 && cond !== sent) {
    if (validatorsMatch(stored, res.headers)) {
      const updated = refreshStored(stored, res.headers, requestTime, responseTime, x.ctx.options.shared);
      await x.ctx.commit(x.key, x.previous, updated);
      checkStoredSize(updated, x.request, x.options);
      return revalidatedResponse(updated, res, x.ctx.now());
    }
    // A 304 about another representation than ours: it cannot refresh it. Ask again, plainly.
    await res.close();
    return fetchAndStore(x, sent);
  }
  if (staleIfError && SERVER_ERRORS.has(res.statusCode)) {
    await res.close();
    checkStoredSize(stored, x.request, x.options);
    return responseFromStore(stored, x.request, x.ctx.now(), x.started, 'stale');
  }
  return offer(x, res, requestTime, responseTime, 'caller', true);
}

/**
 * stale-while-revalidate's validation, in the background: through the
 * rest of the chain (retry, logging see it), without the caller's signal
 * or deadline (the caller has its answer already), reading the body here.
 * Cookies the server sets on it do not reach the session's jar: no
 * session sees this response.
 */
export async function revalidateInBackground(x: Exchange, stored: StoredResponse): Promise<void> {
  const options: SendOptions = { ...x.options, stream: false, signal: undefined, deadline: undefined };
  const bg: Exchange = { ...x, options };
  const cond = conditionalRequest(x.request, stored);
  const requestTime = x.ctx.now();
  const res = await x.next(cond, options);
  const responseTime = x.ctx.now();
  if (res.statusCode === 304 && cond !== x.request && validatorsMatch(stored, res.headers)) {
    const updated = refreshStored(stored, res.headers, requestTime, responseTime, x.ctx.options.shared);
    await x.ctx.commit(x.key, x.previous, updated);
    return;
  }
  if (res.statusCode === 304 || SERVER_ERRORS.has(res.statusCode)) {
    // Keep serving what we have; its stale-while-revalidate window still bounds it.
    await res.close();
    return;
  }
  try {
    const out = await offer(bg, res, requestTime, responseTime, 'here', true);
    if (!out.isRead) await out.close();
  } catch (err) {
    await res.close();
    throw err;
  }
}

/**
 * A HEAD the cache could not answer goes to the server; its 200 refreshes
 * the stored GET when it describes the same representation, or removes it
 * when it shows it changed (RFC 9111 §4.3.5).
 */
export async function headThrough(
  x: Exchange,
  sent: PreparedRequest,
  stored: StoredResponse | undefined,
): Promise<Response> {
  const requestTime = x.ctx.now();
  const res = await x.next(sent, x.options);
  if (stored && res.statusCode === 200) {
    if (headDescribes(stored, res.headers)) {
      const updated = refreshStored(stored, res.headers, requestTime, x.ctx.now(), x.ctx.options.shared);
      await x.ctx.commit(x.key, x.previous, updated);
    } else await x.ctx.remove([x.key]);
  }
  return markStatus(res, 'miss');
}

/**
 * Offers a response from the server to the store: stored when RFC 9111
 * allows it and it is worth keeping. `reader: 'caller'`: the session (or,
 * with `stream: true`, the caller) reads the body, with its own bounds
 * (`maxResponseSize`, signal), and the body is collected as it goes by;
 * `'here'`: read now (a background validation, which nobody else reads).
 * `supersedes`: the response replaces the
 * stored one it validated, which goes when this one cannot be stored;
 * except after a server error (5xx), which says nothing of the resource
 * and leaves the entry for stale-if-error to rescue later requests.
 */
async function offer(
  x: Exchange,
  res: Response,
  requestTime: number,
  responseTime: number,
  reader: 'caller' | 'here',
  supersedes: boolean,
): Promise<Response> {
  const { ctx, request } = x;
  const shared = ctx.options.shared;
  const f = readFacts((name) => res.headers.get(name));
  const storable = canStore(request, res.statusCode, x.requestCC, f, res.headers, shared);
  const base: StoredResponse | undefined = storable
    ? {
        url: keyUrl(request.url),
        statusCode: res.statusCode,
        reason: res.reason,
        httpVersion: res.httpVersion,
        headers: headersToStore(res.headers, f.cc, shared),
        body: EMPTY,
        requestTime,
        responseTime,
        vary: captureVary(f.vary === '*' ? [] : f.vary, request.headers),
      }
    : undefined;
  if (!base || timeToKeep(base, responseTime, ctx.policy, ctx.options.staleTtl) <= 0) {
    if (supersedes && res.statusCode < 500) await ctx.remove([x.key]);
    return markStatus(res, 'miss');
  }
  const commit = (body: Uint8Array) => ctx.commit(x.key, x.previous, { ...base, body });
  if (res.statusCode === 204) {
    await commit(EMPTY);
    return markStatus(res, 'miss');
  }
  if (reader === 'caller') return markStatus(teeResponse(res, ctx.options.maxEntrySize, commit), 'miss');
  // Nobody else reads this one (a background validation): bounded by what would be stored anyway.
  res.limitBody({ maxSize: ctx.options.maxEntrySize });
  await commit(await res.read());
  return markStatus(res, 'miss');
}
