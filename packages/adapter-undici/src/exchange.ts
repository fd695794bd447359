import {
  type Alarm,
  ConnectionError,
  ConnectTimeoutError,
  PoolTimeoutError,
  ReadTimeoutError,
  type RequestError,
  Response,
  setAlarm,
  type Timings,
} from '@sess/core';
import { type Dispatcher, errors } from 'undici';
import { UndiciBody } from './body-source.js';
import { ChunkQueue } from './chunk-queue.js';
import { mapError, type Phase } from './errors.js';
import type { ExchangeInit } from './exchange-init.js';
import { responseHeaders } from './response-headers.js';
import type { ConnectionObserver, ObservedDispatchOptions, TrackedClient } from './reuse.js';
import type { Abortable } from './scope.js';
import { reasonPhrase } from './status-line-sniffer.js';

/** A `close` token in a Connection header. */
const CLOSE = /(?:^|,)\s*close\s*(?:,|$)/i;

/**
 * One attempt at one request: the undici dispatch handler that turns
 * undici's callbacks into a Response (resolved when the headers arrive) and
 * a body queue. It records how far it got, so the adapter can tell a failed
 * connect (safe to retry) and a reused connection dropped before any answer
 * (safe to re-send an idempotent request) from everything else.
 */
export class Exchange implements Dispatcher.DispatchHandler, ConnectionObserver, Abortable {
  readonly #init: ExchangeInit;
  #phase: Phase = 'connect';
  #reused = false;
  #cause: unknown;
  /** undici's abort for this request, once a connection has taken it; its resume, once the headers are in. */
  #abortRequest: ((err?: Error) => void) | undefined;
  #resume: (() => void) | undefined;
  /** The reader is behind: undici was told to pause (onData returned false). */
  #paused = false;
  #client: TrackedClient | undefined;
  waitingOn: TrackedClient | undefined;
  #resolve!: (response: Response) => void;
  #reject!: (err: RequestError) => void;
  #responded = false;
  #error: RequestError | undefined;
  #finished = false;
  #queue: ChunkQueue | undefined;
  #readTimer: Alarm | undefined;
  #connectTimer: Alarm | undefined;
  #poolTimer: Alarm | undefined;
  #keepsConnection = false;
  /** performance.now() when a pooled connection took the request, and when it went on the wire. */
  #boundAt: number | undefined;
  #writtenAt: number | undefined;

  constructor(init: ExchangeInit) {
    this.#init = init;
  }

  /** How far the exchange got. */
  get phase(): Phase {
    return this.#phase;
  }

  /** The connection it was written on had carried an earlier request. */
  get reused(): boolean {
    return this.#reused;
  }

  /** The error undici reported, before mapping. */
  get cause(): unknown {
    return this.#cause;
  }

  /** The response headers are in. */
  get responded(): boolean {
    return this.#responded;
  }

  /**
   * Dispatches; resolves with the Response once its headers are in. Two
   * clocks, per request (requests with different budgets share connections):
   * the pool clock runs while the request waits in a Pool's queue, and the
   * connect clock from the moment a connection takes it (bindConnection)
   * until it is written (onRequestStart). With a dispatcher of the caller's,
   * whose queue we cannot see, the connect clock starts now.
   */
  start(
    dispatcher: Pick<Dispatcher, 'dispatch'>,
    options: ObservedDispatchOptions,
    tracked: boolean,
  ): Promise<Response> {
    const response = new Promise<Response>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const pool = this.#init.poolTimeout;
    if (!tracked) this.#armConnect();
    else if (pool > 0) this.#poolTimer = setAlarm(pool, () => this.#poolTimedOut());
    try {
      dispatcher.dispatch(options, this);
    } catch (err) {
      this.#onError(err);
    }
    return response;
  }

