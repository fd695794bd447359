/**
 * Every error sess raises. The hierarchy mirrors requests' exceptions:
 *
 * RequestError                      ERR_SESS_REQUEST
 * ├── HTTPError                     ERR_SESS_HTTP              (raiseForStatus)
 * ├── ConnectionError               ERR_SESS_CONNECTION
 * │   ├── ProxyError                ERR_SESS_PROXY
 * │   ├── SSLError                  ERR_SESS_SSL
 * │   └── ConnectTimeoutError       ERR_SESS_CONNECT_TIMEOUT   (also a TimeoutError)
 * ├── TimeoutError                  ERR_SESS_TIMEOUT           (a `total` budget ran out)
 * │   ├── ReadTimeoutError          ERR_SESS_READ_TIMEOUT
 * │   └── PoolTimeoutError          ERR_SESS_POOL_TIMEOUT      (no pooled connection free within timeout.pool)
 * ├── TooManyRedirectsError         ERR_SESS_TOO_MANY_REDIRECTS
 * ├── MissingSchemaError            ERR_SESS_MISSING_SCHEMA
 * ├── InvalidSchemaError            ERR_SESS_INVALID_SCHEMA
 * ├── InvalidURLError               ERR_SESS_INVALID_URL
 * │   └── InvalidProxyURLError      ERR_SESS_INVALID_PROXY_URL
 * ├── InvalidHeaderError            ERR_SESS_INVALID_HEADER
 * ├── ChunkedEncodingError          ERR_SESS_CHUNKED_ENCODING  (body ended early or broke mid-way)
 * ├── ContentDecodingError          ERR_SESS_CONTENT_DECODING
 * ├── ResponseTooLargeError         ERR_SESS_RESPONSE_TOO_LARGE (decoded body over maxResponseSize)
 * ├── StreamConsumedError           ERR_SESS_STREAM_CONSUMED
 * ├── UnrewindableBodyError         ERR_SESS_UNREWINDABLE_BODY (a one-shot body cannot be sent twice)
 * ├── RetryError                    ERR_SESS_RETRY
 * ├── JSONDecodeError               ERR_SESS_JSON_DECODE
 * ├── CookieConflictError           ERR_SESS_COOKIE_CONFLICT
 * ├── SessionClosedError            ERR_SESS_SESSION_CLOSED    (a programming error: the session was closed)
 * └── AbortError                    ERR_SESS_ABORTED           (the caller's AbortSignal fired)
 *
 * `instanceof` works across two installed copies of @sess/core: each class
 * checks a brand registered under `Symbol.for`, not only its prototype chain.
 */
import type { Subjects } from './subjects.js';

// Named through the registry (subjects.ts says why): every module below PreparedRequest raises these errors.
type PreparedRequest = Subjects['PreparedRequest'];
type Request = Subjects['Request'];
type Response = Subjects['Response'];

const BRANDS = Symbol.for('sess.error.brands');

type Branded = { [BRANDS]?: readonly string[] };

/** What every sess error may carry besides its message. */
export interface RequestErrorOptions {
  request?: PreparedRequest | Request | undefined;
  response?: Response | undefined;
  cause?: unknown;
}

/** The base of every error sess raises (requests' `RequestException`). */
export class RequestError extends Error {
  /** Stable machine-readable code, `ERR_SESS_…`. */
  readonly code: string;
  /** The request that failed, when there was one. */
  request: PreparedRequest | Request | undefined;
  /** The response, when one was received. */
  response: Response | undefined;
  declare readonly [BRANDS]: readonly string[];

  /** The brand names this class answers `instanceof` for, across installs. */
  static readonly brand: string = 'RequestError';
  static readonly defaultCode: string = 'ERR_SESS_REQUEST';
  /** Extra classes an error counts as, beyond its prototype chain. */
  static readonly alsoBrands: readonly string[] = [];

