import type { BodyLimits } from './body-source.js';
import { giveResponseCookies, isPromise, storeResponseCookies } from './cookie-header.js';
import type { SessionCookieJar } from './cookie-jar.js';
import type { PreparedRequest } from './prepared-request.js';
import type { Response } from './response.js';
import type { SendOptions } from './send-options.js';

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
    if (!options.stream && !res.isRead) await res.read();
    if (!res.fromCache) {
      const stored = storeResponseCookies(res.headers.getSetCookie(), res.url, req, jar, options.signal);
      if (isPromise(stored)) await stored;
    }
  } catch (err) {
    await res.close();
    throw err;
  }
  giveResponseCookies(res, jar);
  return res;
}