  bindConnection(client: TrackedClient): boolean {
    if (this.#finished) return false;
    this.#client = client;
    this.#boundAt = performance.now();
    // On an open connection that is busy (pipelining), the wait is still for the pool.
    if (!client.connected) {
      this.#disarmPool();
      this.#armConnect();
    }
    return true;
  }

  /** Stops the exchange at whatever stage it is; the reader (or send) sees `err`. */
  abort(err: RequestError): void {
    if (this.#finished) return;
    this.#error ??= err;
    // undici reports back through onError; if the request is still queued it is
    // aborted in onConnect instead, and the failure is delivered right now.
    this.#abortRequest?.(err);
    this.#fail(this.#error);
  }

  /** The reader no longer wants the body: release the connection. */
  cancel(): void {
    if (this.#finished) return;
    this.#queue?.close();
    this.abort(new ConnectionError('The response body was cancelled', { request: this.#init.request }));
  }

  /**
   * A streamed request body, watched for the read timeout: the clock runs
   * while undici waits to write a chunk (the server is not reading), and
   * stops while the body's producer is working on the next one.
   */
  async *watchUpload(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
    this.#disarmRead();
    for await (const chunk of body) {
      if (this.#phase === 'request') this.#armRead();
      yield chunk;
      if (this.#phase === 'request') this.#disarmRead();
    }
    if (this.#phase === 'request') this.#armRead();
  }

  // undici's own handler callbacks (onConnect, onHeaders, onData, onComplete, onError): the
  // form its Client calls. The newer form (onRequestStart...) goes through undici's UnwrapHandler,
  // which parses every response's headers into an object nobody here reads (4-5 µs a request).

  onConnect(abort: (err?: Error) => void): void {
    if (this.#error) {
      // Gave up while waiting for the connection. Throwing (rather than controller.abort(),
      // which destroys the socket) makes undici drop the request unwritten and keep the
      // connection for the requests behind it.
      throw this.#error;
    }
    this.#abortRequest = abort;
    this.#writtenAt = performance.now();
    this.#disarmConnect();
    this.#disarmPool();
    this.#phase = 'request';
    // Without a TrackedClient (a dispatcher brought by the caller) reuse is unknown: never re-send.
    if (this.#client) this.#reused = this.#client.startRequest(this);
    this.#armRead();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusMessage: string): boolean {
    // 1xx answers are interim; the real one follows on the same exchange.
    if (statusCode < 200 || this.#finished) return true;
    this.#phase = 'body';
    this.#resume = resume;
    let response: Response;
    try {
      response = this.#response(statusCode, rawHeaders, statusMessage);
    } catch (err) {
      this.abort(mapError(err, this.#context()));
      return true;
    }
    this.#responded = true;
    if (this.#queue) this.#armRead();
    else this.#disarmRead();
    this.#resolve(response);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (!this.#queue) return true;
    if (this.#queue.push(chunk)) {
      this.#armRead();
      return true;
    }
    // The reader is behind: stop reading, and stop the clock, the silence is ours.
    this.#paused = true;
    this.#disarmRead();
    return false;
  }

  onComplete(): void {
    if (this.#finished) return;
    if (!this.#responded) {
      this.#fail(
        new ConnectionError('The connection ended without a response', { request: this.#init.request }),
      );
      return;
    }
    // First, so the pool knows the connection is free before the reader can send the next request;
    // but never for a connection undici is about to close: the pool would hand it out while it closes.
    if (this.#keepsConnection) this.#client?.requestDone();
    this.#queue?.end();
    this.#finish();
  }

  onError(err: Error): void {
    this.#onError(err);
  }

  #onError(err: unknown): void {
    if (this.#finished) return;
    this.#cause ??= err;
    this.#fail(this.#error ?? mapError(err, this.#context()));
  }

  #fail(err: RequestError): void {
    if (this.#finished) return;
    this.#disarmRead();
    this.#disarmConnect();
    this.#disarmPool();
    this.#error ??= err;
    if (!this.#responded) {
      // Before the headers the adapter decides: retry, or give up and finish the scope.
      this.#finished = true;
      // Still waiting for a connection: an attempt that no other request waits for is given up.
      if (this.#phase === 'connect') this.#client?.abandon(this);
      this.#reject(this.#error);
      return;
    }
    this.#queue?.fail(this.#error);
    this.#finish();
  }

  #finish(): void {
    this.#finished = true;
    this.#disarmRead();
    this.#disarmConnect();
    this.#disarmPool();
    this.#init.scope.finish();
  }

  #armConnect(): void {
    const ms = this.#init.connectTimeout;
    if (ms > 0 && !this.#connectTimer) this.#connectTimer = setAlarm(ms, () => this.#connectTimedOut());
  }

  #disarmPool(): void {
    if (this.#poolTimer) {
      this.#poolTimer.cancel();
      this.#poolTimer = undefined;
    }
  }

  #poolTimedOut(): void {
    this.#poolTimer = undefined;
    if (this.#phase !== 'connect') return;
    const { request, poolTimeout } = this.#init;
    this.abort(
      new PoolTimeoutError(
        `Pool timed out: no pooled connection was free within ${poolTimeout} ms (timeout.pool)`,
        { request },
      ),
    );
  }

  #disarmConnect(): void {
    if (this.#connectTimer) {
      this.#connectTimer.cancel();
      this.#connectTimer = undefined;
    }
  }

  #connectTimedOut(): void {
    this.#connectTimer = undefined;
    if (this.#phase !== 'connect') return;
    const { request, connectTimeout } = this.#init;
    this.abort(
      new ConnectTimeoutError(
        `Connection timed out: not connected within ${connectTimeout} ms (timeout.connect)`,
        { request, cause: new errors.ConnectTimeoutError(`Connect timeout after ${connectTimeout} ms`) },
      ),
    );
  }

  /**
   * Starts (or restarts) the read clock. An alarm (core's cheap timer),
   * refreshed in place: undici's own headers/body timeouts tick in
   * half-seconds, too coarse for budgets under a few seconds.
   */
  #armRead(): void {
    const ms = this.#init.readTimeout;
    if (ms === 0 || this.#finished) return;
    if (this.#readTimer) this.#readTimer.refresh();
    else this.#readTimer = setAlarm(ms, () => this.#readTimedOut());
  }

  #disarmRead(): void {
    if (this.#readTimer) {
      this.#readTimer.cancel();
      this.#readTimer = undefined;
    }
  }

  #readTimedOut(): void {
    this.#readTimer = undefined;
    const { request, readTimeout } = this.#init;
    const body = this.#phase === 'body';
    this.abort(
      new ReadTimeoutError(
        `Read timed out: no data from the server for ${readTimeout} ms while waiting for the response ${body ? 'body' : 'headers'}`,
        { request, cause: body ? new errors.BodyTimeoutError() : new errors.HeadersTimeoutError() },
      ),
    );
  }

  /** The phases this exchange saw; core adds download and total. */
  #timings(headersAt: number): Timings {
    const { startedAt } = this.#init;
    const written = this.#writtenAt ?? startedAt;
    const bound = this.#boundAt;
    return {
      wait: bound === undefined ? undefined : bound - startedAt,
      // From a connection taking the request to writing it: making that connection, or nothing when reused.
      connect: this.#reused ? 0 : bound === undefined ? undefined : written - bound,
      firstByte: headersAt - written,
    };
  }

  #context() {
    return { request: this.#init.request, phase: this.#phase, viaProxy: this.#init.viaProxy };
  }

  #response(statusCode: number, rawHeaders: Buffer[], statusMessage: string): Response {
    const { request, startedAt } = this.#init;
    const headers = responseHeaders(rawHeaders);
    const connection = headers.get('connection');
    this.#keepsConnection =
      this.#init.keepsConnection && !(connection && connection !== 'keep-alive' && CLOSE.test(connection));
    let body: UndiciBody | null = null;
    if (request.method !== 'HEAD' && statusCode !== 204 && statusCode !== 304) {
      const cancel = () => this.cancel();
      this.#queue = new ChunkQueue(() => {
        this.#armRead();
        if (this.#paused) {
          this.#paused = false;
          this.#resume?.();
        }
      }, cancel);
      body = new UndiciBody(this.#queue, request, cancel);
    }
    const now = performance.now();
    return new Response({
      timings: this.#timings(now),
      statusCode,
      // undici decodes the status line as UTF-8: a latin-1 reason is recovered, or core's phrase used.
      reason: reasonPhrase(this.#client, statusCode, statusMessage),
      headers,
      url: request.url,
      request,
      httpVersion: '1.1',
      body,
      elapsed: now - startedAt,
    });
  }
}
