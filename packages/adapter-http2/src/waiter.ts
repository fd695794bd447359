import {
  abortReason,
  ConnectTimeoutError,
  PoolTimeoutError,
  type PreparedRequest,
  type RequestError,
} from '@sess/core';
import type { PooledSession } from './pooled-session.js';

/** What a queued request is handed: a session with a stream slot held for it, or "use the fallback". */
export type Lease = PooledSession | 'h1';

/** A request asking its origin's pool for a stream. */
export interface LeaseRequest {
  readonly request: PreparedRequest;
  readonly signal: AbortSignal | undefined;
  /** `timeout.connect`: bounds the wait for a session being opened for it. */
  readonly connectTimeout: number | undefined;
  /** `timeout.pool`: bounds the wait for a slot on sessions that are all busy. */
  readonly poolTimeout: number | undefined;
}

/**
 * What a queued request waits for. `connect`: a session being opened that
 * counts on serving it (its connect clock runs). `pool`: every session
 * (and attempt) is spoken for, so it waits for a slot to free (its pool
 * clock runs). The pool re-labels waiters as sessions come and go.
 */
export type WaitKind = 'connect' | 'pool';

/** One queued request: its promise, its clock, and its signal. */
export class Waiter {
  readonly init: LeaseRequest;
  readonly #resolve: (lease: Lease) => void;
  readonly #reject: (err: RequestError) => void;
  readonly #leave: (waiter: Waiter) => void;
  readonly #origin: string;
  #kind: WaitKind | undefined;
  #timer: NodeJS.Timeout | undefined;
  #onAbort: (() => void) | undefined;
  #settled = false;

  constructor(
    init: LeaseRequest,
    origin: string,
    resolve: (lease: Lease) => void,
    reject: (err: RequestError) => void,
    /** Called when the waiter gives up by itself (signal, timeout), to take it out of the queue. */
    leave: (waiter: Waiter) => void,
  ) {
    this.init = init;
    this.#origin = origin;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#leave = leave;
    const { signal, request } = init;
    if (signal) {
      this.#onAbort = () => this.#giveUp(abortReason(signal, request));
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Starts the clock that matches what the waiter now waits for; unchanged kinds keep their clock. */
  waitFor(kind: WaitKind): void {
    if (this.#settled || kind === this.#kind) return;
    this.#kind = kind;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const { request, connectTimeout, poolTimeout } = this.init;
    const ms = kind === 'connect' ? connectTimeout : poolTimeout;
    if (ms === undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#giveUp(
        kind === 'connect'
          ? new ConnectTimeoutError(`Timed out after ${ms} ms waiting for a connection to ${this.#origin}`, {
              request,
            })
          : new PoolTimeoutError(
              `No HTTP/2 stream became free on ${this.#origin} within ${ms} ms (timeout.pool)`,
              { request },
            ),
      );
    }, ms);
  }

  /** Hands over a lease (the slot is already reserved). */
  grant(lease: Lease): void {
    if (this.#cleanup()) this.#resolve(lease);
    else if (lease !== 'h1') lease.release();
  }

  /** Fails the waiter (the pool closed, or the connection attempt it waited for failed). */
  fail(err: RequestError): void {
    if (this.#cleanup()) this.#reject(err);
  }

  #giveUp(err: RequestError): void {
    if (!this.#cleanup()) return;
    this.#leave(this);
    this.#reject(err);
  }

  /** Settles once: `true` the first time. */
  #cleanup(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#onAbort) this.init.signal?.removeEventListener('abort', this.#onAbort);
    this.#onAbort = undefined;
    return true;
  }
}