  constructor(message: string, options: RequestErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const ctor = new.target as unknown as typeof RequestError;
    this.name = ctor.brand;
    this.code = ctor.defaultCode;
    this.request = options.request ?? options.response?.request;
    this.response = options.response;
    const brands: string[] = [];
    for (let c: unknown = ctor; typeof c === 'function' && 'brand' in c; c = Object.getPrototypeOf(c)) {
      const k = c as typeof RequestError;
      if (Object.hasOwn(k, 'brand')) brands.push(k.brand);
      if (Object.hasOwn(k, 'alsoBrands')) brands.push(...k.alsoBrands);
    }
    Object.defineProperty(this, BRANDS, { value: Object.freeze(brands), enumerable: false });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null) return false;
    const brands = (value as Branded)[BRANDS];
    return Array.isArray(brands) && brands.includes(this.brand);
  }
}

/** Raised by `raiseForStatus()` for 4xx and 5xx responses. */
export class HTTPError extends RequestError {
  static override readonly brand = 'HTTPError';
  static override readonly defaultCode = 'ERR_SESS_HTTP';
}
/** The connection could not be made or broke before a response arrived. */
export class ConnectionError extends RequestError {
  static override readonly brand: string = 'ConnectionError';
  static override readonly defaultCode: string = 'ERR_SESS_CONNECTION';
}
/** The proxy refused or failed the request. */
export class ProxyError extends ConnectionError {
  static override readonly brand = 'ProxyError';
  static override readonly defaultCode = 'ERR_SESS_PROXY';
}
/** TLS failed: certificate not trusted, hostname mismatch, handshake error. */
export class SSLError extends ConnectionError {
  static override readonly brand = 'SSLError';
  static override readonly defaultCode = 'ERR_SESS_SSL';
}
/** A time budget ran out. `ConnectTimeoutError` and `ReadTimeoutError` say which. */
export class TimeoutError extends RequestError {
  static override readonly brand: string = 'TimeoutError';
  static override readonly defaultCode: string = 'ERR_SESS_TIMEOUT';
}
/** Connecting took longer than `timeout.connect`. Also a `TimeoutError`; safe to retry. */
export class ConnectTimeoutError extends ConnectionError {
  static override readonly brand = 'ConnectTimeoutError';
  static override readonly defaultCode = 'ERR_SESS_CONNECT_TIMEOUT';
  static override readonly alsoBrands = ['TimeoutError'];
}
/** The server sent nothing for longer than `timeout.read`. */
export class ReadTimeoutError extends TimeoutError {
  static override readonly brand = 'ReadTimeoutError';
  static override readonly defaultCode = 'ERR_SESS_READ_TIMEOUT';
}
/**
 * No pooled connection became free within `timeout.pool` (httpx's
 * `PoolTimeout`). Nothing was sent, so the request is safe to retry.
 */
export class PoolTimeoutError extends TimeoutError {
  static override readonly brand = 'PoolTimeoutError';
  static override readonly defaultCode = 'ERR_SESS_POOL_TIMEOUT';
}
/** More than `maxRedirects` redirects; `.response` is the last one. */
export class TooManyRedirectsError extends RequestError {
  static override readonly brand = 'TooManyRedirectsError';
  static override readonly defaultCode = 'ERR_SESS_TOO_MANY_REDIRECTS';
}
/** The URL has no scheme (`example.com/path`). */
export class MissingSchemaError extends RequestError {
  static override readonly brand = 'MissingSchemaError';
  static override readonly defaultCode = 'ERR_SESS_MISSING_SCHEMA';
}
/** No adapter is mounted for the URL's scheme (`file:`, `ftp:` …). */
export class InvalidSchemaError extends RequestError {
  static override readonly brand = 'InvalidSchemaError';
  static override readonly defaultCode = 'ERR_SESS_INVALID_SCHEMA';
}
/** The URL cannot be parsed or has no host. */
export class InvalidURLError extends RequestError {
  static override readonly brand: string = 'InvalidURLError';
  static override readonly defaultCode: string = 'ERR_SESS_INVALID_URL';
}
/** A proxy URL that cannot be used: unparseable, or without a host. */
export class InvalidProxyURLError extends InvalidURLError {
  static override readonly brand = 'InvalidProxyURLError';
  static override readonly defaultCode = 'ERR_SESS_INVALID_PROXY_URL';
}
/** A header name or value would corrupt the request (CR, LF, NUL, leading space, bad token). */
export class InvalidHeaderError extends RequestError {
  static override readonly brand = 'InvalidHeaderError';
  static override readonly defaultCode = 'ERR_SESS_INVALID_HEADER';
}
/** The body ended before its declared length or broke mid-way. */
export class ChunkedEncodingError extends RequestError {
  static override readonly brand = 'ChunkedEncodingError';
  static override readonly defaultCode = 'ERR_SESS_CHUNKED_ENCODING';
}
/** The body could not be decompressed. */
export class ContentDecodingError extends RequestError {
  static override readonly brand = 'ContentDecodingError';
  static override readonly defaultCode = 'ERR_SESS_CONTENT_DECODING';
}
/** The decoded body grew past `maxResponseSize` (a session and request option). */
export class ResponseTooLargeError extends RequestError {
  static override readonly brand = 'ResponseTooLargeError';
  static override readonly defaultCode = 'ERR_SESS_RESPONSE_TOO_LARGE';
}
/** The body was already consumed, or (with `stream: true`) not read yet. */
export class StreamConsumedError extends RequestError {
  static override readonly brand = 'StreamConsumedError';
  static override readonly defaultCode = 'ERR_SESS_STREAM_CONSUMED';
}
/** A one-shot body (a stream) would have to be sent again (307/308, digest retry). */
export class UnrewindableBodyError extends RequestError {
  static override readonly brand = 'UnrewindableBodyError';
  static override readonly defaultCode = 'ERR_SESS_UNREWINDABLE_BODY';
}
/** Retries are exhausted (raised by @sess/plugin-retry). */
export class RetryError extends RequestError {
  static override readonly brand = 'RetryError';
  static override readonly defaultCode = 'ERR_SESS_RETRY';
}
/** What a {@link JSONDecodeError} carries besides the common options. */
export interface JSONDecodeErrorOptions extends RequestErrorOptions {
  /** The text that failed to parse. */
  doc?: string | undefined;
  /** Where in `doc` parsing failed (a string index); `undefined` when unknown. */
  pos?: number | undefined;
}

