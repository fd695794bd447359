import { randomBytes } from 'node:crypto';
import type { Data, EncodedBody, Files } from './body-types.js';
import { describeType, type Params, paramPairs } from './params.js';
import { blobChunks, bytesOf, concatParts, isAsyncIterable, ReplayableBody } from './replayable.js';

type Content = Uint8Array | Blob | AsyncIterable<Uint8Array>;

/** One part of a multipart/form-data body, checked. */
interface PartSpec {
  name: string;
  /** `null`: a plain field, no filename and no default Content-Type. */
  filename: string | null;
  content: Content;
  type?: string | undefined;
  headers?: Record<string, string> | undefined;
}

const enc = new TextEncoder();
const CRLF = enc.encode('\r\n');
const FILE_KINDS =
  'bytes, a string, a Blob or File, a stream, or a [filename, content, contentType?, headers?] tuple';

/** Bytes, a Blob or a stream for a part; anything else is a TypeError naming `where`. */
function contentOf(value: unknown, where: string): Content {
  if (typeof value === 'string') return enc.encode(value);
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return bytesOf(value);
  if (value instanceof Blob || isAsyncIterable(value)) return value;
  throw new TypeError(`${where} must be ${FILE_KINDS}; got ${describeType(value)}`);
}

/** The entries of `files`, which must be a map of field names or a list of `[field, file]` pairs. */
function fileEntries(files: unknown): Array<[string, unknown]> {
  if (
    typeof files !== 'object' ||
    files === null ||
    files instanceof Blob ||
    files instanceof ArrayBuffer ||
    ArrayBuffer.isView(files) ||
    isAsyncIterable(files)
  ) {
    throw new TypeError(
      `files must be an object mapping field names to files, or a list of [field, file] pairs; got ${describeType(files)}`,
    );
  }
  if (typeof (files as Iterable<unknown>)[Symbol.iterator] !== 'function') return Object.entries(files);
  const out: Array<[string, unknown]> = [];
  for (const entry of files as Iterable<unknown>) {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw new TypeError(`files as a list must hold [field, file] pairs; got ${describeType(entry)}`);
    }
    out.push([String(entry[0]), entry[1]]);
  }
  return out;
}

function filePart(field: string, spec: unknown): PartSpec {
  const where = `files.${field}`;
  if (spec === null) {
    throw new TypeError(`${where} is null: give the file's content (${FILE_KINDS}) or leave the field out`);
  }
  if (!Array.isArray(spec)) {
    const content = contentOf(spec, where);
    // requests' guess_filename: a named file keeps its name, anything else takes the field's.
    const filename = spec instanceof File ? spec.name : field;
    const type = content instanceof Blob && content.type ? content.type : 'application/octet-stream';
    return { name: field, filename, content, type };
  }
  const [filename, content, type, headers] = spec as unknown[];
  if (spec.length < 2 || spec.length > 4) {
    throw new TypeError(`${where} as a tuple must be [filename, content, contentType?, headers?]`);
  }
  if (filename !== null && filename !== undefined && typeof filename !== 'string') {
    throw new TypeError(`${where}[0] (the filename) must be a string or null; got ${describeType(filename)}`);
  }
  if (type !== null && type !== undefined && typeof type !== 'string') {
    throw new TypeError(`${where}[2] (the content type) must be a string; got ${describeType(type)}`);
  }
  if (headers !== null && headers !== undefined && (typeof headers !== 'object' || Array.isArray(headers))) {
    throw new TypeError(`${where}[3] (extra headers) must be an object; got ${describeType(headers)}`);
  }
  const body = contentOf(content, `${where}[1]`);
  const name = filename ?? null;
  const blobType = body instanceof Blob && body.type ? body.type : undefined;
  return {
    name: field,
    filename: name,
    content: body,
    type:
      (type as string | undefined) || blobType || (name !== null ? 'application/octet-stream' : undefined),
    headers: (headers ?? undefined) as Record<string, string> | undefined,
  };
}

