import { type ClientHttp2Stream, constants } from 'node:http2';
import {
  abortReason,
  type BodySource,
  ChunkedEncodingError,
  type PreparedRequest,
  ReadTimeoutError,
  StreamConsumedError,
} from '@sess/core';
import { ChunkQueue } from './chunk-queue.js';
import { mapError } from './errors.js';
import { NO_WATCHDOG, Watchdog } from './watchdog.js';

export interface Http2BodyInit {
  stream: ClientHttp2Stream;
  request: PreparedRequest;
  /** `timeout.read`: longest silence while the reader waits for a chunk. */
  readTimeout: number | undefined;
  signal: AbortSignal | undefined;
  viaProxy: boolean;
}

/**
 * One response body as core's `BodySource`: the raw DATA bytes, never
 * decoded. Reading is pulled: the stream is paused past HIGH_WATER_MARK
 * unread bytes, so HTTP/2 flow control holds the server. `cancel()` (and
 * the signal) reset the stream with CANCEL; its session lives on.
 */
export class Http2Body implements BodySource {
  readonly #init: Http2BodyInit;
  readonly #queue: ChunkQueue;
  readonly #watchdog: Watchdog;
  /** It fails itself, with the signal's error, when the request's signal fires. */
  readonly stopsItself = true;
  #used = false;
  #done = false;
  #onAbort: (() => void) | undefined;

  constructor(init: Http2BodyInit) {
    this.#init = init;
    const { stream, request, signal } = init;
    this.#queue = new ChunkQueue(() => stream.resume());
    this.#watchdog =
      init.readTimeout === undefined
        ? NO_WATCHDOG
        : new Watchdog(init.readTimeout, () =>
            this.#fail(
              new ReadTimeoutError(
                `Read timed out after ${init.readTimeout} ms waiting for the response body`,
                {
                  request,
                },
              ),
            ),
          );
    stream.on('data', (chunk: Buffer) => {
      this.#watchdog.disarm();
      if (!this.#queue.push(chunk)) stream.pause();
      // A readAll() waits on the server again at once.
      else if (this.#queue.collecting) this.#watchdog.arm();
    });
    stream.once('end', () => this.#finish(() => this.#queue.end()));
    // The stream's 'error' and 'close' reach the body through the exchange's listeners (streamError,
    // streamClosed): one listener each per stream.
    if (signal) {
      this.#onAbort = () => this.#fail(abortReason(signal, request));
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** The stream failed (the exchange's 'error' listener, after the response headers). */
  streamError(err: unknown): void {
    // Errors are built only when they are news: an error's stack costs ~15 µs.
    if (!this.#done) {
      const { request, viaProxy } = this.#init;
      this.#fail(mapError(err, { request, phase: 'body', viaProxy }));
    }
  }

  /** The stream closed: before its END_STREAM (RST_STREAM NO_ERROR, or CANCEL), the body is cut short. */
  streamClosed(): void {
    if (!this.#done)
      this.#fail(
        new ChunkedEncodingError('The HTTP/2 stream closed before the body ended', {
          request: this.#init.request,
        }),
      );
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#use();
    return {
      next: () => this.#next(),
      return: () => {
        this.cancel();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  /** Every raw byte in one promise (core's `stream: false` path), none per chunk. */
  readAll(): Promise<Uint8Array> {
    this.#use();
    if (!this.#queue.settled) this.#watchdog.arm();
    return this.#queue.readAll();
  }

  /** The whole body when it has all arrived already (a small one comes with its headers). */
  readComplete(): Uint8Array | undefined {
    if (this.#used) return undefined;
    const whole = this.#queue.readComplete();
    if (whole !== undefined) this.#used = true;
    return whole;
  }

  #use(): void {
    if (this.#used) {
      throw new StreamConsumedError('The response body can be read only once', {
        request: this.#init.request,
      });
    }
    this.#used = true;
  }

  /** Stops reading: an unfinished stream is reset with CANCEL. Safe to call twice. */
  cancel(): void {
    this.#finish(() => {
      this.#queue.close();
      this.#reset();
    });
  }

  #next(): Promise<IteratorResult<Uint8Array>> {
    // Silence counts only while the reader waits for the server, not while the reader is slow.
    if (this.#queue.empty && !this.#queue.settled) this.#watchdog.arm();
    return this.#queue.next();
  }

  #fail(err: unknown): void {
    this.#finish(() => {
      this.#queue.fail(err);
      this.#reset();
    });
  }

  #reset(): void {
    const { stream } = this.#init;
    if (!stream.closed && !stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    // Whatever was buffered or still arrives is dropped; the stream must not stay paused.
    stream.resume();
  }

  #finish(action: () => void): void {
    if (this.#done) return;
    this.#done = true;
    this.#watchdog.disarm();
    if (this.#onAbort) this.#init.signal?.removeEventListener('abort', this.#onAbort);
    this.#onAbort = undefined;
    action();
  }
}
