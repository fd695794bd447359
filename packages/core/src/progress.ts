import type { RequestBody } from './body-types.js';
import { ReplayableBody } from './replayable.js';

/** What a progress callback gets: bytes so far, and the total when it is known. */
export interface Progress {
  loaded: number;
  total?: number | undefined;
}

/** `onUploadProgress` / `onDownloadProgress`: called at most every 50 ms, and once at the end. */
export type ProgressCallback = (progress: Progress) => void;

const EVERY_MS = 50;
/** Upload chunks: small enough for progress to move, large enough not to cost. */
const UPLOAD_CHUNK = 64 * 1024;

/** Counts bytes and calls back at most every 50 ms, then once more at `end()`. */
export class ProgressReporter {
  readonly #callback: ProgressCallback;
  readonly #total: number | undefined;
  #loaded = 0;
  #last = Number.NEGATIVE_INFINITY;
  #ended = false;

  constructor(callback: ProgressCallback, total: number | undefined) {
    this.#callback = callback;
    this.#total = total;
  }

  add(bytes: number): void {
    this.#loaded += bytes;
    const now = performance.now();
    if (now - this.#last >= EVERY_MS) {
      this.#last = now;
      this.#report();
    }
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#report();
  }

  #report(): void {
    this.#callback(
      this.#total === undefined ? { loaded: this.#loaded } : { loaded: this.#loaded, total: this.#total },
    );
  }
}

/**
 * `body` wrapped so that sending it reports upload progress (the bytes the
 * transport has pulled). Bytes are handed over in 64 KiB pieces so progress
 * moves; the wrapper can be sent again (a 307 or a retry) when the body can.
 */
export function withUploadProgress(
  body: RequestBody,
  length: number | undefined,
  callback: ProgressCallback,
): ReplayableBody {
  return new ReplayableBody(async function* () {
    const reporter = new ProgressReporter(callback, length);
    if (body instanceof Uint8Array) {
      for (let i = 0; i < body.byteLength; i += UPLOAD_CHUNK) {
        const piece = body.subarray(i, i + UPLOAD_CHUNK);
        reporter.add(piece.byteLength);
        yield piece;
      }
    } else {
      for await (const chunk of body) {
        reporter.add(chunk.byteLength);
        yield chunk;
      }
    }
    reporter.end();
  }, length);
}
