import type { SessionCookieJar } from './cookie-jar.js';
import { HTTPError, JSONDecodeError, RequestError, StreamConsumedError } from './errors.js';
import { Headers, type HeadersInit } from './headers.js';
import { type Link, parseLinkHeader } from './links.js';
import type { PreparedRequest } from './prepared-request.js';

/**
 * A response body that has not been read yet: chunks as they arrive, and a
 * way to give the connection back without reading the rest.
 */
export interface BodySource extends AsyncIterable<Uint8Array> {
  /** Stop reading and release the connection. Must be safe to call twice. */
  cancel(): void | Promise<void>;
}

/** What an adapter knows when it builds a Response. */
export interface ResponseInit {
  statusCode: number;
  reason?: string | undefined;
  headers?: HeadersInit | undefined;
  /** The final URL of this hop. */
  url: string;
  request: PreparedRequest;
  httpVersion?: '1.0' | '1.1' | '2' | undefined;
  /** Bytes already read, or a source to read them from later. */
  body?: Uint8Array | BodySource | null | undefined;
  /** Milliseconds from sending the request to receiving the headers. */
  elapsed?: number | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// An adapter built against another installed copy of @sess/core still returns a Response.
const BRAND = Symbol.for('sess.response');
const EMPTY = new Uint8Array(0);

/** Reason phrases for the codes Node's HTTP/2 and some servers leave blank. */
const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  418: "I'm a Teapot",
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The server's answer to one hop (requests' `Response`).
 *
 * With `stream: false` the session reads the body before handing the
 * response over, so `content`, `text` and `json()` are synchronous. With
 * `stream: true` read it with `iterContent()`, `iterLines()` or
 * `await read()`; `content` before that throws StreamConsumedError instead
 * of blocking.
 */
export class Response {
  readonly statusCode: number;
  readonly reason: string;
  readonly headers: Headers;
  /** The URL of this hop (after redirects, the last one). */
  url: string;
  /** The redirect responses that led here, oldest first. */
  history: Response[] = [];
  /** Milliseconds from sending the request to receiving the headers. */
  elapsed: number;
  readonly httpVersion: '1.0' | '1.1' | '2';
  /** The request that produced this response. */
  request: PreparedRequest;