/** The fields of `data` when it goes with files: FormData entries, or form fields. */
function dataParts(data: Data): PartSpec[] {
  if (data instanceof FormData) {
    const out: PartSpec[] = [];
    for (const [name, value] of data) {
      if (typeof value === 'string') out.push({ name, filename: null, content: enc.encode(value) });
      // FormData turns every Blob into a File (named `blob` when it had no name), as browsers send it.
      else
        out.push({
          name,
          filename: value.name,
          content: value,
          type: value.type || 'application/octet-stream',
        });
    }
    return out;
  }
  if (
    typeof data !== 'object' ||
    data instanceof ArrayBuffer ||
    ArrayBuffer.isView(data) ||
    data instanceof Blob ||
    isAsyncIterable(data)
  ) {
    throw new TypeError(
      'With files, data must be form fields (an object, pairs, URLSearchParams or FormData)',
    );
  }
  return paramPairs(data as Params, 'data').map(([name, v]) => ({
    name,
    filename: null,
    content: typeof v === 'string' ? enc.encode(v) : v,
  }));
}

function quote(s: string): string {
  // RFC 7578 §4.2: percent-encode the characters that would break the quoted string.
  return s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function partHead(boundary: string, p: PartSpec): string {
  let h = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(p.name)}"`;
  if (p.filename !== null) h += `; filename="${quote(p.filename)}"`;
  h += '\r\n';
  if (p.type) {
    if (/[\r\n]/.test(p.type)) throw new TypeError('multipart part content types may not contain CR or LF');
    h += `Content-Type: ${p.type}\r\n`;
  }
  for (const [k, v] of Object.entries(p.headers ?? {})) {
    if (/[\r\n]/.test(k + v)) throw new TypeError('multipart part headers may not contain CR or LF');
    h += `${k}: ${v}\r\n`;
  }
  return `${h}\r\n`;
}

/**
 * A multipart/form-data body (RFC 7578): the fields of `data` (form fields
 * or a FormData) first, then `files`. Bytes, strings and Blobs make a
 * replayable body of known length; a stream makes a one-shot body.
 *
 * @throws TypeError for `files` that are not a map or list of file specs,
 *   for a file that is `null` or not content (naming `files.<field>`), and
 *   for `data` that is not form fields.
 */
export function encodeMultipart(files: Files | null | undefined, data: Data | null | undefined): EncodedBody {
  const specs = data === undefined || data === null ? [] : dataParts(data);
  if (files !== undefined && files !== null) {
    for (const [field, spec] of fileEntries(files)) {
      // `undefined` is "not given", as everywhere in the options.
      if (spec !== undefined) specs.push(filePart(field, spec));
    }
  }
  const boundary = randomBytes(16).toString('hex');
  const chunks: Content[] = [];
  for (const p of specs) chunks.push(enc.encode(partHead(boundary, p)), p.content, CRLF);
  chunks.push(enc.encode(`--${boundary}--\r\n`));

  const contentType = `multipart/form-data; boundary=${boundary}`;
  if (chunks.every((c) => c instanceof Uint8Array)) {
    const bytes = concatParts(chunks as Uint8Array[]);
    return { body: bytes, contentType, length: bytes.byteLength, replayable: true };
  }
  let length: number | undefined = 0;
  let replayable = true;
  for (const c of chunks) {
    if (c instanceof Uint8Array) length = length === undefined ? undefined : length + c.byteLength;
    else if (c instanceof Blob) length = length === undefined ? undefined : length + c.size;
    else if (c instanceof ReplayableBody && c.length !== undefined)
      length = length === undefined ? undefined : length + c.length;
    else {
      length = undefined;
      if (!(c instanceof ReplayableBody)) replayable = false;
    }
  }
  const open = async function* () {
    for (const c of chunks) {
      if (c instanceof Uint8Array) yield c;
      else if (c instanceof Blob) yield* blobChunks(c);
      else yield* c;
    }
  };
  return {
    body: replayable ? new ReplayableBody(open, length) : open(),
    contentType,
    ...(length !== undefined ? { length } : {}),
    replayable,
  };
}
