import {
  type BodySource,
  type PreparedRequest,
  ResponseTooLargeError,
  StreamConsumedError,
} from '@sess/core';
import { decodeBody } from './decode.js';

export interface BodyInit {
  /** The raw bytes as they arrive. */
  raw: AsyncIterator<Uint8Array>;
  /** Decoders to run (see `decodingPlan`), or undefined. */
  plan: readonly string[] | undefined;
  /** Limit on decoded bytes, or undefined. */
  maxSize: number | undefined;
  request: PreparedRequest;
  /** Gives the connection back without reading the rest. */
  cancel: () => void;
}

/**
 * The body of one undici response as core's `BodySource`: decoded as it is
 * read, bounded by `maxResponseSize` on the decoded bytes, and failing with
 * sess errors. Iterable once; stopping early (or `cancel()`) releases the
 * connection.
 */
export class UndiciBody implements BodySource {
  #init: BodyInit;
  #used = false;

  constructor(init: BodyInit) {
    this.#init = init;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#used) {
      throw new StreamConsumedError('The response body can be read only once', {
        request: this.#init.request,
      });
    }
    this.#used = true;
    return this.#read();
  }

  cancel(): void {
    this.#init.cancel();
  }

  async *#read(): AsyncGenerator<Uint8Array, void, undefined> {
    const { raw, plan, maxSize, request } = this.#init;
    const rawIterable: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => raw };
    const source = plan ? decodeBody(rawIterable, plan, request) : rawIterable;
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (maxSize !== undefined && size > maxSize) {
          throw new ResponseTooLargeError(
            `The decoded response body is larger than maxResponseSize (${maxSize} bytes)`,
            { request },
          );
        }
        yield chunk;
      }
    } finally {
      // A no-op once the body is complete; otherwise it frees the connection.
      this.#init.cancel();
    }
  }
}
