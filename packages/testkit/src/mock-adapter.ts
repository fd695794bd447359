import {
  type Adapter,
  type BodySource,
  ConnectionError,
  Headers,
  type HeadersInit,
  type PreparedRequest,
  Response,
  raceSignal,
  type SendOptions,
  throwIfAborted,
} from '@sess/core';
import { collectBody } from './collect-body.js';

/**
 * A canned answer for {@link MockAdapter}. Every field is optional: `{}` is an
 * empty `200 OK` for the request's URL.
 */
export interface MockReply {
  /** Status code; 200 when left out. */
  status?: number;
  /** Reason phrase; the standard one for `status` when left out. */
  reason?: string;
  /**
   * Response headers. An array value becomes one header line per element,
   * which is how several `Set-Cookie` headers are expressed.
   */
  headers?: HeadersInit;
  /**
   * The body, as it would come off the wire (core decodes it by the
   * Content-Encoding header, like any adapter's). Text is encoded as UTF-8.
   * An async iterable is handed out chunk by chunk, so a test can model a
   * slow body or one that fails half-way.
   */
  body?: string | Uint8Array | AsyncIterable<Uint8Array> | null;
  /** Serialised with `JSON.stringify` as the body; sets `Content-Type: application/json` unless given. */
  json?: unknown;
  /** The URL the response claims to be for; the request's URL when left out. */
  url?: string;
}

/** Decides what the mock answers to one request. A thrown error becomes the rejection of `send`. */
export type MockHandler = (
  request: PreparedRequest,
  options: SendOptions,
) => MockReply | Response | Promise<MockReply | Response>;

/** One request as the mock saw it. */
export interface MockCall {
  /** The request object the session handed over (not a copy). */
  request: PreparedRequest;
  /** The options it was sent with. */
  options: SendOptions;
  /** The body bytes that would have gone on the wire; `null` for no body. */
  bodyBytes: Uint8Array | null;
}

const encoder = new TextEncoder();

/**
 * An {@link Adapter} that answers from a function instead of the network, and
 * remembers what it was asked. Mount it on a session to test everything above
 * the transport (redirects, auth, cookies, hooks, plugins) without sockets:
 *
 * ```ts
 * const mock = new MockAdapter((req) => ({ json: { url: req.url } }));
 * session.mount('https://', mock);
 * ```
 *
 * Like a real adapter it makes one hop per `send`: it never follows the
 * `Location` of a redirect reply.
 */
export class MockAdapter implements Adapter {
  /** Every request that reached the mock, oldest first. Requests refused before sending are not recorded. */
  readonly calls: MockCall[] = [];
  /** `true` once `close()` was called; later sends fail with `ConnectionError`. */
  closed = false;
  readonly #handler: MockHandler;

  constructor(handler: MockHandler) {
    this.#handler = handler;
  }

  /**
   * Records the request (reading its body), asks the handler, and builds the
   * Response, its body unread like a real adapter's. Rejects with
   * `ConnectionError` after `close()`, and with the signal's error (AbortError,
   * or the session's TimeoutError at the deadline) when `options.signal`
   * fires before the handler answers: a slow handler cannot outlive the
   * request's budget.
   */
  async send(request: PreparedRequest, options: SendOptions): Promise<Response> {
    if (this.closed) throw new ConnectionError('MockAdapter is closed', { request });
    const signal = options.signal;
    throwIfAborted(signal, request);
    const bodyBytes = await raceSignal(collectBody(request.body), signal, request);
    this.calls.push({ request, options, bodyBytes });
    const reply = await raceSignal(Promise.resolve(this.#handler(request, options)), signal, request);
    if (reply instanceof Response) return reply;
    return buildResponse(reply, request);
  }

  /** Marks the mock closed. There are no connections to release. */
  async close(): Promise<void> {
    this.closed = true;
  }
}

function buildResponse(reply: MockReply, request: PreparedRequest): Response {
  const headers = new Headers(reply.headers);
  let body: Uint8Array | AsyncIterable<Uint8Array> | null;
  if (reply.json !== undefined) {
    if (reply.body !== undefined && reply.body !== null)
      throw new TypeError('MockReply: give `body` or `json`, not both');
    const text = JSON.stringify(reply.json);
    if (text === undefined) throw new TypeError('MockReply: `json` is not serialisable');
    body = encoder.encode(text);
    if (!headers.has('content-type')) headers.set('Content-Type', 'application/json');
  } else if (typeof reply.body === 'string') {
    body = encoder.encode(reply.body);
  } else {
    body = reply.body ?? null;
  }
  return new Response({
    statusCode: reply.status ?? 200,
    reason: reply.reason,
    headers,
    url: reply.url ?? request.url,
    request,
    httpVersion: '1.1',
    body: toSource(body),
    elapsed: 0,
  });
}

function toSource(body: Uint8Array | AsyncIterable<Uint8Array> | null): BodySource | null {
  if (body === null) return null;
  const chunks: AsyncIterable<Uint8Array> =
    body instanceof Uint8Array
      ? (async function* () {
          if (body.byteLength > 0) yield body;
        })()
      : body;
  let iterator: AsyncIterator<Uint8Array> | undefined;
  return {
    [Symbol.asyncIterator]() {
      iterator ??= chunks[Symbol.asyncIterator]();
      return iterator;
    },
    async cancel() {
      // Stop a generator the caller gave us so its `finally` blocks run, as a socket would be released.
      await iterator?.return?.();
    },
  };
}
