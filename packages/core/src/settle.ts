import type { BodyLimits } from './body-source.js';
import { giveResponseCookies, isPromise, storeResponseCookies } from './cookie-header.js';
import type { SessionCookieJar } from './cookie-jar.js';
import { ContentDecodingError } from './errors.js';
import type { PreparedRequest } from './prepared-request.js';
import type { Response } from './response.js';
import type { SendOptions } from './send-options.js';
import { stopOf } from './stop.js';

/**
 * What the session does with a hop's response after the plugin chain: bound
 * its body (`maxResponseSize`, the request's signal), read it unless
 * streaming, store its cookies in the jar unless a cache answered (they were
 * stored when the response was first received), and give it its own
 * `response.cookies`. On failure the connection is released.
 */
export function settleResponse(
  res: Response,
  req: PreparedRequest,
  options: SendOptions,
  limits: BodyLimits,
  jar: SessionCookieJar,
): Response | Promise<Response> {
  res.limitBody(limits);
  let stored: void | Promise<void>;
  try {
    // A body that came with its headers is taken now: no promise, no wait (most small responses).
    if (!options.stream && !res.isRead && !res.readNow()) return settleLater(res, req, options, jar);
    stored = storeCookies(res, req, options, jar);
  } catch (err) {
    return closeAndThrow(res, err);
  }
  if (isPromise(stored))
    return stored.then(
      () => give(res, jar),
      (err: unknown) => closeAndThrow(res, err),
    );
  return give(res, jar);
}

/** settleResponse when the body has to be waited for. */
async function settleLater(
  res: Response,
  req: PreparedRequest,
  options: SendOptions,
  jar: SessionCookieJar,
): Promise<Response> {
  try {
    await readBody(res);
    const stored = storeCookies(res, req, options, jar);
    if (isPromise(stored)) await stored;
  } catch (err) {
    return closeAndThrow(res, err);
  }
  return give(res, jar);
}

/** Stores the response's cookies in the jar, unless a cache answered (they were stored when first received). */
function storeCookies(
  res: Response,
  req: PreparedRequest,
  options: SendOptions,
  jar: SessionCookieJar,
): void | Promise<void> {
  if (res.fromCache) return;
  return storeResponseCookies(res.headers.getSetCookie(), res.url, req, jar, stopOf(options));
}

function give(res: Response, jar: SessionCookieJar): Response {
  giveResponseCookies(res, jar);
  return res;
}

async function closeAndThrow(res: Response, err: unknown): Promise<never> {
  await res.close();
  throw err;
}

/**
 * The body of a hop. A redirect's body is only drained: like requests, a
 * redirect whose body does not decode (a wrong Content-Encoding) is still
 * followed; its `content` is then unavailable.
 */
async function readBody(res: Response): Promise<void> {
  try {
    await res.read();
  } catch (err) {
    if (!(res.isRedirect && err instanceof ContentDecodingError)) throw err;
  }
}
