import {
  AbortError,
  HTTPError,
  InvalidHeaderError,
  InvalidURLError,
  MissingSchemaError,
  RequestError,
} from '../errors.js';
import type { FetchAbort } from './signal.js';

/**
 * fetch's errors, as undici's fetch raises them, so that SDKs' own retry
 * and abort logic keeps working:
 *
 * - the caller's signal fired: its reason when that is a DOMException
 *   (`AbortSignal.timeout()` gives a TimeoutError), else a DOMException
 *   `AbortError` whose `cause` is the reason. (undici rejects with any
 *   reason as is; an SDK that tests `name === 'AbortError'` would then
 *   retry a request its caller cancelled.)
 * - the session's `timeout.total` ran out: a DOMException `TimeoutError`,
 *   what `AbortSignal.timeout()` gives with undici; `cause` is sess's error.
 * - a bad URL or header: a TypeError with sess's message, `cause` the sess error.
 * - anything else sess raises (connection refused, TLS, read timeout, too
 *   many redirects, retries exhausted): `TypeError('fetch failed')` with
 *   the sess error as `cause`.
 * - anything that is not a sess error (a TypeError from an input check,
 *   an error a `beforeError` hook made up) is passed on as it is.
 */
export function toFetchError(err: unknown, abort: FetchAbort): unknown {
  if (abort.userAborted) return abortException(abort.userReason);
  if (!(err instanceof RequestError)) return err;
  if (err instanceof AbortError) return abortException(err.cause);
  if (err.code === 'ERR_SESS_TIMEOUT') return timeoutException(err);
  if (
    err instanceof InvalidURLError ||
    err instanceof MissingSchemaError ||
    err instanceof InvalidHeaderError
  )
    return new TypeError(err.message, { cause: err });
  return new TypeError('fetch failed', { cause: err });
}

/**
 * The error a response body stream errors with: the caller's abort as
 * above, a timeout as above, any other sess error as undici's
 * `TypeError('terminated')` with the sess error as `cause`.
 */
export function toBodyError(err: unknown, abort: FetchAbort): unknown {
  if (abort.userAborted) return abortException(abort.userReason);
  if (!(err instanceof RequestError) || err instanceof HTTPError) return err;
  if (err instanceof AbortError) return abortException(err.cause);
  if (err.code === 'ERR_SESS_TIMEOUT') return timeoutException(err);
  return new TypeError('terminated', { cause: err });
}

/** The DOMException for an abort with `reason`. */
export function abortException(reason: unknown): DOMException {
  if (reason instanceof DOMException) return reason;
  return new DOMException('This operation was aborted', {
    name: 'AbortError',
    ...(reason === undefined ? {} : { cause: reason }),
  });
}

function timeoutException(cause: RequestError): DOMException {
  return new DOMException('The operation was aborted due to timeout', { name: 'TimeoutError', cause });
}

/** `redirect: 'error'` met a redirect: undici's network error. */
export function unexpectedRedirect(): TypeError {
  return new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
}
