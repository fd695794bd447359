import { randomBytes } from 'node:crypto';
import { encodePairs, type Params, paramPairs } from './params.js';

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

/** `data`: text, bytes, a form (object, pairs or URLSearchParams), a Blob, or a stream. */
export type Data =
  | string
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | Params
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

const enc = new TextEncoder();

/**
 * A body that can be iterated more than once: each iteration calls `open`
 * again. Used for Blobs and for multipart bodies built from replayable parts.
 */
export class ReplayableBody implements AsyncIterable<Uint8Array> {
  constructor(
    private readonly open: () => AsyncIterable<Uint8Array>,
    /** Total length in bytes when known. */
    readonly length?: number,
  ) {}
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.open()[Symbol.asyncIterator]();
  }
}

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array> {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  // Blob.stream() yields Uint8Array chunks and can be opened any number of times.
  for await (const chunk of blob.stream() as unknown as AsyncIterable<Uint8Array>) yield chunk;
}

/** Encodes `json`, `data` and `files` into a body, in requests' precedence (files, then data, then json). */
export function encodeBody(
  data: Data | null | undefined,
  json: unknown,
  files: Files | null | undefined,
): EncodedBody {
  if (files) return encodeMultipart(files, data);
  if (data !== undefined && data !== null) return encodeData(data);
  if (json !== undefined) {
    const text = JSON.stringify(json);
    if (text === undefined) throw new TypeError('json is not serialisable');
    const bytes = enc.encode(text);
    return { body: bytes, contentType: 'application/json', length: bytes.byteLength, replayable: true };
  }
  return { body: null, replayable: true };
}

function encodeData(data: Data): EncodedBody {
  if (typeof data === 'string') {
    const bytes = enc.encode(data);
    return { body: bytes, length: bytes.byteLength, replayable: true };
  }
  if (data instanceof Uint8Array) return { body: data, length: data.byteLength, replayable: true };
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { body: bytes, length: bytes.byteLength, replayable: true };
  }
  if (data instanceof Blob) {
    return {
      body: new ReplayableBody(() => blobChunks(data), data.size),
      length: data.size,
      ...(data.type ? { contentType: data.type } : {}),
      replayable: true,
    };
  }
  if (isAsyncIterable(data)) return { body: data, replayable: false };
  const bytes = enc.encode(encodePairs(paramPairs(data)));
  return {
    body: bytes,
    contentType: 'application/x-www-form-urlencoded',
    length: bytes.byteLength,
    replayable: true,
  };
}

type Part = Uint8Array | Blob | AsyncIterable<Uint8Array>;

function quote(s: string): string {
  // RFC 7578 §4.2: percent-encode the characters that would break the quoted string.
  return s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function encodeMultipart(files: Files, data: Data | null | undefined): EncodedBody {
  const boundary = randomBytes(16).toString('hex');
  const parts: Part[] = [];
  let length: number | undefined = 0;
  let replayable = true;
  const push = (p: Part) => {
    parts.push(p);
    if (p instanceof Uint8Array) length = length === undefined ? undefined : length + p.byteLength;
    else if (p instanceof Blob) length = length === undefined ? undefined : length + p.size;
    else {
      length = undefined;
      replayable = false;
    }
  };
  const head = (
    name: string,
    filename: string | null,
    type: string | undefined,
    extra?: Record<string, string>,
  ) => {
    let h = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"`;
    if (filename !== null) h += `; filename="${quote(filename)}"`;
    h += '\r\n';
    if (type) {
      if (/[\r\n]/.test(type)) throw new TypeError('multipart part content types may not contain CR or LF');
      h += `Content-Type: ${type}\r\n`;
    }
    for (const [k, v] of Object.entries(extra ?? {})) {
      if (/[\r\n]/.test(k + v)) throw new TypeError('multipart part headers may not contain CR or LF');
      h += `${k}: ${v}\r\n`;
    }
    push(enc.encode(`${h}\r\n`));
  };
  if (data !== undefined && data !== null) {
    if (
      typeof data === 'string' ||
      data instanceof ArrayBuffer ||
      ArrayBuffer.isView(data) ||
      data instanceof Blob ||
      isAsyncIterable(data)
    ) {
      throw new TypeError('With files, data must be form fields (an object, pairs or URLSearchParams)');
    }
    for (const [k, v] of paramPairs(data as Params)) {
      head(k, null, undefined);
      push(enc.encode(`${v}\r\n`));
    }
  }
  const entries = Array.isArray(files) ? files : Object.entries(files);
  for (const [field, spec] of entries as Array<[string, FileContent | FileTuple]>) {
    let filename: string | null;
    let content: FileContent;
    let type: string | undefined;
    let extra: Record<string, string> | undefined;
    if (Array.isArray(spec)) {
      [filename, content, type, extra] = spec as FileTuple;
    } else {
      content = spec as FileContent;
      filename = content instanceof File ? content.name : field;
    }
    if (!type && content instanceof Blob && content.type) type = content.type;
    head(field, filename, type ?? (filename !== null ? 'application/octet-stream' : undefined), extra);
    push(typeof content === 'string' ? enc.encode(content) : content);
    push(enc.encode('\r\n'));
  }
  push(enc.encode(`--${boundary}--\r\n`));
  const contentType = `multipart/form-data; boundary=${boundary}`;
  if (parts.every((p) => p instanceof Uint8Array)) {
    const bytes = concatParts(parts as Uint8Array[]);
    return { body: bytes, contentType, length: bytes.byteLength, replayable: true };
  }
  const open = async function* () {
    for (const p of parts) {
      if (p instanceof Uint8Array) yield p;
      else if (p instanceof Blob) yield* blobChunks(p);
      else yield* p;
    }
  };
  return {
    body: replayable ? new ReplayableBody(open, length) : open(),
    contentType,
    ...(length !== undefined ? { length } : {}),
    replayable,
  };
}

function concatParts(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}
