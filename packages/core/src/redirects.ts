import { basicAuthHeader } from './auth/basic.js';
import { InvalidURLError, UnrewindableBodyError } from './errors.js';
import type { PreparedRequest } from './prepared-request.js';
import type { Response } from './response.js';
import { effectivePort, originKey, prepareUrl } from './url.js';

/**
 * Redirect rules (requests' `SessionRedirectMixin`, with its security gaps
 * closed). The session loop calls `buildRedirect` for each 3xx it follows.
 */

/** Where a redirect response points: Location resolved against the response URL, fragment carried over. */
export function redirectTarget(response: Response): string {
  let location = response.headers.get('location') ?? '';
  // Servers send UTF-8 bytes that Node hands over as latin1 characters; undo that when it round-trips.
  if (/[\u0080-\u00ff]/.test(location)) {
    const bytes = Buffer.from(location, 'latin1');
    const utf8 = bytes.toString('utf8');
    if (!utf8.includes('\ufffd')) location = utf8;
  }
  const base = new URL(response.url);
  let next: URL;
  try {
    next = new URL(location, base);
  } catch (cause) {
    throw new InvalidURLError(`Invalid redirect Location ${JSON.stringify(location)}`, { response, cause });
  }
  // Credentials never come from a Location header (requests ignores them too); they must not linger in URLs either.
  next.username = '';
  next.password = '';
  // RFC 9110 §10.2.2: a Location without a fragment inherits the request's.
  if (!next.hash && base.hash) next.hash = base.hash;
  return next.href;
}

/** The method for the next hop: 303 -> GET (but HEAD stays), 301/302 turn POST into GET. */
export function redirectMethod(method: string, status: number): string {
  if (status === 303 && method !== 'HEAD') return 'GET';
  if ((status === 301 || status === 302) && method === 'POST') return 'GET';
  return method;
}

/**
 * `true` when credentials must not follow a hop from `from` to `to`: any
 * change of scheme, host or port, except requests' one exception, an
 * http -> https upgrade of the same host on the default ports.
 */
export function shouldStripAuth(from: string, to: string): boolean {
  const a = new URL(from);
  const b = new URL(to);
  if (a.hostname !== b.hostname) return true;
  if (
    a.protocol === 'http:' &&
    b.protocol === 'https:' &&
    effectivePort(a) === '80' &&
    effectivePort(b) === '443'
  ) {
    return false;
  }
  return a.protocol !== b.protocol || effectivePort(a) !== effectivePort(b);
}

/** What building the next hop needs from the session. */
export interface RedirectContext {
  /** Sets the `Cookie` header of the next hop (see cookie-header.ts). */
  applyCookies(request: PreparedRequest): void | Promise<void>;
  /** netrc credentials for a URL's own `machine` entry (never `default`), when `trustEnv`. */
  netrcAuth(url: string): readonly [string, string] | undefined;
}

/**
 * The request for the next hop of `response`. Body and body headers are
 * dropped unless the status is 307/308; a 307/308 with a one-shot stream
 * body raises UnrewindableBodyError rather than send an empty body.
 * Authorization, Proxy-Authorization and cookies are dropped or re-derived
 * for the new origin.
 */
export async function buildRedirect(
  previous: PreparedRequest,
  response: Response,
  ctx: RedirectContext,
): Promise<PreparedRequest> {
  const next = previous.copy();
  const target = redirectTarget(response);
  // Non-http schemes pass through prepareUrl untouched; getAdapter rejects them before any I/O.
  next.url = /^https?:/i.test(target) ? prepareUrl(target) : target;
  const status = response.statusCode;
  next.method = redirectMethod(previous.method, status);

  if (status !== 307 && status !== 308) {
    next.body = null;
    next.bodyReplayable = true;
    next.headers.delete('content-length');
    next.headers.delete('content-type');
    next.headers.delete('transfer-encoding');
  } else if (previous.body !== null && !previous.bodyReplayable) {
    throw new UnrewindableBodyError(
      `Cannot follow a ${status} redirect: the request body was a one-shot stream and has been sent. ` +
        'Pass bytes, a Blob or a string to let sess replay it, or set allowRedirects: false.',
      { response },
    );
  }

  if (!/^https?:/i.test(next.url)) {
    // Another scheme is another origin: nothing bound to the old one goes along.
    dropCredentials(next);
    return next;
  }

  const from = new URL(previous.url);
  const to = new URL(next.url);
  if (shouldStripAuth(previous.url, next.url)) next.headers.delete('authorization');
  // requests' upgrade exception covers Authorization only: the proxy (and its credentials) may differ per scheme.
  if (originKey(from) !== originKey(to)) next.headers.delete('proxy-authorization');
  // netrc fills in for the new host, unless the caller said `auth: null` or this hop drops to cleartext.
  const downgrade = from.protocol === 'https:' && to.protocol === 'http:';
  if (!next.headers.has('authorization') && next.netrcAllowed && !downgrade) {
    const netrc = ctx.netrcAuth(next.url);
    if (netrc) next.headers.set('Authorization', basicAuthHeader(netrc[0], netrc[1]));
  }
  await ctx.applyCookies(next);
  return next;
}

/** Removes every credential bound to the previous origin. */
function dropCredentials(request: PreparedRequest): void {
  request.headers.delete('authorization');
  request.headers.delete('proxy-authorization');
  request.headers.delete('cookie');
  request.requestCookies = undefined;
  request.userCookie = undefined;
}
