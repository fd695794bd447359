import type { Data } from '../body-types.js';
import { isAsyncIterable } from '../replayable.js';

/** A fetch body turned into core's `data`, with the Content-Type fetch would give it. */
export interface FetchBody {
  data: Data | undefined;
  /** Set only when the body kind implies one; a Content-Type the caller set wins. */
  contentType: string | undefined;
}

const NONE: FetchBody = Object.freeze({ data: undefined, contentType: undefined });
const TEXT = 'text/plain;charset=UTF-8';
const FORM = 'application/x-www-form-urlencoded;charset=UTF-8';

/**
 * Maps a fetch `BodyInit` onto core's `data`, with fetch's Content-Types:
 * a string is `text/plain;charset=UTF-8`, URLSearchParams is urlencoded
 * with its charset, a Blob its own type, FormData multipart with a
 * boundary (core writes it), bytes none. A ReadableStream (or any async
 * iterable, as undici accepts) is streamed and needs `duplex: 'half'`, as
 * in fetch; it can be sent only once, so a 307/308 redirect or a retry of
 * it fails with UnrewindableBodyError instead of sending a different body.
 */
export function toCoreBody(body: unknown, duplex: unknown): FetchBody {
  if (body === undefined || body === null) return NONE;
  if (typeof body === 'string') return { data: body, contentType: TEXT };
  if (body instanceof URLSearchParams) return { data: body.toString(), contentType: FORM };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return { data: body, contentType: undefined };
  if (body instanceof Blob) return { data: body, contentType: body.type || undefined };
  // Core writes the multipart Content-Type itself: it alone knows the boundary.
  if (body instanceof FormData) return { data: body, contentType: undefined };
  if (isReadableStream(body)) {
    requireDuplex(duplex);
    if (body.locked) throw new TypeError('The body ReadableStream is locked or already read');
    return { data: streamChunks(body.getReader()), contentType: undefined };
  }
  if (isAsyncIterable(body)) {
    requireDuplex(duplex);
    return { data: checkedChunks(body), contentType: undefined };
  }
  // WebIDL: anything else is converted to a string (`BodyInit` ends in USVString).
  return { data: String(body), contentType: TEXT };
}

function isReadableStream(x: unknown): x is ReadableStream<unknown> {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ReadableStream).getReader === 'function' &&
    typeof (x as ReadableStream).pipeTo === 'function'
  );
}

function requireDuplex(duplex: unknown): void {
  if (duplex !== 'half')
    throw new TypeError("RequestInit: duplex option is required when sending a body stream (duplex: 'half')");
}

/** A chunk of an upload stream as bytes; anything else is a TypeError, as fetch requires Uint8Array chunks. */
function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`A request body stream must yield Uint8Array chunks; got ${typeof chunk}`);
}

/**
 * The chunks of an upload stream. The reader is taken before this starts
 * (the stream is locked at once, as fetch locks it); an upload that stops
 * early (the request failed) cancels the stream, so its producer stops too.
 */
async function* streamChunks(reader: ReadableStreamDefaultReader<unknown>): AsyncGenerator<Uint8Array> {
  let done = false;
  try {
    for (;;) {
      const step = await reader.read();
      if (step.done) {
        done = true;
        return;
      }
      yield toBytes(step.value);
    }
  } finally {
    // The stream stays locked, as fetch leaves a body it used.
    if (!done) await reader.cancel().catch(() => {});
  }
}

async function* checkedChunks(source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield toBytes(chunk);
}
