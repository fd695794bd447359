import { asRequestError } from './clock.js';
import type { SessionCookieJar } from './cookie-jar.js';
import type { PreparedRequest } from './prepared-request.js';
import type { RequestCookies } from './request-cookies.js';
import type { Response } from './response.js';
import { type RequestStop, raceStop, toStop } from './stop.js';
import { originKey } from './url.js';

/**
 * The Cookie header of a request, in one place: for the first hop, for every
 * redirect hop and for a hook's re-send, by the same rules, and every wait
 * on a jar with an async store bounded by the request's signal (which also
 * fires at its deadline).
 */

/** `true` for a thenable: what a jar on an async store returns. */
export const isPromise = <T>(x: T | Promise<T>): x is Promise<T> =>
  typeof (x as Promise<T> | null)?.then === 'function';

/**
 * A jar call as part of a request. A synchronous jar's answer passes straight
 * through (nothing is awaited on the hot path). A jar on an async store
 * (Redis) is awaited within the request's signal, so a store that hangs
 * cannot outlive the deadline, and a store that fails gives a RequestError
 * naming the request.
 */
export function jarWait<T>(
  value: T | Promise<T>,
  request: PreparedRequest,
  stop: RequestStop | AbortSignal | undefined,
): T | Promise<T> {
  if (!isPromise(value)) return value;
  return raceStop(value, toStop(stop), request).catch((err: unknown) => {
    throw asRequestError(err, 'Cookie store failed', request);
  });
}

function sameOrigin(bound: RequestCookies, url: string, here: () => string): boolean {
  return bound.url === url || originKey(new URL(bound.url)) === here();
}

/**
 * Sets the `Cookie` header for `request.url`. A hand-set Cookie header wins
 * while the URL keeps its origin (as in requests); otherwise per-request
 * cookies (same origin only) come first, then the jar's, by RFC 6265.
 */
export function applyCookieHeader(
  request: PreparedRequest,
  jar: SessionCookieJar,
  stop: RequestStop | AbortSignal | undefined,
): void | Promise<void> {
  const url = request.url;
  let origin: string | undefined;
  const here = () => {
    origin ??= originKey(new URL(url));
    return origin;
  };
  const user = request.userCookie;
  if (user && sameOrigin(user, url, here)) {
    request.headers.set('Cookie', user.header);
    return;
  }
  request.headers.delete('cookie');
  const own = request.requestCookies;
  const mine = own && sameOrigin(own, url, here) ? own.header : '';
  const isHttp = url.startsWith('http:') || url.startsWith('https:');
  const fromJar = isHttp ? jarWait(jar.getCookieHeader(url), request, stop) : '';
  if (isPromise(fromJar)) return fromJar.then((j) => setJoined(request, mine, j));
  setJoined(request, mine, fromJar);
}

function setJoined(request: PreparedRequest, mine: string, fromJar: string): void {
  const value = mine && fromJar ? `${mine}; ${fromJar}` : mine || fromJar;
  if (value) request.headers.set('Cookie', value);
}

/**
 * Stores the Set-Cookie values of a response in the jar (bounded like every
 * other jar wait) and gives the response its own `cookies` view.
 */
export function storeResponseCookies(
  setCookies: readonly string[],
  url: string,
  request: PreparedRequest,
  jar: SessionCookieJar,
  stop: RequestStop | AbortSignal | undefined,
): void | Promise<void> {
  if (setCookies.length === 0) return;
  return jarWait(jar.setCookiesFromResponse(setCookies, url), request, stop);
}

/** Gives a response its `cookies`: a jar of the session's kind holding what this response set. */
export function giveResponseCookies(response: Response, jar: SessionCookieJar): void {
  response.setCookieFactory(() => {
    const own = jar.createEmpty();
    const setCookies = response.headers.getSetCookie();
    if (setCookies.length > 0) void own.setCookiesFromResponse(setCookies, response.url);
    return own;
  });
}
