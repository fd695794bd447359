import type { Readable } from 'node:stream';
import {
  type BodyLimits,
  type BodyPlan,
  type BodySource,
  decodedChunks,
  planBody,
  readWhole,
  readWholeNow,
} from './body-source.js';
import { charsetOf, decodeText } from './charset.js';
import type { ResponseCookieJar, SessionCookieJar } from './cookie-jar.js';
import { attachResponse } from './error-context.js';
import { HTTPError, StreamConsumedError } from './errors.js';
import { Headers } from './headers.js';
import { jsonText, parseJson } from './json-text.js';
import { type Link, parseLinkHeader } from './links.js';
import type { PreparedRequest } from './prepared-request.js';
import { REASONS } from './reasons.js';
import type { ResponseInit } from './response-init.js';
import { bodyLines, decodeChunks, nodeStream, rechunk, webStream } from './response-streams.js';
import { finishTimings, type Timings } from './timings.js';

export type { BodySource, ResponseInit };

// Registered for the modules below (subjects.ts says why): errors and hooks name it from there.
declare module './subjects.js' {
  interface Subjects {
    Response: Response;
  }
}

/** How `iterContent()` cuts and decodes the body. */
export interface IterContentOptions {
  /** Re-cut the chunks to this many bytes (the last may be shorter); as they arrive when left out. */
  chunkSize?: number | undefined;
  /**
   * Yield strings decoded with `encoding` (as it is when iteration starts),
   * incrementally: a character split between chunks comes out whole.
   */
  decodeUnicode?: boolean | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// An adapter built against another installed copy of @sess/core still returns a Response.
const BRAND = Symbol.for('sess.response');
const EMPTY = new Uint8Array(0);
const NO_LIMITS: BodyLimits = Object.freeze({});

/**
 * The server's answer to one hop (requests' `Response`).
 *
 * With `stream: false` the session reads the body before handing the
 * response over, so `content`, `text` and `json()` are synchronous. With
 * `stream: true` read it with `iterContent()`, `iterLines()` or
 * `await read()`; `content` before that throws StreamConsumedError instead
 * of blocking. Core owns the body: it decodes it, bounds it by
 * `maxResponseSize` and checks it against Content-Length, whatever adapter
 * produced it.
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
  /** Where the hop's time went (ms), as far as the adapter could tell; complete once the body is read. */
  readonly timings: Timings | undefined;
  readonly #headersAt = performance.now();
  readonly httpVersion: '1.0' | '1.1' | '2';
  /** The request that produced this response. */
  request: PreparedRequest;
  /** `true` when a cache answered, not the server. */
  readonly fromCache: boolean;

