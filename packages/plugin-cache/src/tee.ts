import { type BodySource, Response } from '@sess/core';
import { carryExtras } from './respond.js';

/** Joins chunks once, at the end (no copy for a single chunk). */
function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * The response the caller gets for a miss the cache will store: its body,
 * as the session reads it (`stream: false`) or the caller does
 * (`stream: true`), is also collected for the store, so the network body
 * is read once, by its reader, with the session's bounds (maxResponseSize,
 * signal) applied as usual. `commit` runs, and is awaited before the reader
 * sees the end, only when the body arrived whole and within `limit` bytes:
 * a body cut short, cancelled or too large is not stored.
 *
 * The chunks come decoded from the inner response (which checked the
 * encoded bytes against Content-Length), so the new Response says
 * `decoded: true`. While it is read, a Content-Length next to a
 * Content-Encoding is hidden (core would count decoded bytes against it)
 * and put back once the body is complete.
 */
export function teeResponse(
  inner: Response,
  limit: number,
  commit: (body: Uint8Array) => Promise<void>,
): Response {
  // Cancelling must free the connection even while the inner body waits for data: the inner
  // read obeys this signal (its iterator cannot be returned while a read is pending).
  const stop = new AbortController();
  inner.limitBody({ signal: stop.signal });
  const headers = inner.headers;
  const encodedLength = headers.has('content-encoding') ? headers.get('content-length') : undefined;
  if (encodedLength !== undefined) headers.delete('content-length');
  const complete = async (body: Uint8Array | undefined) => {
    if (encodedLength !== undefined) headers.set('Content-Length', encodedLength);
    if (body) await commit(body);
  };
  const source: BodySource = {
    async *[Symbol.asyncIterator]() {
      const chunks: Uint8Array[] = [];
      let size = 0;
      let keep = true;
      for await (const chunk of inner.iterContent()) {
        if (keep) {
          size += chunk.byteLength;
          if (size > limit) {
            keep = false;
            chunks.length = 0;
          } else chunks.push(chunk);
        }
        yield chunk;
      }
      await complete(keep ? concat(chunks, size) : undefined);
    },
    // The whole body at once when core wants it so (stream: false, no size limit to apply as it goes).
    async readAll() {
      const body = await inner.read();
      await complete(body.byteLength <= limit ? body : undefined);
      return body;
    },
    cancel() {
      stop.abort();
    },
  };
  const out = new Response({
    statusCode: inner.statusCode,
    reason: inner.reason,
    headers,
    url: inner.url,
    request: inner.request,
    httpVersion: inner.httpVersion,
    body: source,
    decoded: true,
    elapsed: inner.elapsed,
    timings: inner.timings,
    trailers: inner.trailers,
  });
  out.history = inner.history;
  carryExtras(inner, out);
  return out;
}
