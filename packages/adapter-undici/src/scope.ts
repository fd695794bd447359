import {
  AbortError,
  ConnectionError,
  type PreparedRequest,
  type RequestError,
  TimeoutError,
} from '@sess/core';

/** What a scope can stop: the exchange currently running. */
export interface Abortable {
  abort(err: RequestError): void;
  /** Its response headers are in. */
  readonly responded: boolean;
}

/**
 * The life of one `send()`, across a re-send if there is one: the `total`
 * timer and the caller's AbortSignal. Either one fails whatever exchange is
 * current, at any stage, including while the body is being read.
 * `finish()` clears both; it runs once the body is done (read, failed or
 * cancelled) or the send has failed, so no timer or listener outlives the
 * request.
 */
export class SendScope {
  readonly #request: PreparedRequest;
  readonly #onFinish: (scope: SendScope) => void;
  #signal: AbortSignal | undefined;
  #onAbort: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #current: Abortable | undefined;
  #failure: RequestError | undefined;
  #finished = false;

  constructor(
    request: PreparedRequest,
    total: number | undefined,
    signal: AbortSignal | undefined,
    onFinish: (scope: SendScope) => void,
  ) {
    this.#request = request;
    this.#onFinish = onFinish;
    // Closures only for what is asked for: most requests have neither.
    if (signal) {
      const onAbort = () => this.#fail(abortError(request, signal));
      this.#signal = signal;
      this.#onAbort = onAbort;
      signal.addEventListener('abort', onAbort, { once: true });
    }
    if (total !== undefined) {
      // Kept ref'd: it is cleared the moment the request is done, and until then the
      // request is work in progress that should keep the process alive.
      this.#timer = setTimeout(() => this.#timedOut(total), total);
    }
  }

  /** Why the send was stopped (timeout or abort), if it was. */
  get failure(): RequestError | undefined {
    return this.#failure;
  }

  /** Makes `exchange` the one a timeout or abort stops; stops it at once if that already happened. */
  attach(exchange: Abortable): void {
    this.#current = exchange;
    if (this.#failure) exchange.abort(this.#failure);
  }

  /** Clears the timer and the signal listener. Safe to call more than once. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#signal && this.#onAbort) this.#signal.removeEventListener('abort', this.#onAbort);
    this.#current = undefined;
    this.#onFinish(this);
  }

  /**
   * For the adapter's close(): a send still waiting for its response headers
   * (queued, connecting, or sent and unanswered) fails now with
   * ConnectionError and is finished, so its connection can be closed. One
   * whose response is being received is left alone. `true` if it was stopped.
   */
  closeIfUnanswered(): boolean {
    if (this.#finished || this.#current?.responded) return false;
    this.#fail(new ConnectionError('The adapter was closed', { request: this.#request }));
    this.finish();
    return true;
  }

  #fail(err: RequestError): void {
    if (this.#finished || this.#failure) return;
    this.#failure = err;
    this.#current?.abort(err);
  }

  #timedOut(total: number): void {
    this.#timer = undefined;
    this.#fail(
      new TimeoutError(`The request took longer than its total timeout of ${total} ms`, {
        request: this.#request,
      }),
    );
  }
}

/** The error for an aborted signal: AbortError with the signal's reason as `cause`. */
export function abortError(request: PreparedRequest, signal: AbortSignal): AbortError {
  return new AbortError('The request was aborted', { request, cause: signal.reason });
}
