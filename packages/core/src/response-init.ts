import type { BodySource } from './body-source.js';
import type { Headers, HeadersInit } from './headers.js';
import type { PreparedRequest } from './prepared-request.js';
import type { Timings } from './timings.js';

/** What an adapter (or a plugin answering by itself) knows when it builds a Response. */
export interface ResponseInit {
  statusCode: number;
  reason?: string | undefined;
  headers?: HeadersInit | undefined;
  /** The final URL of this hop. */
  url: string;
  request: PreparedRequest;
  httpVersion?: '1.0' | '1.1' | '2' | undefined;
  /**
   * The body: a `Uint8Array` is the final content (already decoded); a
   * `BodySource` yields the raw bytes as sent (core undoes Content-Encoding,
   * unless `decoded`).
   */
  body?: Uint8Array | BodySource | null | undefined;
  /** The BodySource yields decoded bytes already (a cache replaying what it stored). */
  decoded?: boolean | undefined;
  /** Milliseconds from sending the request to receiving the headers. */
  elapsed?: number | undefined;
  /** Phases the adapter measured (see Timings); core adds `download` and `total`. */
  timings?: Timings | undefined;
  /** Answered from a cache, not by the server: the session stores no cookies from it. */
  fromCache?: boolean | undefined;
  /**
   * Trailer fields. An adapter passes an empty Headers and fills it when
   * the body ends (HTTP/2 trailers, HTTP/1.1 chunked trailers).
   */
  trailers?: Headers | undefined;
}
