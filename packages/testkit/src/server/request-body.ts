import type { IncomingMessage } from 'node:http';
import { type FormValues, groupPairs } from './form-values.js';
import { parseHeaderParams } from './header-params.js';
import { parseMultipart } from './multipart.js';

/** Uploads above this are refused with 413: the test server keeps bodies in memory. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The upload was larger than {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** A request body in httpbin's four views of it. */
export interface ParsedBody {
  /** The bytes as received (chunked transfer coding already removed by node:http). */
  raw: Buffer;
  /** The body as text; empty for forms, a `data:` URL when it is not UTF-8. */
  data: string;
  /** Fields of a urlencoded or multipart form. */
  form: FormValues;
  /** File parts of a multipart form, as text (or a `data:` URL when binary). */
  files: FormValues;
  /** `data` parsed as JSON, or `null` when it is not JSON. */
  json: unknown;
}

/** Reads the whole request body, refusing more than {@link MAX_BODY_BYTES}. */
export async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the bytes are valid UTF-8, else a base64 `data:` URL (what httpbin shows for binary). */
export function textOrDataUrl(bytes: Buffer, contentType = 'application/octet-stream'): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return `data:${contentType};base64,${bytes.toString('base64')}`;
  }
}

/**
 * Interprets a body the way httpbin does: forms (urlencoded or multipart) go
 * to `form` and `files`, anything else is echoed in `data`, and `json` is
 * filled whenever `data` parses, whatever the Content-Type said.
 */
export function parseBody(raw: Buffer, contentTypeHeader: string | undefined): ParsedBody {
  const contentType = parseHeaderParams(contentTypeHeader);
  const parsed: ParsedBody = {
    raw,
    data: '',
    form: Object.create(null),
    files: Object.create(null),
    json: null,
  };
  if (contentType.value === 'application/x-www-form-urlencoded') {
    parsed.form = groupPairs(new URLSearchParams(raw.toString('utf8')));
    return parsed;
  }
  if (contentType.value === 'multipart/form-data') {
    const fields: Array<[string, string]> = [];
    const files: Array<[string, string]> = [];
    for (const part of parseMultipart(raw, contentType.params.boundary ?? '')) {
      if (part.filename === undefined) fields.push([part.name, textOrDataUrl(part.body)]);
      else files.push([part.name, textOrDataUrl(part.body, part.contentType)]);
    }
    parsed.form = groupPairs(fields);
    parsed.files = groupPairs(files);
    return parsed;
  }
  parsed.data = textOrDataUrl(raw);
  if (parsed.data !== '') {
    try {
      parsed.json = JSON.parse(parsed.data);
    } catch {
      // Not JSON: httpbin reports `json: null` rather than failing.
    }
  }
  return parsed;
}
