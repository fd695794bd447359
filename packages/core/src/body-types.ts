/** The body kinds a request takes, and what encoding one gives: types only, shared by body.ts and multipart.ts. */
import type { Params } from './params.js';

/** What goes on the wire: bytes (replayable) or a stream of chunks. */
export type RequestBody = Uint8Array | AsyncIterable<Uint8Array>;

/** A form field or file content for `files`. */
export type FileContent = string | Uint8Array | Blob | AsyncIterable<Uint8Array>;
/** `[filename, content, contentType?, extraHeaders?]`, as in requests. */
export type FileTuple = readonly [
  filename: string | null,
  content: FileContent,
  contentType?: string,
  headers?: Record<string, string>,
];
export type Files =
  | Record<string, FileContent | FileTuple>
  | ReadonlyArray<readonly [string, FileContent | FileTuple]>;

/**
 * `data`: text, bytes, a form (object, pairs or URLSearchParams, sent
 * urlencoded), a web `FormData` (sent as multipart/form-data), a Blob, or a
 * stream.
 */
export type Data =
  | string
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | FormData
  | Exclude<Params, string | Uint8Array>
  | AsyncIterable<Uint8Array>;

/** The encoded body with the headers it implies. */
export interface EncodedBody {
  body: RequestBody | null;
  contentType?: string;
  /** Known length in bytes; undefined for streams of unknown size. */
  length?: number;
  /** `false` when the body can be sent only once (a stream handed in by the user). */
  replayable: boolean;
}
