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
export async function settleResponse(
  res: Response,
  req: PreparedRequest,
  options: SendOptions,
  limits: BodyLimits,
  jar: SessionCookieJar,
): Promise<Response> {
  res.limitBody(limits);
  try {
    if (!options.stream && !res.isRead) await readBody(res);
    if (!res.fromCache) {
      const stored = storeResponseCookies(res.headers.getSetCookie(), res.url, req, jar, stopOf(options));
      if (isPromise(stored)) await stored;
    }
  } catch (err) {
    await res.close();
    throw err;
  }
  giveResponseCookies(res, jar);
  return res;
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