  #content: Uint8Array | undefined;
  #source: BodySource | undefined;
  #decoded: boolean;
  #limits: BodyLimits = NO_LIMITS;
  #consumed = false;
  #reading: Promise<Uint8Array> | undefined;
  /** Set by the `encoding` setter only. */
  #encoding: string | undefined;
  /** The Content-Type charset, looked up once; `null`: none. */
  #charset: string | null | undefined;
  #body: ReadableStream<Uint8Array> | undefined;
  #cookies: SessionCookieJar | undefined;
  #cookieFactory: (() => SessionCookieJar) | undefined;
  #trailers: Headers | undefined;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
  }

  constructor(init: ResponseInit) {
    this.statusCode = init.statusCode;
    this.reason = init.reason || REASONS[init.statusCode] || '';
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.url = init.url;
    this.request = init.request;
    this.httpVersion = init.httpVersion ?? '1.1';
    this.elapsed = init.elapsed ?? 0;
    this.timings = init.timings;
    this.fromCache = init.fromCache ?? false;
    this.#trailers = init.trailers;
    this.#decoded = init.decoded ?? false;
    const body = init.body;
    if (body === null || body === undefined) this.#content = EMPTY;
    else if (body instanceof Uint8Array) this.#content = body;
    else if (!hasBody(init.request.method, init.statusCode)) {
      // HEAD, 204 and 304 have no body whatever the headers say: release the connection now.
      this.#content = EMPTY;
      void body.cancel();
    } else this.#source = body;
  }

  /** Trailer fields, filled in when the body has been read (empty when there were none). */
  get trailers(): Headers {
    this.#trailers ??= new Headers();
    return this.#trailers;
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
    return this.#encoding ?? this.#declaredCharset() ?? 'utf-8';
  }
  set encoding(value: string) {
    this.#encoding = value;
  }

  /** Cookies this response set (not the session's jar). */
  get cookies(): ResponseCookieJar {
    if (!this.#cookies) {
      if (!this.#cookieFactory)
        throw new TypeError('response.cookies is set by the Session that received it');
      this.#cookies = this.#cookieFactory();
    }
    // The session's jar made it (createEmpty), so it is of the jar package's type.
    return this.#cookies as ResponseCookieJar;
  }

  /** @internal The session supplies how to build `cookies` on first read. */
  setCookieFactory(factory: () => SessionCookieJar): void {
    this.#cookieFactory = factory;
    this.#cookies = undefined;
  }

  /**
   * @internal The session's bounds on reading the body: `maxResponseSize`
   * and the request's signal. Set once, by the first hop that sees the
   * response; a body already read is not affected.
   */
  limitBody(limits: BodyLimits): void {
    if (this.#limits === NO_LIMITS) this.#limits = limits;
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
    return decodeText(this.content, this.encoding);
  }

  /**
   * The body parsed as JSON; JSONDecodeError (with `doc` and `pos`, its
   * message free of the body) when it is not JSON. Decoded with the
   * Content-Type charset or an `encoding` you set; without either, UTF-8,
   * UTF-16 or UTF-32 as the bytes show (RFC 4627 §3: a BOM, or the zero
   * bytes among the first four, as requests' `guess_json_utf`).
   */
  json<T = unknown>(): T {
    return parseJson<T>(jsonText(this.content, this.#encoding ?? this.#declaredCharset(), 'utf-8'), this);
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
  read(): Promise<Uint8Array> {
    if (this.#content !== undefined) return Promise.resolve(this.#content);
    // A read already under way: share it rather than report the body as consumed.
    if (this.#reading) return this.#reading;
    if (this.#consumed)
      return Promise.reject(
        new StreamConsumedError('The body was already consumed by iterContent()', { response: this }),
      );
    let plan: BodyPlan;
    try {
      plan = this.#plan();
    } catch (err) {
      return Promise.reject(err);
    }
    this.#reading = readWhole(this.#takeSource(), plan, this.#limits, this.request).then(
      (content) => this.#done(content),
      (err: unknown) => {
        this.#reading = undefined;
        throw attachResponse(err, this);
      },
    );
    return this.#reading;
  }

  /**
   * @internal `read()` without a wait, when the adapter has the whole body
   * already (a small response arrives with its headers): `true` once the
   * content is in memory, `false` when it must be read with `read()`.
   */
  readNow(): boolean {
    if (this.#content !== undefined) return true;
    const source = this.#source;
    if (!source?.readComplete || this.#reading || this.#consumed) return false;
    let bytes: Uint8Array | undefined;
    try {
      bytes = readWholeNow(source, this.#plan(), this.#limits, this.request);
    } catch (err) {
      // Refused before reading (too large) or after (short): the connection goes back either way.
      void this.#takeSource().cancel();
      throw attachResponse(err, this);
    }
    if (bytes === undefined) return false;
    this.#takeSource();
    this.#done(bytes);
    return true;
  }

  #done(content: Uint8Array): Uint8Array {
    this.#content = content;
    this.#reading = undefined;
    finishTimings(this.timings, this.#headersAt, this.elapsed);
    return content;
  }

  /**
   * The body in chunks as they arrive; with `chunkSize`, re-cut to that many
   * bytes (the last chunk may be shorter); with `decodeUnicode: true`, as
   * strings decoded with `encoding`. An already-read body is replayed from
   * memory. A bare number is `{ chunkSize }`.
   */
  iterContent(options: IterContentOptions & { decodeUnicode: true }): AsyncGenerator<string, void, undefined>;
  iterContent(
    options?: number | (IterContentOptions & { decodeUnicode?: false | undefined }),
  ): AsyncGenerator<Uint8Array, void, undefined>;
  iterContent(
    options?: number | IterContentOptions,
  ): AsyncGenerator<Uint8Array, void, undefined> | AsyncGenerator<string, void, undefined>;
  iterContent(
    options?: number | IterContentOptions,
  ): AsyncGenerator<Uint8Array, void, undefined> | AsyncGenerator<string, void, undefined> {
    const { chunkSize, decodeUnicode } =
      typeof options === 'number' ? { chunkSize: options } : (options ?? {});
    const chunks = this.#chunks(chunkSize);
    return decodeUnicode ? decodeChunks(chunks, () => this.encoding) : chunks;
  }

  /** `for await (const chunk of response)`: the body's chunks, as `iterContent()` yields them. */
  [Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    return this.iterContent();
  }

  /**
   * The body as a web `ReadableStream`: the same stream on every access (as
   * fetch's `response.body`), so read it once. It takes the body on its first
   * read, not before (after `read()` it streams the content from memory).
   * Cancelling it closes the response.
   */
  get body(): ReadableStream<Uint8Array> {
    this.#body ??= webStream(this);
    return this.#body;
  }

  /**
   * The body as a Node `Readable` of bytes, for piping:
   * `await pipeline(res.toNodeStream(), createWriteStream(path))`. A new
   * stream each call, over `iterContent()`, so a body streamed once cannot
   * be streamed again (StreamConsumedError), unless it was read into
   * memory. Destroying it closes the response.
   */
  toNodeStream(): Readable {
    return nodeStream(this);
  }

  async *#chunks(chunkSize: number | undefined): AsyncGenerator<Uint8Array, void, undefined> {
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
    const chunks = decodedChunks(this.#takeSource(), this.#plan(), this.#limits, this.request);
    try {
      if (chunkSize === undefined) yield* chunks;
      else yield* rechunk(chunks, chunkSize);
      finishTimings(this.timings, this.#headersAt, this.elapsed);
    } catch (err) {
      throw attachResponse(err, this);
    }
  }

  /** The body as lines (split on \n, \r\n or \r), decoded with `encoding`. */
  iterLines(): AsyncGenerator<string, void, undefined> {
    return bodyLines(this);
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

  #declaredCharset(): string | undefined {
    if (this.#charset === undefined) this.#charset = charsetOf(this.headers.get('content-type')) ?? null;
    return this.#charset ?? undefined;
  }

  #plan(): BodyPlan {
    return planBody(this.headers, this.#decoded);
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

// On the prototype, not per instance: no defineProperty on the hot path.
Object.defineProperty(Response.prototype, BRAND, { value: true });

/** HEAD and 1xx/204/304 answers carry no body (RFC 9110 §6.4.1). */
function hasBody(method: string, status: number): boolean {
  return method !== 'HEAD' && status !== 204 && status !== 304 && status >= 200;
}
