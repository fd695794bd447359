import {
  ChunkedEncodingError,
  ConnectionError,
  ConnectTimeoutError,
  InvalidHeaderError,
  isTlsErrorCode,
  type PreparedRequest,
  ProxyError,
  ReadTimeoutError,
  RequestError,
  SSLError,
} from '@sess/core';

/** How far one exchange got when it failed; the same undici error means different things at each stage. */
export type Phase =
  /** Not yet on a connection: connecting, TLS, or the proxy tunnel. Nothing reached the server. */
  | 'connect'
  /** Written (or being written) on a connection, no response headers yet. */
  | 'request'
  /** Headers received; reading the body. */
  | 'body';

/** The connection dropped: what a keep-alive connection closed by the server looks like. */
const DROPPED = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** `err.code` when it is a string. */
export function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A TLS failure: an untrusted or mismatched certificate, or a handshake/protocol error. */
export function isTlsError(code: string | undefined): boolean {
  return isTlsErrorCode(code);
}

/** The connection was closed or reset under the request (as opposed to a timeout or a TLS failure). */
export function isDropped(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && DROPPED.has(code);
}

export interface ErrorContext {
  request: PreparedRequest;
  phase: Phase;
  /** A proxy carries the request: a failure before the request was written is the proxy's. */
  viaProxy: boolean;
}

/**
 * Maps an undici or socket error onto the most specific sess error; the
 * original is kept as `cause`. sess errors pass through unchanged.
 */
export function mapError(err: unknown, ctx: ErrorContext): RequestError {
  if (err instanceof RequestError) {
    err.request ??= ctx.request;
    return err;
  }
  const { request, phase, viaProxy } = ctx;
  const code = codeOf(err);
  const detail = (err as Error | null)?.message || String(err);
  const opts = { request, cause: err };
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new ConnectTimeoutError(`Connection timed out: ${detail}`, opts);
    case 'UND_ERR_HEADERS_TIMEOUT':
      // Before the request is on a connection this can only be the proxy's answer to CONNECT.
      return phase === 'connect'
        ? new ConnectTimeoutError(`Timed out waiting for the proxy to open a tunnel: ${detail}`, opts)
        : new ReadTimeoutError(`Read timed out waiting for the response headers: ${detail}`, opts);
    case 'UND_ERR_BODY_TIMEOUT':
      return new ReadTimeoutError(`Read timed out waiting for the response body: ${detail}`, opts);
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
      return new InvalidHeaderError(`The Content-Length header does not match the body: ${detail}`, opts);
    case 'UND_ERR_INVALID_ARG':
      if (viaProxy && /\b407\b/.test(detail)) {
        return new ProxyError(`Proxy authentication required: ${detail}`, opts);
      }
      if (/header/i.test(detail)) return new InvalidHeaderError(`Invalid request header: ${detail}`, opts);
      return new RequestError(`Invalid request: ${detail}`, opts);
    case 'UND_ERR_NOT_SUPPORTED':
      return new RequestError(`Not supported: ${detail}`, opts);
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return new ConnectionError(`The adapter was closed: ${detail}`, opts);
  }
  if (isTlsError(code)) {
    // OpenSSL's record-layer text for a server that answered the handshake in plain HTTP.
    if (
      code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
      /wrong version number|packet length too long|http request/i.test(detail)
    ) {
      return new SSLError(
        'TLS handshake failed: the server answered in plain HTTP, not TLS (is the URL meant to be http://, or the port wrong?)',
        opts,
      );
    }
    return new SSLError(`TLS error: ${detail}`, opts);
  }
  if (phase === 'body') {
    return new ChunkedEncodingError(`The response body ended early or broke off: ${detail}`, opts);
  }
  if (viaProxy && phase === 'connect') {
    return new ProxyError(`Unable to connect through the proxy: ${detail}`, opts);
  }
  return new ConnectionError(`Connection failed: ${detail}`, opts);
}
