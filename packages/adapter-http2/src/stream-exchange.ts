import { type ClientHttp2Stream, constants, type OutgoingHttpHeaders } from 'node:http2';
import {
  abortReason,
  ConnectionError,
  Headers,
  type PreparedRequest,
  ReadTimeoutError,
  RequestError,
  Response,
} from '@sess/core';
import { Http2Body } from './body-source.js';
import { codeOf, mapError, Unprocessed } from './errors.js';
import type { PooledSession } from './pooled-session.js';
import { headerListSize, toHeaders } from './response-headers.js';
import { type UploadClock, type UploadState, writeBody } from './upload.js';
import { NO_WATCHDOG, Watchdog } from './watchdog.js';

/** One request on one stream. */
export interface ExchangeInit {
  /** A session with a slot reserved for this request. */
  readonly session: PooledSession;
  readonly request: PreparedRequest;
  readonly headers: OutgoingHttpHeaders;
  readonly signal: AbortSignal | undefined;
  readonly readTimeout: number | undefined;
  readonly maxHeaderListSize: number;
  readonly viaProxy: boolean;
  /** `performance.now()` when send() was called, for `elapsed`. */
  readonly startedAt: number;
  readonly upload: UploadState;
  /** Registers a way for the adapter's close() to fail this exchange; returns the unregister. */
  readonly track: (cancel: () => void) => () => void;
}

/** Errors of `session.request()` that mean the session takes no more streams: nothing was sent. */
const SESSION_GONE = new Set([
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_HTTP2_OUT_OF_STREAMS',
]);

/** session.request() options: one object each, never changed (Node copies what it is given). */
const END_STREAM = Object.freeze({ endStream: true });
const MORE_TO_COME = Object.freeze({ endStream: false });

/** HEAD and 204/304 answers carry no body (RFC 9110 §6.4.1). */
function hasBody(method: string, status: number): boolean {
  return method !== 'HEAD' && status !== 204 && status !== 304;
}

/**
 * Sends one request on a stream and resolves with the Response when its
 * headers arrive, the body handed over unread. Before that: the read clock
 * watches the server's silence; the signal and the adapter's close() reset
 * the stream with CANCEL (the session lives on); a request the server
 * provably never processed rejects with `Unprocessed`, for the adapter to
 * send again.
 */
