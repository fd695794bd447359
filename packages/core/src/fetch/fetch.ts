import { HTTPError } from '../errors.js';
import type { RequestOptions } from '../request.js';
import type { Response as CoreResponse } from '../response.js';
import { abortException, toFetchError, unexpectedRedirect } from './errors.js';
import { readInput, signalOf } from './input.js';
import { toWebResponse } from './response.js';
import { FetchAbort } from './signal.js';
import type { FetchLifecycle, FetchSession, SessFetch, SessFetchInit } from './types.js';

const noop = (): void => {};

/**
 * A WHATWG fetch through `session`: everything goes through
 * `session.request()` with `stream: true`, so the session's merge rules
 * (headers, params, auth, cookies, baseUrl), mounts, plugins, hooks,
 * redirect rules, timeouts and proxies all apply. Resolves to a global
 * `Response` whose body streams as the bytes arrive.
 *
 * `redirect`: 'follow' (default) follows with the session's rules and sets
 * `redirected`; 'manual' returns the 3xx as it is (as undici's fetch does;
 * a browser would give an opaque-redirect); 'error' rejects a redirect with
 * `TypeError('fetch failed')`, cause `unexpected redirect`.
 *
 * Errors are fetch's (see `toFetchError`): a network failure is
 * `TypeError('fetch failed')` with the sess error as `cause`, an abort a
 * DOMException `AbortError`, the session's total timeout a DOMException
 * `TimeoutError`.
 */
export async function sessionFetch(
  session: FetchSession,
  input: string | URL | Request,
  init?: SessFetchInit,
  lifecycle?: FetchLifecycle,
): Promise<Response> {
  const done = once(lifecycle?.onDone);
  const abort = new FetchAbort();
  let res: CoreResponse | undefined;
  try {
    // Checked first, as fetch does: an aborted call never reads the body it was given.
    const signal = signalOf(input, init);
    if (signal?.aborted) throw abortException(signal.reason);
    const req = await readInput(input, init);
    abort.link(req.signal);
    const options: RequestOptions = {
      stream: true,
      signal: abort.signal,
      allowRedirects: req.redirect === 'follow',
      // fetch resolves with any status: a session that raises for 4xx/5xx does not here.
      throwHttpErrors: false,
      headers: req.headers,
      data: req.data,
      timeout: req.timeout,
      extensions: req.extensions,
    };
    res = await session.request(req.method, req.url, options).catch((err: unknown) => {
      // A hook or plugin that raised for the status (raiseForStatus) still answers fetch with the response.
      if (err instanceof HTTPError && err.response) return err.response;
      throw err;
    });
    if (abort.userAborted) throw abortException(abort.userReason);
    if (req.redirect === 'error' && res.isRedirect) throw unexpectedRedirect();
    return toWebResponse(res, req.method, abort, done);
  } catch (err) {
    abort.release();
    if (res) await res.close().catch(noop);
    done();
    throw toFetchError(err, abort);
  }
}

/**
 * `sessionFetch` bound to `session`: a function with the global `fetch`'s
 * signature that can be passed around (`new OpenAI({ fetch: s.fetch })`,
 * `const { fetch } = s`).
 */
export function createFetch(session: FetchSession): SessFetch {
  return (input, init) => sessionFetch(session, input, init);
}

function once(fn: (() => void) | undefined): () => void {
  if (!fn) return noop;
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}