  #content: Uint8Array | undefined;
  #source: BodySource | undefined;
  #consumed = false;
  #reading: Promise<Uint8Array> | undefined;
  #encoding: string | undefined;
  #cookies: SessionCookieJar | undefined;
  #cookieFactory: (() => SessionCookieJar) | undefined;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
  }

  constructor(init: ResponseInit) {
    Object.defineProperty(this, BRAND, { value: true });
    this.statusCode = init.statusCode;
    this.reason = init.reason || REASONS[init.statusCode] || '';
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.url = init.url;
    this.request = init.request;
    this.httpVersion = init.httpVersion ?? '1.1';
    this.elapsed = init.elapsed ?? 0;
    const body = init.body;
    if (body === null || body === undefined) this.#content = EMPTY;
    else if (body instanceof Uint8Array) this.#content = body;
    else this.#source = body;
  }

  /** `true` for status codes below 400. */
  get ok(): boolean {
    return this.statusCode < 400;
  }

  /** A redirect the session would follow: a 3xx that names a Location. */
  get isRedirect(): boolean {
    return REDIRECTS.has(this.statusCode) && this.headers.has('location');
  }

  /** 301 or 308 with a Location. */
  get isPermanentRedirect(): boolean {
    return (this.statusCode === 301 || this.statusCode === 308) && this.headers.has('location');
  }

  /** The Link header, parsed: `{ next: { url, rel }, ... }`, URLs resolved against `url`. */
  get links(): Record<string, Link> {
    const h = this.headers.get('link');
    return h ? parseLinkHeader(h, this.url) : {};
  }

  /** The charset from Content-Type, else UTF-8. Settable, as in requests. */
  get encoding(): string {
    if (this.#encoding === undefined) this.#encoding = charsetOf(this.headers.get('content-type')) ?? 'utf-8';
    return this.#encoding;
  }
  set encoding(value: string) {
    this.#encoding = value;
  }

  /** Cookies this response set (not the session's jar). */
  get cookies(): SessionCookieJar {
    if (!this.#cookies) {
      if (!this.#cookieFactory)
        throw new TypeError('response.cookies is set by the Session that received it');
      this.#cookies = this.#cookieFactory();
    }
    return this.#cookies;
  }

  /** @internal The session supplies how to build `cookies` on first read. */
  setCookieFactory(factory: () => SessionCookieJar): void {
    this.#cookieFactory = factory;
    this.#cookies = undefined;
  }

  /** `true` once the body is fully in memory. */
  get isRead(): boolean {
    return this.#content !== undefined;
  }

  /** The whole body. Throws StreamConsumedError when it was streamed away or not read yet. */
  get content(): Uint8Array {
    if (this.#content !== undefined) return this.#content;
    if (this.#consumed)
      throw new StreamConsumedError('The body was already consumed by iterContent()', { response: this });
    throw new StreamConsumedError(
      'The body is not read yet (stream: true): use `await response.read()` or iterate `response.iterContent()` first',
      { response: this },
    );
  }

  /** The body decoded with `encoding`. */
  get text(): string {
    return decode(this.content, this.encoding);
  }

  /** The body parsed as JSON; JSONDecodeError when it is not JSON. */
  json<T = unknown>(): T {
    const text = this.text;
    try {
      return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as T;
    } catch (cause) {
      throw new JSONDecodeError(`Response body is not valid JSON: ${(cause as Error).message}`, {
        response: this,
        cause,
      });
    }
  }

  /** Throws HTTPError for a 4xx or 5xx status; returns the response otherwise. */
  raiseForStatus(): this {
    const kind =
      this.statusCode >= 500 ? 'Server Error' : this.statusCode >= 400 ? 'Client Error' : undefined;
    if (kind) {
      throw new HTTPError(`${this.statusCode} ${kind}: ${this.reason} for url: ${this.url}`, {
        response: this,
      });
    }
    return this;
  }

  /** Reads the rest of the body into memory (once) and returns it. */
  async read(): Promise<Uint8Array> {
    if (this.#content !== undefined) return this.#content;
    // A read already under way: share it rather than report the body as consumed.
    if (this.#reading) return this.#reading;
    if (this.#consumed)
      throw new StreamConsumedError('The body was already consumed by iterContent()', { response: this });
    this.#reading = this.#readAll(this.#takeSource());
    try {
      return await this.#reading;
    } finally {
      this.#reading = undefined;
    }
  }

  async #readAll(source: BodySource): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of source) {
        chunks.push(chunk);
        size += chunk.byteLength;
      }
    } catch (err) {
      await source.cancel();
      throw attach(err, this);
    }
    this.#content = concat(chunks, size);
    return this.#content;
  }

  /**
   * The body in chunks as they arrive; with `chunkSize`, re-cut to that many
   * bytes (the last chunk may be shorter). An already-read body is replayed
   * from memory.
   */
  async *iterContent(chunkSize?: number): AsyncGenerator<Uint8Array, void, undefined> {
    if (chunkSize !== undefined && (!Number.isInteger(chunkSize) || chunkSize <= 0)) {
      throw new TypeError('chunkSize must be a positive integer');
    }
    if (this.#content !== undefined) {
      const c = this.#content;
      const step = chunkSize ?? (c.byteLength || 1);
      for (let i = 0; i < c.byteLength; i += step) yield c.subarray(i, i + step);
      return;
    }
    if (this.#consumed)
      throw new StreamConsumedError('The body was already consumed by iterContent()', { response: this });
    const source = this.#takeSource();
    let done = false;
    try {
      if (chunkSize === undefined) {
        for await (const chunk of source) yield chunk;
      } else {
        let pending: Uint8Array[] = [];
        let pendingSize = 0;
        for await (const chunk of source) {
          pending.push(chunk);
          pendingSize += chunk.byteLength;
          if (pendingSize < chunkSize) continue;
          const all = concat(pending, pendingSize);
          let i = 0;
          for (; i + chunkSize <= all.byteLength; i += chunkSize) yield all.subarray(i, i + chunkSize);
          pending = i < all.byteLength ? [all.subarray(i)] : [];
          pendingSize = all.byteLength - i;
        }
        if (pendingSize > 0) yield concat(pending, pendingSize);
      }
      done = true;
    } catch (err) {
      throw attach(err, this);
    } finally {
      // Breaking out of the loop early must still give the connection back.
      if (!done) await source.cancel();
    }
  }

  /** The body as lines (split on \n, \r\n or \r), decoded with `encoding`. */
  async *iterLines(): AsyncGenerator<string, void, undefined> {
    const decoder = new TextDecoder(safeLabel(this.encoding));
    let rest = '';
    for await (const chunk of this.iterContent()) {
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

  /** Releases the connection; an unread body is discarded. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#source && !this.#consumed) {
      const source = this.#takeSource();
      await source.cancel();
    }
  }

  /** `await using res = await s.get(...)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #takeSource(): BodySource {
    const source = this.#source as BodySource;
    this.#consumed = true;
    this.#source = undefined;
    return source;
  }

  /** @internal Node's inspect / console.log. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `<Response [${this.statusCode}]>`;
  }
}

function attach(err: unknown, response: Response): unknown {
  // The same result as `new XError(message, { response })`: the response and the request it answers.
  if (err instanceof RequestError && err.response === undefined) {
    err.response = response;
    err.request ??= response.request;
  }
  return err;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/** The charset parameter of a Content-Type, unquoted and lower-cased. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return m?.[2]?.toLowerCase();
}

// One decoder per label: building a TextDecoder (and validating its label) per response adds up on the hot path.
const decoders = new Map<string, Decoder>();
type Decoder = InstanceType<typeof TextDecoder>;

function decoderFor(label: string): Decoder {
  let d = decoders.get(label);
  if (!d) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = decoderFor('utf-8');
    }
    if (decoders.size < 64) decoders.set(label, d);
  }
  return d;
}

function safeLabel(label: string): string {
  return decoderFor(label).encoding;
}

function decode(bytes: Uint8Array, label: string): string {
  return decoderFor(label).decode(bytes);
}