export function runExchange(x: ExchangeInit): Promise<Response> {
  const { session, request, signal } = x;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted || !session.usable) {
      // The signal fired, or a GOAWAY came, between the lease and now: nothing was sent.
      session.release();
      reject(signal?.aborted ? abortReason(signal, request) : new Unprocessed('goaway'));
      return;
    }
    let stream: ClientHttp2Stream;
    try {
      // open() gives the slot back itself when it throws.
      stream = session.open(x.headers, request.body === null ? END_STREAM : MORE_TO_COME);
    } catch (err) {
      reject(
        SESSION_GONE.has(codeOf(err) ?? '')
          ? new Unprocessed('goaway', { cause: err })
          : mapError(err, { request, phase: 'request', viaProxy: x.viaProxy }),
      );
      return;
    }

    // The stream is open: whatever came before (queue, connecting) was waiting for capacity.
    const openedAt = performance.now();
    let settled = false;
    let responded = false;
    const trailers = new Headers();
    const watchdog =
      x.readTimeout === undefined
        ? NO_WATCHDOG
        : new Watchdog(x.readTimeout, () =>
            fail(
              new ReadTimeoutError(
                `Read timed out after ${x.readTimeout} ms waiting for the response headers`,
                {
                  request,
                },
              ),
            ),
          );
    const onAbort = () => fail(abortReason(signal as AbortSignal, request));
    const untrack = x.track(() => fail(new ConnectionError('The adapter was closed', { request })));
    signal?.addEventListener('abort', onAbort, { once: true });

    const cleanup = () => {
      settled = true;
      watchdog.disarm();
      signal?.removeEventListener('abort', onAbort);
      untrack();
    };
    function fail(err: unknown): void {
      if (settled) return;
      cleanup();
      if (!stream.closed && !stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
      stream.resume();
      reject(err);
    }
    /** Why a stream ended before its headers: never sent or refused (safe to resend), or a failure. */
    const classify = (err: unknown): unknown => {
      if (err instanceof RequestError) return err;
      const goaway = session.goawayLastStreamId;
      const id = stream.id;
      if (id === undefined || (goaway !== undefined && id > goaway)) {
        return new Unprocessed('goaway', { cause: err, progress: goaway !== undefined && goaway > 0 });
      }
      if (stream.rstCode === constants.NGHTTP2_REFUSED_STREAM)
        return new Unprocessed('refused', { cause: err });
      const cause =
        err ?? new Error(`The HTTP/2 stream closed before the response headers (code ${stream.rstCode})`);
      return mapError(cause, { request, phase: 'request', viaProxy: x.viaProxy });
    };

    // Only before the response: classifying builds an error (a stack trace: 30 µs a request when every
    // stream's normal 'close' went through it), and after the response the body source takes over.
    let body: Http2Body | null = null;
    stream.on('error', (err) => {
      if (!settled) fail(classify(err));
      else body?.streamError(err);
    });
    stream.once('close', () => {
      session.streamClosed(responded);
      if (!settled) fail(classify(undefined));
      else body?.streamClosed();
    });
    // A 1xx answer: the server is alive, the clock starts over.
    if (x.readTimeout !== undefined)
      stream.on('headers', () => {
        if (!settled) watchdog.arm();
      });
    stream.on('trailers', (fields) => {
      try {
        toHeaders(fields, undefined, trailers);
      } catch {
        // A trailer field core refuses (control characters) is dropped; the body itself is complete.
      }
    });
    stream.once('response', (fields, flags, ...rest: unknown[]) => {
      responded = true;
      session.streamResponded();
      if (settled) return;
      if (headerListSize(fields, rest[0]) > x.maxHeaderListSize) {
        fail(
          new ConnectionError(
            `The response headers are larger than maxHeaderListSize (${x.maxHeaderListSize} bytes)`,
            { request },
          ),
        );
        return;
      }
      let headers: Headers;
      try {
        headers = toHeaders(fields, rest[0]);
      } catch (err) {
        fail(err);
        return;
      }
      cleanup();
      const statusCode = Number(fields[':status']);
      if (hasBody(request.method, statusCode)) {
        body = new Http2Body({ stream, request, readTimeout: x.readTimeout, signal, viaProxy: x.viaProxy });
      } else {
        // Nothing to read: let a stream that ends on its own end, reset one that would send more.
        if (!(flags & constants.NGHTTP2_FLAG_END_STREAM)) stream.close(constants.NGHTTP2_CANCEL);
        stream.resume();
      }
      resolve(
        new Response({
          statusCode,
          reason: '',
          headers,
          url: request.url,
          request,
          httpVersion: '2',
          body,
          elapsed: performance.now() - x.startedAt,
          // Waiting for a session (connecting, or stream capacity) and the time to the first byte.
          timings: { wait: openedAt - x.startedAt, firstByte: performance.now() - openedAt },
          trailers,
        }),
      );
    });

    watchdog.arm();
    const upload = request.body;
    if (upload !== null) {
      const clock: UploadClock = {
        server: () => {
          if (!responded && !settled) watchdog.arm();
        },
        caller: () => watchdog.disarm(),
      };
      writeBody(stream, upload, clock, x.upload).catch((err: unknown) => {
        // After the headers the response is the caller's; a half-sent request must still not hang the server.
        if (settled && !stream.closed && !stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
        fail(
          new RequestError(
            `The request body could not be read: ${err instanceof Error ? err.message : String(err)}`,
            { request, cause: err },
          ),
        );
      });
    }
  });
}
