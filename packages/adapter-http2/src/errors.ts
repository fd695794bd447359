import {
  ChunkedEncodingError,
  ConnectionError,
  ConnectTimeoutError,
  InvalidHeaderError,
  isTlsErrorCode,
  type PreparedRequest,
  ProxyError,
  RequestError,
  SSLError,
} from '@sess/core';

/** How far one request got when it failed; the same native error means different things at each stage. */
export type Phase =
  /** Waiting for a session: connecting, TLS, the proxy tunnel, the server's SETTINGS. */
  | 'connect'
  /** On a stream, no response headers yet. */
  | 'request'
  /** Headers received; reading the body. */
  | 'body';

/** What went wrong while opening a session, before any request was on it. */
export type ConnectFailureKind = 'timeout' | 'proxy' | 'tls' | 'connection';

/**
 * A failed connection attempt. One attempt serves many queued requests, so
 * it fails with this neutral error and each request gets its own sess error
 * from `mapError` (a sess error carries one `request`).
 */
export class ConnectFailure extends Error {
  constructor(
    readonly kind: ConnectFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectFailure';
  }
}

/** Why a request provably never reached the server's application, so sending it again is safe. */
export type UnprocessedReason =
  /** RST_STREAM REFUSED_STREAM (RFC 9113 §8.7). */
  | 'refused'
  /** Above the last stream id of a GOAWAY, or never given a stream id before its session went away. */
  | 'goaway';

/** Thrown by an exchange whose request the server never processed; the adapter re-sends it. */
export class Unprocessed extends Error {
  constructor(
    readonly reason: UnprocessedReason,
    options?: {
      cause?: unknown;
      /** The GOAWAY said the server processed streams on that session: it is working, just cycling connections. */
      progress?: boolean;
    },
  ) {
    super(`The server did not process the request (${reason})`, options);
    this.name = 'Unprocessed';
    this.progress = options?.progress ?? false;
  }

  readonly progress: boolean;
}

/** Node's codes for a request header it refuses to send. */
const HEADER_CODES = new Set([
  'ERR_HTTP2_INVALID_HEADER_VALUE',
  'ERR_HTTP2_INVALID_CONNECTION_HEADERS',
  'ERR_HTTP2_HEADER_SINGLE_VALUE',
  'ERR_HTTP2_INVALID_PSEUDOHEADER',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_CHAR',
]);

/** `err.code` when it is a string. */
export function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A TLS failure: an untrusted or mismatched certificate, or a handshake/protocol error. */
export function isTlsError(err: unknown): boolean {
  return isTlsErrorCode(codeOf(err));
}

export interface ErrorContext {
  request: PreparedRequest;
  phase: Phase;
  /** A proxy carries the request. */
  viaProxy: boolean;
}

/**
 * Maps a native, http2 or connect failure onto the most specific sess
 * error; the original is kept as `cause`. sess errors pass through.
 */
export function mapError(err: unknown, ctx: ErrorContext): RequestError {
  const { request, phase, viaProxy } = ctx;
  if (err instanceof RequestError) {
    err.request ??= request;
    return err;
  }
  if (err instanceof ConnectFailure) {
    const opts = { request, cause: err.cause ?? err };
    switch (err.kind) {
      case 'timeout':
        return new ConnectTimeoutError(err.message, opts);
      case 'proxy':
        return new ProxyError(err.message, opts);
      case 'tls':
        return new SSLError(err.message, opts);
      default:
        return new ConnectionError(err.message, opts);
    }
  }
  if (err instanceof Unprocessed) {
    return new ConnectionError(
      'The server refused the request without processing it, and it could not be sent again',
      { request, cause: err.cause ?? err },
    );
  }
  const detail = (err as Error | null)?.message || String(err);
  const opts = { request, cause: err };
  if (isTlsError(err)) return new SSLError(`TLS error: ${detail}`, opts);
  const code = codeOf(err);
  if (code !== undefined && HEADER_CODES.has(code)) {
    return new InvalidHeaderError(`Invalid request header: ${detail}`, opts);
  }
  if (phase === 'body') {
    return new ChunkedEncodingError(`The response body broke off: ${detail}`, opts);
  }
  if (viaProxy && phase === 'connect') {
    return new ProxyError(`Unable to connect through the proxy: ${detail}`, opts);
  }
  return new ConnectionError(`HTTP/2 connection failed: ${detail}`, opts);
}
