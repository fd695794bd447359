import { type BodySource, type PreparedRequest, StreamConsumedError } from '@sess/core';
import type { ChunkQueue } from './chunk-queue.js';

/**
 * The raw body of one undici response as core's `BodySource`: the bytes as
 * they came off the socket (core decodes and bounds them). Iterable once;
 * stopping early (or `cancel()`) releases the connection. `readAll()` is the
 * buffered fast path: one promise for the whole body.
 */
export class UndiciBody implements BodySource {
  /** The send's scope fails the queue when the request's stop fires (see SendScope). */
  readonly stopsItself = true;
  readonly #queue: ChunkQueue;
  readonly #request: PreparedRequest;
  readonly #cancel: () => void;
  #used = false;

  constructor(queue: ChunkQueue, request: PreparedRequest, cancel: () => void) {
    this.#queue = queue;
    this.#request = request;
    this.#cancel = cancel;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#use();
    return this.#queue;
  }

  readAll(): Promise<Uint8Array> {
    this.#use();
    return this.#queue.readAll();
  }

  readComplete(): Uint8Array | undefined {
    if (this.#used) return undefined;
    const whole = this.#queue.readComplete();
    if (whole !== undefined) this.#used = true;
    return whole;
  }

  cancel(): void {
    this.#cancel();
  }

  #use(): void {
    if (this.#used) {
      throw new StreamConsumedError('The response body can be read only once', { request: this.#request });
    }
    this.#used = true;
  }
}
