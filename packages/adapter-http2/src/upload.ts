import type { ClientHttp2Stream } from 'node:http2';
import type { RequestBody } from '@sess/core';

/** Bytes of an in-memory body written per `write()`, so flow control paces it like a stream. */
const SLICE = 64 * 1024;

/** Whether the read clock runs: it measures the server's silence, never the caller's. */
export interface UploadClock {
  /** We wait on the server (it is not taking more data). */
  server(): void;
  /** We wait on the caller's body source. */
  caller(): void;
}

/** What the adapter needs to know about an upload afterwards. */
export interface UploadState {
  /** A one-shot body was pulled from: it cannot be sent again. */
  started: boolean;
}

/**
 * Writes a request body with backpressure: when `write()` returns false
 * (HTTP/2 flow control or the socket is full) it waits for 'drain' before
 * pulling the next chunk, so a 20 MB upload to a slow server holds only a
 * window's worth in memory. Stops quietly when the stream ends under it (a
 * response or a reset came first). Rejects only with the body source's own
 * error.
 */
export async function writeBody(
  stream: ClientHttp2Stream,
  body: RequestBody,
  clock: UploadClock,
  state: UploadState,
): Promise<void> {
  if (body instanceof Uint8Array) {
    for (let off = 0; off < body.byteLength; off += SLICE) {
      if (!(await write(stream, body.subarray(off, off + SLICE), clock))) return;
    }
  } else {
    state.started = true;
    clock.caller();
    // Leaving the loop early (the stream ended) returns the iterator, which releases the source.
    for await (const chunk of body) {
      if (!(await write(stream, chunk, clock))) return;
      clock.caller();
    }
  }
  if (writable(stream)) stream.end();
  clock.server();
}

function writable(stream: ClientHttp2Stream): boolean {
  return !stream.destroyed && !stream.closed && !stream.writableEnded;
}

/** Writes one chunk; resolves `false` when the stream can take no more (it ended or was reset). */
async function write(stream: ClientHttp2Stream, chunk: Uint8Array, clock: UploadClock): Promise<boolean> {
  if (!writable(stream)) return false;
  if (chunk.byteLength === 0) return true;
  if (stream.write(chunk)) return true;
  clock.server();
  return drained(stream);
}

function drained(stream: ClientHttp2Stream): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    stream.once('drain', onDrain);
    stream.once('close', onClose);
  });
}
