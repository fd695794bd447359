import { EventEmitter } from 'node:events';
import { Client, type Dispatcher } from 'undici';
import type { ClientConnector } from './connector.js';

/** Learns which client will write the request. */
export interface ConnectionObserver {
  /** `false`: the request has given up already and is not to be dispatched. */
  bindConnection(client: TrackedClient): boolean;
  /** @internal The client whose connection the request waits for (set and cleared by that client). */
  waitingOn: TrackedClient | undefined;
}

/** Key under which dispatch options carry their ConnectionObserver down to the client. */
export const kConnectionObserver: unique symbol = Symbol('sess.connectionObserver');

export interface ObservedDispatchOptions extends Dispatcher.DispatchOptions {
  [kConnectionObserver]?: ConnectionObserver;
}

/**
 * An undici Client that knows how many requests its current connection has
 * carried, and hands itself back to its Pool as soon as a response is done.
 *
 * Reuse: undici fails the request at the head of a connection the server
 * closed under it, and does not say whether the connection was fresh; only
 * for a reused one is the failure the keep-alive race worth one re-send.
 * The options object travels unchanged (or spread, which keeps symbol keys)
 * from `dispatch` through Agent, ProxyAgent and Pool to here, so the request's
 * observer rides on it under a symbol undici ignores.
 *
 * Release: undici's Pool marks a client busy on dispatch and clears the mark
 * on the client's 'drain' event, which undici emits one event-loop turn after
 * the response ended. A request sent right after the previous one finished
 * would meet a "busy" pool and open a second connection. `requestDone()`
 * emits 'drain' once the client really is empty, so sequential requests
 * share one connection. Writing on the reused socket still waits for undici's
 * own idle-socket check.
 *
 * Waiting: the requests handed to this client that are not on its connection
 * yet. A request that gives up while waiting (connect or total timeout,
 * signal, close()) leaves; once none is left, a connection attempt in
 * progress is given up too (see ConnectGuard), so it does not linger. A
 * request that gave up is never written: see Exchange.onRequestStart.
 */
export class TrackedClient extends Client {
  readonly #origin: URL;
  readonly #connector: ClientConnector;
  /** Requests handed to this client and not on its connection yet (each knows it: `waitingOn`). */
  #waiting = 0;
  #requests = 0;
  #connected = false;

  constructor(origin: URL, options: Client.Options, connector: ClientConnector) {
    super(origin, { ...options, connect: connector.connect });
    this.#origin = origin;
    this.#connector = connector;
    // 'connect' fires after a new socket is ready and before any request is written on it.
    this.on('connect', () => {
      this.#requests = 0;
      this.#connected = true;
    });
    this.on('disconnect', () => {
      this.#connected = false;
    });
  }

  /**
   * A connection is open: a request handed to this client now waits for
   * that connection to be free (pool time), not for one to be made.
   */
  get connected(): boolean {
    return this.#connected;
  }

  /** `observer`'s request is written on the current connection; `true` if an earlier one was. */
  startRequest(observer: ConnectionObserver): boolean {
    this.#stopWaiting(observer);
    this.#requests += 1;
    return this.#requests > 1;
  }

  /** `observer`'s request gave up (or failed) before it was written. */
  abandon(observer: ConnectionObserver): void {
    if (this.#stopWaiting(observer) && this.#waiting === 0) this.#connector.cancel();
  }

  /** A count and a field on the request, not a Set: no hashing of an object per request. */
  #stopWaiting(observer: ConnectionObserver): boolean {
    if (observer.waitingOn !== this) return false;
    observer.waitingOn = undefined;
    this.#waiting -= 1;
    return true;
  }

  /** A response on this client completed. */
  requestDone(): void {
    // undici finishes its bookkeeping for the request synchronously after telling the handler.
    queueMicrotask(this.#drainIfIdle);
  }

  #drainIfIdle = (): void => {
    // The arguments undici's own 'drain' carries: the origin and the dispatchers involved.
    if (!this.closed && !this.destroyed && this.stats.size === 0)
      EventEmitter.prototype.emit.call(this, 'drain', this.#origin, [this]);
  };

  override dispatch(options: ObservedDispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const observer = options[kConnectionObserver];
    if (observer) {
      // Given up while queued in the Pool: drop it here rather than connect for it. Not busy.
      if (!observer.bindConnection(this)) return true;
      if (observer.waitingOn !== this) {
        // Handed on from another client (never, with undici's Pool today): that one stops counting it.
        const before = observer.waitingOn;
        if (before) before.#stopWaiting(observer);
        observer.waitingOn = this;
        this.#waiting += 1;
      }
    }
    return super.dispatch(options, handler);
  }
}
