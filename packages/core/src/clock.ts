import { AbortError, RequestError, TimeoutError } from './errors.js';
import type { PreparedRequest } from './prepared-request.js';
import type { Request } from './request.js';
import type { TimeoutConfig } from './timeout.js';

/**
 * The one clock of a request, started by the session at `request()` entry:
 * the normalised timeout, the absolute deadline of `timeout.total`, and one
 * signal that fires on the caller's abort or at the deadline. Adapters and
 * plugins get `deadline` and `signal` through SendOptions and never compute
 * them again.
 */
export interface Clock {
  readonly timeout: TimeoutConfig;
  /** `performance.now()` value of the deadline, or `undefined`. */
  readonly deadline: number | undefined;
  readonly signal: AbortSignal | undefined;
  /** Stops the deadline timer: the request is done (or handed over, with `stream: true`). */
  stopDeadline(): void;
  /** Releases everything, the link to the caller's signal included. Safe to call twice. */
  release(): void;
}

const noop = (): void => {};

/**
 * Starts a request's clock. Costs nothing when there is neither a `total`
 * nor a caller's signal; with only a signal, that signal is used as is.
 */
export function startClock(timeout: TimeoutConfig, signal: AbortSignal | undefined): Clock {
  const total = timeout.total;
  if (total === undefined) {
    return { timeout, deadline: undefined, signal, stopDeadline: noop, release: noop };
  }
  const controller = new AbortController();
  const deadline = performance.now() + total;
  let timer: NodeJS.Timeout | undefined = setTimeout(() => {
    timer = undefined;
    controller.abort(
      new TimeoutError(`The request took longer than its total timeout of ${Math.round(total)} ms`),
    );
  }, total);
  let onAbort: (() => void) | undefined;
  if (signal) {
    if (signal.aborted) controller.abort(signal.reason);
    else {
      onAbort = () => controller.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    }
  }
  const stopDeadline = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    timeout,
    deadline,
    signal: controller.signal,
    stopDeadline,
    release() {
      stopDeadline();
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      onAbort = undefined;
    },
  };
}

/**
 * The error to raise for a fired signal: the session's TimeoutError as it
 * is (with the request filled in), anything else as an AbortError whose
 * `cause` is the caller's reason.
 */
export function abortReason(signal: AbortSignal, request?: PreparedRequest | Request): RequestError {
  const reason: unknown = signal.reason;
  if (reason instanceof TimeoutError) {
    reason.request ??= request;
    return reason;
  }
  return new AbortError('The request was aborted', { request, cause: reason });
}

/** Throws the mapped reason when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, request?: PreparedRequest | Request): void {
  if (signal?.aborted) throw abortReason(signal, request);
}

/**
 * `promise`, or the signal's error if it fires first. Whatever `promise`
 * does after that is ignored (never unhandled). Without a signal, `promise`
 * itself: nothing is allocated on the hot path.
 */
export function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  request?: PreparedRequest | Request,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(noop);
    return Promise.reject(abortReason(signal, request));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(noop);
      reject(abortReason(signal, request));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Wraps a non-sess failure of a wait (a cookie store, an auth) as a RequestError naming the request. */
export function asRequestError(
  err: unknown,
  what: string,
  request?: PreparedRequest | Request,
): RequestError {
  if (err instanceof RequestError) return err;
  return new RequestError(`${what}: ${err instanceof Error ? err.message : String(err)}`, {
    request,
    cause: err,
  });
}