/**
 * `response.json()` met a body that is not JSON (Python's
 * `json.JSONDecodeError`, which requests re-raises). The message says what
 * and where (`Unexpected token at position 12 (line 1 column 13)`) but never
 * quotes the body, so logging the error cannot leak what the body holds;
 * the text itself is in `doc`.
 */
export class JSONDecodeError extends RequestError {
  static override readonly brand = 'JSONDecodeError';
  static override readonly defaultCode = 'ERR_SESS_JSON_DECODE';
  /**
   * The text that failed to parse: the body, decoded, without its BOM.
   * Not enumerable, so `console.log(err)`, `util.inspect` and
   * `JSON.stringify` leave it out; read it deliberately.
   */
  declare readonly doc: string;
  /** Where in `doc` parsing failed: a string index (UTF-16 code units); `undefined` when unknown. */
  readonly pos: number | undefined;
  /** The 1-based line of `pos` (lines end at \n); `undefined` when `pos` is. */
  readonly lineno: number | undefined;
  /** The 1-based column of `pos` on its line; `undefined` when `pos` is. */
  readonly colno: number | undefined;

  constructor(message: string, options: JSONDecodeErrorOptions = {}) {
    super(message, options);
    const doc = options.doc ?? '';
    Object.defineProperty(this, 'doc', { value: doc, enumerable: false });
    this.pos = options.pos;
    if (options.pos === undefined) {
      this.lineno = undefined;
      this.colno = undefined;
    } else {
      const before = doc.slice(0, options.pos);
      const lastBreak = before.lastIndexOf('\n');
      this.lineno = before.split('\n').length;
      this.colno = options.pos - lastBreak;
    }
  }
}
/** `jar.get(name)` matched cookies of that name on several domains or paths. */
export class CookieConflictError extends RequestError {
  static override readonly brand = 'CookieConflictError';
  static override readonly defaultCode = 'ERR_SESS_COOKIE_CONFLICT';
}
/**
 * The session was closed before (or while) the request was made. A
 * programming error, not a network one: retrying will not help.
 */
export class SessionClosedError extends RequestError {
  static override readonly brand = 'SessionClosedError';
  static override readonly defaultCode = 'ERR_SESS_SESSION_CLOSED';
}
/** The caller's `AbortSignal` fired; `.cause` is the signal's reason. */
export class AbortError extends RequestError {
  static override readonly brand = 'AbortError';
  static override readonly defaultCode = 'ERR_SESS_ABORTED';
}
