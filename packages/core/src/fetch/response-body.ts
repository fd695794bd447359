import { concatChunks } from '../body-source.js';
import type { Response as CoreResponse } from '../response.js';
import { abortException, toBodyError } from './errors.js';
import type { FetchAbort } from './signal.js';

const noop = (): void => {};

/**
 * A fetch Response's body, still in the core response until someone reads
 * it. Read whole (`text()`, `json()`, ...), it is taken in one piece with
 * core's `read()`; asked for as a stream (`response.body`), it becomes a
 * web ReadableStream pulling from `iterContent()` one chunk per read, so
 * server-sent events and NDJSON reach the caller as they arrive. The
 * stream is made only when asked for: most callers read whole, and a
 * ReadableStream with undici's reading machinery costs more than the rest
 * of the facade.
 *
 * `done` is called once, when the body is finished with: read to the end,
 * errored, cancelled, or aborted by the caller's signal (which releases
 * the connection at once, read or not, as undici's fetch does).
 */
export class ResponseBody {
  readonly #res: CoreResponse;
  readonly #abort: FetchAbort;
  readonly #done: () => void;
  #stream: ReadableStream<Uint8Array> | undefined;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #it: AsyncIterator<Uint8Array> | undefined;
  /** The source stream was read from or cancelled (by the caller, or by a tee). */
  #disturbed = false;
  /** After `tee()`: whether this response's own branch was read from or cancelled. */
  #branchDisturbed: boolean | undefined;
  /** Finished with; the caller's signal is let go. */
  #over = false;
  /** The error the body ended with, for a stream or a read that comes later. */
  #error: unknown;

  constructor(res: CoreResponse, abort: FetchAbort, done: () => void) {
    this.#res = res;
    this.#abort = abort;
    this.#done = done;
    abort.onUserAbort(() => this.#onAbort());
  }

  /** `bodyUsed`: fetch's "disturbed", of the stream this response shows. */
  get disturbed(): boolean {
    return this.#branchDisturbed ?? this.#disturbed;
  }

  /** `response.body`: the same stream on every access, made on the first. */
  get stream(): ReadableStream<Uint8Array> {
    this.#stream ??= this.#makeStream();
    return this.#stream;
  }

  /** The whole body, once; a TypeError when it was read already or its stream is locked, as in fetch. */
  async bytes(): Promise<Uint8Array> {
    if (this.disturbed || this.#stream?.locked)
      throw new TypeError('Body is unusable: Body has already been read');
    if (this.#stream) return readStream(this.#stream);
    this.#disturbed = true;
    if (this.#over) throw this.#error;
    try {
      const bytes = await this.#res.read();
      if (this.#end()) this.#done();
      return bytes;
    } catch (err) {
      // Aborted meanwhile: #onAbort has recorded the error and released everything.
      if (this.#end()) {
        this.#error = toBodyError(err, this.#abort);
        this.#done();
      }
      throw this.#error;
    }
  }

  /** Splits the body for `clone()`: this one keeps a branch, the other is returned. */
  tee(): ReadableStream<Uint8Array> {
    if (this.disturbed || this.#stream?.locked)
      throw new TypeError('Response.clone: Body has already been consumed.');
    const [mine, theirs] = this.stream.tee();
    // The tee reads the source for both branches: whether *this* body is used is its branch's business.
    this.#branchDisturbed = false;
    this.#stream = this.#tracked(mine);
    return theirs;
  }

  /** `branch`, passed through, noting when it is first read from or cancelled. */
  #tracked(branch: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = branch.getReader();
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          this.#branchDisturbed = true;
          const step = await reader.read();
          if (step.done) controller.close();
          else controller.enqueue(step.value);
        },
        cancel: (reason) => {
          this.#branchDisturbed = true;
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }

  /**
   * The Response was garbage-collected with its body never touched: give
   * the connection back (undici's fetch does the same). A body whose stream
   * was handed out is left alone: someone may still be reading it.
   */
  abandon(): void {
    if (this.#disturbed || this.#stream !== undefined || !this.#end()) return;
    this.#closeThenDone();
  }

  /** Marks the body finished with; `false` when it already was. */
  #end(): boolean {
    if (this.#over) return false;
    this.#over = true;
    this.#abort.release();
    return true;
  }

  #onAbort(): void {
    if (!this.#end()) return;
    this.#error = abortException(this.#abort.userReason);
    this.#controller?.error(this.#error);
    // A read under way ends by itself (core watches the signal); one not begun never starts.
    this.#closeThenDone();
  }

  /** `done` waits for the connection to be given back: the session may be closed right after. */
  #closeThenDone(): void {
    void this.#res.close().catch(noop).finally(this.#done);
  }

  #makeStream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
          // Asked for after the body was read whole, or while it is: the used-up stream fetch would show.
          if (this.#error !== undefined) controller.error(this.#error);
          else if (this.#over) controller.close();
          else if (this.#disturbed)
            controller.error(new TypeError('Body is unusable: Body has already been read'));
        },
        pull: (controller) => this.#pull(controller),
        cancel: () => this.#cancel(),
      },
      // Nothing is read ahead of the reader: a chunk is asked of the server only when one is wanted.
      { highWaterMark: 0 },
    );
  }

  async #pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    this.#disturbed = true;
    this.#it ??= this.#res.iterContent()[Symbol.asyncIterator]();
    try {
      for (;;) {
        const step = await this.#it.next();
        if (this.#over) return;
        if (step.done) {
          this.#end();
          controller.close();
          this.#done();
          return;
        }
        // An empty chunk would read as a spurious zero-length read: wait for real bytes.
        // Chunks are enqueued as they are (no byte stream, no transfer): they may share a buffer.
        if (step.value.byteLength > 0) {
          controller.enqueue(step.value);
          return;
        }
      }
    } catch (err) {
      if (!this.#end()) return;
      this.#error = toBodyError(err, this.#abort);
      controller.error(this.#error);
      this.#done();
    }
  }

  #cancel(): void {
    this.#disturbed = true;
    if (!this.#end()) return;
    // Ends a read under way at once (core races it against the signal) and cancels the source.
    this.#abort.cancel();
    this.#closeThenDone();
  }
}

/** Reads a stream to its end, into one Uint8Array. */
async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.byteLength;
  }
  return concatChunks(parts, size);
}
