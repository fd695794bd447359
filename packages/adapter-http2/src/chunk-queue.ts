import { concatChunks } from '@sess/core';
/** Bytes buffered per response before the stream is paused (and HTTP/2 flow control holds the server). */
export const HIGH_WATER_MARK = 64 * 1024;

const DONE: IteratorResult<Uint8Array> = Object.freeze({ done: true, value: undefined });

interface Waiter {
  resolve(result: IteratorResult<Uint8Array>): void;
  reject(err: unknown): void;
}

/**
 * The raw body of one response between the stream (which pushes) and the
 * reader (which pulls), with backpressure: `push` returns `false` past
 * HIGH_WATER_MARK unread bytes, and `onDrain` runs once the reader caught
 * up. Chunks already received are handed out before a failure.
 */
export class ChunkQueue {
  #chunks: Uint8Array[] = [];
  #size = 0;
  #waiter: Waiter | undefined;
  /** A readAll() under way: it takes everything at the end. */
  #collector: { resolve(bytes: Uint8Array): void; reject(err: unknown): void } | undefined;
  /** 'open' until the body ends, fails, or the reader leaves. */
  #state: 'open' | 'ended' | 'failed' | 'closed' = 'open';
  #error: unknown;
  readonly #onDrain: () => void;

  constructor(onDrain: () => void) {
    this.#onDrain = onDrain;
  }

  /** No chunk is waiting to be read. */
  get empty(): boolean {
    return this.#chunks.length === 0;
  }

  /** The body ended, failed, or was closed: nothing more will be pushed. */
  get settled(): boolean {
    return this.#state !== 'open';
  }

  /** Adds a chunk; `false` means pause the source until `onDrain`. */
  push(chunk: Uint8Array): boolean {
    if (this.#state !== 'open') return true;
    if (this.#collector) {
      // All of it is wanted: keep it, no backpressure.
      this.#chunks.push(chunk);
      this.#size += chunk.byteLength;
      return true;
    }
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter.resolve({ done: false, value: chunk });
      return true;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.byteLength;
    return this.#size < HIGH_WATER_MARK;
  }

  /** The body is complete. */
  end(): void {
    if (this.#state !== 'open') return;
    this.#state = 'ended';
    this.#settleWaiter();
  }

  /** The body broke; the reader sees `err` after the chunks already queued. */
  fail(err: unknown): void {
    if (this.#state !== 'open') return;
    this.#state = 'failed';
    this.#error = err;
    this.#settleWaiter();
  }

  /** The reader is gone: drop what is queued and end a pending read. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#chunks = [];
    this.#size = 0;
    this.#settleWaiter();
  }

  /** `true` while a readAll() waits for the end. */
  get collecting(): boolean {
    return this.#collector !== undefined;
  }

  /** The whole body if it has all arrived (taken, as readAll would), else `undefined`. */
  readComplete(): Uint8Array | undefined {
    return this.#state === 'ended' ? this.#drain() : undefined;
  }

  /** The whole body in one promise (the `stream: false` path): no promise per chunk. Instead of next(). */
  readAll(): Promise<Uint8Array> {
    if (this.#state === 'failed') return Promise.reject(this.#error);
    if (this.#state !== 'open') return Promise.resolve(this.#drain());
    const paused = this.#size >= HIGH_WATER_MARK;
    const whole = new Promise<Uint8Array>((resolve, reject) => {
      this.#collector = { resolve, reject };
    });
    if (paused) this.#onDrain();
    return whole;
  }

  #drain(): Uint8Array {
    const chunks = this.#chunks;
    const size = this.#size;
    this.#chunks = [];
    this.#size = 0;
    return concatChunks(chunks, size);
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) {
      const before = this.#size;
      this.#size -= chunk.byteLength;
      if (before >= HIGH_WATER_MARK && this.#size < HIGH_WATER_MARK) this.#onDrain();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#state === 'failed') return Promise.reject(this.#error);
    if (this.#state !== 'open') return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  #settleWaiter(): void {
    const collector = this.#collector;
    if (collector) {
      this.#collector = undefined;
      if (this.#state === 'failed') collector.reject(this.#error);
      else collector.resolve(this.#drain());
      return;
    }
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = undefined;
    if (this.#state === 'failed') waiter.reject(this.#error);
    else waiter.resolve(DONE);
  }
}
