import { Readable } from 'node:stream';
import { streamDecoder } from './charset.js';

/** What the stream adapters need of a Response: its chunks, and a way to let the connection go. */
interface ChunkedBody {
  iterContent(): AsyncGenerator<Uint8Array, void, undefined>;
  close(): Promise<void>;
}

/** Re-cuts `chunks` into pieces of exactly `size` bytes (the last may be shorter). */
export async function* rechunk(
  chunks: AsyncIterable<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  let pending: Uint8Array | undefined;
  for await (const chunk of chunks) {
    let data = chunk;
    if (pending) {
      const joined = new Uint8Array(pending.byteLength + chunk.byteLength);
      joined.set(pending);
      joined.set(chunk, pending.byteLength);
      data = joined;
      pending = undefined;
    }
    let i = 0;
    for (; i + size <= data.byteLength; i += size) yield data.subarray(i, i + size);
    if (i < data.byteLength) pending = data.subarray(i);
  }
  if (pending) yield pending;
}

/**
 * `chunks` as text in the charset `encoding()` names when iteration starts,
 * decoded incrementally: a character split between two chunks comes out
 * whole. Empty strings are not yielded.
 */
export async function* decodeChunks(
  chunks: AsyncIterable<Uint8Array>,
  encoding: () => string,
): AsyncGenerator<string, void, undefined> {
  const decoder = streamDecoder(encoding());
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * A web ReadableStream over the body. Nothing is read before the reader asks
 * (high-water mark 0), so the body is taken from the response on the first
 * read, not when the stream is made; cancelling it closes the response.
 */
export function webStream(body: ChunkedBody): ReadableStream<Uint8Array> {
  let it: AsyncGenerator<Uint8Array, void, undefined> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        it ??= body.iterContent();
        for (;;) {
          const step = await it.next();
          if (step.done) {
            controller.close();
            return;
          }
          // A zero-length chunk would read as a spurious empty read: wait for real bytes.
          if (step.value.byteLength > 0) {
            controller.enqueue(step.value);
            return;
          }
        }
      },
      async cancel() {
        await it?.return();
        await body.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A Node Readable (bytes, not objects) over the body; destroying it early
 * stops the body and closes the response, read or not.
 */
export function nodeStream(body: ChunkedBody): Readable {
  let it: AsyncGenerator<Uint8Array, void, undefined> | undefined;
  // Readable.from ends a destroyed stream with the iterator's return(): ours also closes the response,
  // which a generator's finally would not do if destroyed before its first read.
  const chunks: AsyncIterableIterator<Uint8Array> = {
    next: () => {
      it ??= body.iterContent();
      return it.next();
    },
    return: async () => {
      await it?.return();
      await body.close();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return Readable.from(chunks, { objectMode: false });
}

/** The body as lines (split on \n, \r\n or \r), decoded with the response's encoding. */
export async function* bodyLines(
  body: ChunkedBody & { readonly encoding: string },
): AsyncGenerator<string, void, undefined> {
  const decoder = streamDecoder(body.encoding);
  let rest = '';
  for await (const chunk of body.iterContent()) {
    rest += decoder.decode(chunk, { stream: true });
    const parts = rest.split(/\r\n|\n|\r(?!$)/);
    rest = parts.pop() ?? '';
    for (const line of parts) yield line;
  }
  rest += decoder.decode();
  // A held-back final '\r' ends a line, even an empty one ('a\r\r' is 'a', '', like 'a\n\n').
  if (rest.endsWith('\r')) yield rest.slice(0, -1);
  else if (rest) yield rest;
}
