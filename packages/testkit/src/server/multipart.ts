import { parseHeaderParams } from './header-params.js';

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  /** The form field name from Content-Disposition. */
  name: string;
  /** The file name, when the part is a file upload. */
  filename: string | undefined;
  /** The part's Content-Type, when it has one. */
  contentType: string | undefined;
  /** Every header of the part, names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
}

/** The body does not follow RFC 7578 / RFC 2046 closely enough to be read. */
export class MultipartError extends Error {
  override name = 'MultipartError';
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Splits a multipart/form-data body (RFC 7578) into its parts. The whole body
 * is in memory already: the server caps upload size, and a streaming parser
 * would only add states nobody tests against.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  if (!boundary || boundary.length > 200) throw new MultipartError('missing or oversized boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  // Every delimiter after the first is preceded by CRLF, which belongs to the delimiter, not the part.
  const next = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw new MultipartError('boundary not found');
  // A preamble is allowed, but then the delimiter must start a line.
  if (pos > 0 && body.indexOf(next) !== pos - 2) throw new MultipartError('boundary does not start a line');
  pos += delimiter.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // `--`: the close delimiter
    // RFC 2046 allows linear whitespace ("transport padding") after a delimiter.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body.indexOf(CRLF, pos) !== pos) throw new MultipartError('delimiter not followed by CRLF');
    pos += CRLF.length;
    const end = findDelimiter(body, next, pos);
    if (end === -1) throw new MultipartError('body ends inside a part (no close delimiter)');
    parts.push(parsePart(body.subarray(pos, end)));
    pos = end + next.length;
  }
}

/**
 * The next `CRLF--boundary` that really is a delimiter: followed by `--`, or
 * by optional padding and CRLF. `--boundaryX` inside content is not one.
 */
function findDelimiter(body: Buffer, next: Buffer, from: number): number {
  for (let at = body.indexOf(next, from); at !== -1; at = body.indexOf(next, at + 1)) {
    let after = at + next.length;
    if (body[after] === 0x2d && body[after + 1] === 0x2d) return at;
    while (body[after] === 0x20 || body[after] === 0x09) after++;
    if (body[after] === 0x0d && body[after + 1] === 0x0a) return at;
  }
  return -1;
}

function parsePart(raw: Buffer): MultipartPart {
  let headerText: string;
  let body: Buffer;
  if (raw.indexOf(CRLF) === 0) {
    headerText = '';
    body = raw.subarray(CRLF.length);
  } else {
    const split = raw.indexOf(HEADER_END);
    if (split === -1) throw new MultipartError('part headers do not end');
    headerText = raw.subarray(0, split).toString('utf8');
    body = raw.subarray(split + HEADER_END.length);
  }
  const headers: Record<string, string> = Object.create(null);
  for (const line of headerText.split('\r\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`malformed part header ${JSON.stringify(line)}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const disposition = parseHeaderParams(headers['content-disposition']);
  if (disposition.value !== 'form-data')
    throw new MultipartError('part without Content-Disposition: form-data');
  const name = disposition.params.name;
  if (name === undefined) throw new MultipartError('part without a name');
  return {
    name,
    filename: extendedFilename(disposition.params['filename*']) ?? disposition.params.filename,
    contentType: headers['content-type'],
    headers,
    body,
  };
}

/** RFC 5987 `filename*=UTF-8''na%C3%AFve.txt`; undefined when absent or undecodable. */
function extendedFilename(value: string | undefined): string | undefined {
  const m = value ? /^utf-8'[^']*'(.*)$/i.exec(value) : null;
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1] ?? '');
  } catch {
    return undefined;
  }
}
