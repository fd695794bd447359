import { type Alarm, setAlarm } from './alarms.js';
import { RequestError, TimeoutError } from './errors.js';
import {
  abortReason,
  type RequestStop,
  raceStop,
  type SessionStop,
  signalStop,
  stopError,
  throwIfStopped,
} from './stop.js';
import type { Subjects } from './subjects.js';
import type { TimeoutConfig } from './timeout.js';

// Through the registry (subjects.ts): the cookie jar's waits, below Request, use this clock.
type PreparedRequest = Subjects['PreparedRequest'];
type Request = Subjects['Request'];

export { abortReason };

/**
 * The one clock of a request, started by the session at `request()` entry:
 * the normalised timeout, the absolute deadline of `timeout.total`, and
 * what stops the request (the caller's abort or the deadline), as a
 * RequestStop and, made on first use, as one AbortSignal. Adapters and
 * plugins get `deadline`, `signal` and the clock itself (`stopOf(options)`)
 * through SendOptions and never compute them again.
 */
export interface Clock extends SessionStop {
  readonly timeout: TimeoutConfig;
  /** `performance.now()` value of the deadline, or `undefined`. */
  readonly deadline: number | undefined;
  /** Fires on the caller's abort or at the deadline. Made when first read: most requests never need one. */
  readonly signal: AbortSignal | undefined;
  /** Stops the deadline: the request is done (or handed over, with `stream: true`). */
  stopDeadline(): void;
  /** Releases everything, the link to the caller's signal included. Safe to call twice. */
  release(): void;
}

/** A clock with a deadline (and maybe a caller's signal): it fires on whichever comes first. */
class DeadlineClock implements Clock {
  readonly timeout: TimeoutConfig;
  readonly deadline: number;
  readonly #caller: AbortSignal | undefined;
  #onCallerAbort: (() => void) | undefined;
  #alarm: Alarm | undefined;
  #controller: AbortController | undefined;
  #stopped = false;
  #reason: unknown;
  #listeners: (() => void)[] | undefined;

  constructor(timeout: TimeoutConfig, total: number, caller: AbortSignal | undefined) {
    this.timeout = timeout;
    this.deadline = performance.now() + total;
    this.#caller = caller;
    this.#alarm = setAlarm(total, () => {
      this.#alarm = undefined;
      this.#fire(
        new TimeoutError(`The request took longer than its total timeout of ${Math.round(total)} ms`),
      );
    });
    if (caller) {
      if (caller.aborted) this.#fire(caller.reason);
      else {
        this.#onCallerAbort = () => this.#fire(caller.reason);
        caller.addEventListener('abort', this.#onCallerAbort, { once: true });
      }
    }
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#stopped) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  ownsSignalOf(options: { readonly signal?: AbortSignal | undefined | null }): boolean {
    // The session's own options read their signal through a prototype getter (no own `signal`), and
    // so does a copy that never named it; a copy that names one owns the clock's only if it is that one.
    if (!Object.hasOwn(options, 'signal')) return true;
    const signal = options.signal;
    return signal !== undefined && signal === this.#controller?.signal;
  }

  error(request?: PreparedRequest | Request): RequestError {
    return stopError(this.#reason, request);
  }

  onStop(listener: () => void): void {
    if (this.#stopped) return;
    if (this.#listeners) this.#listeners.push(listener);
    else this.#listeners = [listener];
  }

  offStop(listener: () => void): void {
    const list = this.#listeners;
    if (!list) return;
    // The last one added is nearly always the one going (a hop's scope, a race): pop, no splice.
    if (list[list.length - 1] === listener) list.pop();
    else {
      const i = list.lastIndexOf(listener);
      if (i !== -1) list.splice(i, 1);
    }
  }

  stopDeadline(): void {
    this.#alarm?.cancel();
    this.#alarm = undefined;
  }

  release(): void {
    this.stopDeadline();
    if (this.#onCallerAbort) this.#caller?.removeEventListener('abort', this.#onCallerAbort);
    this.#onCallerAbort = undefined;
  }

  #fire(reason: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#reason = reason;
    this.release();
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
}

/** A clock without a deadline: the caller's signal, if any, is all that can stop the request. */
class SignalClock implements Clock {
  readonly timeout: TimeoutConfig;
  readonly deadline = undefined;
  readonly signal: AbortSignal | undefined;
  readonly #stop: RequestStop | undefined;

  constructor(timeout: TimeoutConfig, signal: AbortSignal | undefined) {
    this.timeout = timeout;
    this.signal = signal;
    this.#stop = signalStop(signal);
  }

  get stopped(): boolean {
    return this.signal?.aborted ?? false;
  }

  ownsSignalOf(options: { readonly signal?: AbortSignal | undefined | null }): boolean {
    return options.signal === this.signal;
  }

  error(request?: PreparedRequest | Request): RequestError {
    return stopError(this.signal?.reason, request);
  }

  onStop(listener: () => void): void {
    this.#stop?.onStop(listener);
  }

  offStop(listener: () => void): void {
    this.#stop?.offStop(listener);
  }

  stopDeadline(): void {}

  release(): void {}
}

/**
 * Starts a request's clock. Costs nothing when there is neither a `total`
 * nor a caller's signal; with only a signal, that signal is used as is; a
 * `total` costs an alarm (see alarms.ts), and an AbortSignal only if asked for.
 */
export function startClock(timeout: TimeoutConfig, signal: AbortSignal | undefined): Clock {
  const total = timeout.total;
  if (total === undefined) return new SignalClock(timeout, signal);
  return new DeadlineClock(timeout, total, signal);
}

/** The clock as a RequestStop when something can fire it (a deadline, a caller's signal); else `undefined`. */
export function liveStop(clock: Clock): Clock | undefined {
  return clock.deadline === undefined && clock.signal === undefined ? undefined : clock;
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
  return raceStop(promise, signalStop(signal), request);
}

export { raceStop, throwIfStopped };

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
