import type { BodyLimits } from './body-source.js';
import { TooManyRedirectsError } from './errors.js';
import type { PreparedRequest } from './prepared-request.js';
import { buildRedirect, type RedirectContext } from './redirects.js';
import type { Response } from './response.js';
import type { Proxies, SendOptions } from './send-options.js';
import { stopOf, throwIfStopped } from './stop.js';

/** What the hops of one request share (see Session.#firstHop). */
export interface HopState {
  /** The current hop's options: a new object for each redirect that changes the proxies. */
  options: SendOptions;
  readonly limits: BodyLimits;
  readonly allowRedirects: boolean;
  readonly maxRedirects: number;
  /** The redirect responses so far. */
  readonly history: Response[];
}

/**
 * From a redirect response to the next hop's request, by requests' redirect
 * rules (redirects.ts): the limit checked, the response closed and put in
 * the history, the beforeRedirect hooks run, and the proxies chosen again
 * for the new URL (NO_PROXY may say otherwise for the new host).
 */
export async function redirectStep(
  req: PreparedRequest,
  res: Response,
  hops: HopState,
  context: RedirectContext,
  proxiesFor: (url: string) => Proxies,
): Promise<PreparedRequest> {
  const history = hops.history;
  let next: PreparedRequest;
  try {
    if (history.length >= hops.maxRedirects) {
      res.history = history.concat(res.history);
      throw new TooManyRedirectsError(`Exceeded ${hops.maxRedirects} redirects.`, { response: res });
    }
    next = await buildRedirect(req, res, context);
  } catch (err) {
    // Nobody can reach this response any more: give its connection back (a no-op once read).
    await res.close();
    throw err;
  }
  await res.close();
  res.history = history.concat(res.history);
  history.push(...res.history.slice(history.length), res);
  for (const hook of next.hooks.beforeRedirect) await hook(next, res);
  throwIfStopped(stopOf(hops.options), next);
  // A fresh object per hop: plugins and adapters may keep the one they were given.
  // `signal` named: a spread does not copy the getter of the first hop's options (see DeadlineHopOptions).
  if (/^https?:/.test(next.url))
    hops.options = { ...hops.options, signal: hops.options.signal, proxies: proxiesFor(next.url) };
  return next;
}
