import { concatChunks } from '@sess/core';
/** Bytes buffered per response before reading from the socket pauses (undici's own default). */
export const HIGH_WATER_MARK = 64 * 1024;

interface Waiter {
  resolve(result: IteratorResult<Uint8Array>): void;
  reject(err: unknown): void;
}

interface Collector {
  resolve(body: Uint8Array): void;
  reject(err: unknown): void;
}

const DONE: IteratorResult<Uint8Array> = Object.freeze({ done: true, value: undefined });

/**
 * The raw body of one response between undici (which pushes) and the reader
 * (which pulls). It applies backpressure: `push` returns `false` once
 * HIGH_WATER_MARK bytes wait unread, and `onDrain` runs when the reader has
 * caught up. Chunks already received are handed out before a failure is.
 */
export class ChunkQueue implements AsyncIterator<Uint8Array> {
  #chunks: Uint8Array[] = [];
  #size = 0;
  #waiter: Waiter | undefined;
  #ended = false;
  #closed = false;
  #error: unknown;
  #failed = false;
  /** Set by readAll(): chunks are kept without backpressure until the end. */
  #collector: Collector | undefined;

  constructor(
    /** The reader caught up after `push` returned false. */
    private readonly onDrain: () => void,
    /** The reader stopped early (`return()`). */
    private readonly onAbandon: () => void,
  ) {}

  /** Adds a chunk; `false` means stop reading until `onDrain`. */
  push(chunk: Uint8Array): boolean {
    if (this.#closed || this.#ended || this.#failed) return true;
    if (this.#collector) {
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
    if (this.#closed || this.#ended || this.#failed) return;
    this.#ended = true;
    this.#settleWaiter();
  }

  /** The body broke; the reader sees `err` after the chunks already queued. */
  fail(err: unknown): void {
    if (this.#closed || this.#ended || this.#failed) return;
    this.#failed = true;
    this.#error = err;
    this.#settleWaiter();
  }

  /** The reader is gone: drop what is queued and end any pending read. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chunks = [];
    this.#size = 0;
    this.#settleWaiter();
  }

  /**
   * The whole body in one promise (the `stream: false` fast path): chunks
   * are kept as they arrive, with no promise per chunk and no backpressure,
   * since all of it is wanted anyway. Call instead of next(), not with it.
   */
  readAll(): Promise<Uint8Array> {
    if (this.#failed && !this.#closed) return Promise.reject(this.#error);
    if (this.#ended || this.#closed) return Promise.resolve(this.#drain());
    const paused = this.#size >= HIGH_WATER_MARK;
    const whole = new Promise<Uint8Array>((resolve, reject) => {
      this.#collector = { resolve, reject };
    });
    if (paused) this.onDrain();
    return whole;
  }

  /** The whole body if it has all arrived (taken, as readAll would), else `undefined`. */
  readComplete(): Uint8Array | undefined {
    return this.#ended && !this.#closed && !this.#failed ? this.#drain() : undefined;
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
      if (before >= HIGH_WATER_MARK && this.#size < HIGH_WATER_MARK) this.onDrain();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#failed && !this.#closed) return Promise.reject(this.#error);
    if (this.#ended || this.#closed) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.#ended && !this.#failed) this.onAbandon();
    this.close();
    return Promise.resolve(DONE);
  }

  #settleWaiter(): void {
    const collector = this.#collector;
    if (collector) {
      this.#collector = undefined;
      if (this.#failed && !this.#closed) collector.reject(this.#error);
      else collector.resolve(this.#drain());
      return;
    }
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = undefined;
    if (this.#failed && !this.#closed) waiter.reject(this.#error);
    else waiter.resolve(DONE);
  }
}
