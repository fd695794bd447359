import { AbortError, type RequestError, TimeoutError } from './errors.js';
import type { Subjects } from './subjects.js';

// Through the registry (subjects.ts): the cookie jar's waits, below Request, race stops.
type PreparedRequest = Subjects['PreparedRequest'];
type Request = Subjects['Request'];

/**
 * What stops a request: the caller's abort, or the deadline of
 * `timeout.total`. The session's clock is one, and `options.signal` says
 * the same thing as an AbortSignal; this form costs nothing until it fires.
 * An AbortSignal costs an EventTarget and a listener list per request (7 µs
 * to create on the benchmark machine, as much again to listen to), so core
 * and sess's adapters watch this, and the signal is made only when someone
 * reads `options.signal`. Get it with `stopOf(options)`.
 */
export interface RequestStop {
  /** It has fired. */
  readonly stopped: boolean;
  /** Why: TimeoutError for the deadline, AbortError (its `cause` the caller's reason) for an abort. */
  error(request?: PreparedRequest | Request): RequestError;
  /**
   * Calls `listener` once when it fires (never if it has fired already: check
   * `stopped` first, as with an AbortSignal). Remove it with `offStop`.
   */
  onStop(listener: () => void): void;
  offStop(listener: () => void): void;
}

/** The property under which the session puts its clock on SendOptions (copied by `{ ...options }`). */
export const STOP: unique symbol = Symbol.for('sess.stop') as never;

/** What the session puts under STOP: its clock, which knows the signal it gave the options. */
export interface SessionStop extends RequestStop {
  /**
   * `options.signal` is still the one this clock gave (a plugin may have
   * replaced it: `{ ...options, signal }`). Must not make an AbortSignal
   * that nobody asked for.
   */
  ownsSignalOf(options: { readonly signal?: AbortSignal | undefined | null }): boolean;
}

/**
 * The error to raise for a fired signal: the session's TimeoutError as it
 * is (with the request filled in), anything else as an AbortError whose
 * `cause` is the caller's reason.
 */
export function abortReason(signal: AbortSignal, request?: PreparedRequest | Request): RequestError {
  return stopError(signal.reason, request);
}

/** The error for a stop whose reason is `reason` (see abortReason). */
export function stopError(reason: unknown, request?: PreparedRequest | Request): RequestError {
  if (reason instanceof TimeoutError) {
    reason.request ??= request;
    return reason;
  }
  return new AbortError('The request was aborted', { request, cause: reason });
}

/** An AbortSignal seen as a RequestStop (for options that came without the session's clock). */
class SignalStop implements RequestStop {
  readonly #signal: AbortSignal;

  constructor(signal: AbortSignal) {
    this.#signal = signal;
  }

  get stopped(): boolean {
    return this.#signal.aborted;
  }

  error(request?: PreparedRequest | Request): RequestError {
    return abortReason(this.#signal, request);
  }

  onStop(listener: () => void): void {
    this.#signal.addEventListener('abort', listener, { once: true });
  }

  offStop(listener: () => void): void {
    this.#signal.removeEventListener('abort', listener);
  }
}

/** A RequestStop as is, or an AbortSignal seen as one. */
export function toStop(x: RequestStop | AbortSignal | undefined | null): RequestStop | undefined {
  if (!x) return undefined;
  return x instanceof AbortSignal ? new SignalStop(x) : x;
}

/** `signal` as a RequestStop; `undefined` for none. */
export function signalStop(signal: AbortSignal | undefined | null): RequestStop | undefined {
  return signal ? new SignalStop(signal) : undefined;
}

/**
 * What stops the request these options belong to: the session's clock when
 * the options came from the session (spread copies included), else their
 * `signal`; `undefined` when nothing can stop it. Adapters and plugins may
 * use it instead of `options.signal` to spare the request an AbortSignal.
 */
export function stopOf(options: {
  readonly signal?: AbortSignal | undefined | null;
}): RequestStop | undefined {
  const stop = (options as { [STOP]?: SessionStop | null })[STOP];
  // null: nothing could stop the session's request; a plugin may have given it a signal since.
  if (stop?.ownsSignalOf(options)) return stop;
  return signalStop(options.signal);
}

/** Throws the stop's error when it has fired. */
export function throwIfStopped(stop: RequestStop | undefined, request?: PreparedRequest | Request): void {
  if (stop?.stopped) throw stop.error(request);
}

const noop = (): void => {};

/**
 * `promise`, or the stop's error if it fires first. Whatever `promise`
 * does after that is ignored (never unhandled). Without a stop, `promise`
 * itself: nothing is allocated on the hot path.
 */
export function raceStop<T>(
  promise: Promise<T>,
  stop: RequestStop | undefined,
  request?: PreparedRequest | Request,
): Promise<T> {
  if (!stop) return promise;
  if (stop.stopped) {
    promise.catch(noop);
    return Promise.reject(stop.error(request));
  }
  return new Promise<T>((resolve, reject) => {
    const onStop = () => {
      promise.catch(noop);
      reject(stop.error(request));
    };
    stop.onStop(onStop);
    promise.then(
      (v) => {
        stop.offStop(onStop);
        resolve(v);
      },
      (e: unknown) => {
        stop.offStop(onStop);
        reject(e);
      },
    );
  });
}
