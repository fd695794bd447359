import { ConnectionError, type PreparedRequest, type RequestError, type RequestStop } from '@sess/core';
import type { InFlightItem } from './in-flight.js';

/** What a scope can stop: the exchange currently running. */
export interface Abortable {
  abort(err: RequestError): void;
  /** Its response headers are in. */
  readonly responded: boolean;
}

/**
 * The life of one `send()`, across a re-send if there is one: it watches
 * what stops the request (`stopOf(options)`: the session's clock, which
 * fires on the caller's abort and at the `total` deadline) and stops whatever exchange is current, at any
 * stage, including while the body is being read. The adapter keeps no
 * `total` clock of its own. `finish()` removes the listener; it runs once
 * the body is done (read, failed or cancelled) or the send has failed.
 */
export class SendScope implements InFlightItem {
  inFlightIndex = -1;
  readonly #request: PreparedRequest;
  readonly #onFinish: (scope: SendScope) => void;
  #stop: RequestStop | undefined;
  #onStop: (() => void) | undefined;
  #current: Abortable | undefined;
  #failure: RequestError | undefined;
  #finished = false;

  constructor(request: PreparedRequest, stop: RequestStop | undefined, onFinish: (scope: SendScope) => void) {
    this.#request = request;
    this.#onFinish = onFinish;
    // A closure only when asked for: most requests have nothing that could stop them.
    if (stop) {
      const onStop = () => this.#fail(stop.error(request));
      this.#stop = stop;
      this.#onStop = onStop;
      stop.onStop(onStop);
    }
  }

  /** Why the send was stopped (timeout or abort), if it was. */
  get failure(): RequestError | undefined {
    return this.#failure;
  }

  /** Makes `exchange` the one an abort stops; stops it at once if that already happened. */
  attach(exchange: Abortable): void {
    this.#current = exchange;
    if (this.#failure) exchange.abort(this.#failure);
  }

  /** Stops watching. Safe to call more than once. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#stop && this.#onStop) this.#stop.offStop(this.#onStop);
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
}
