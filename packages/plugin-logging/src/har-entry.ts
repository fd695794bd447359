import type { PreparedRequest, Response } from '@sess/core';
import type {
  HarContent,
  HarCookie,
  HarNameValue,
  HarPostData,
  HarRequest,
  HarResponse,
  HarTimings,
} from './har-types.js';
import { REDACTED, type Redactor, type Secrets } from './redact.js';

const TEXTUAL = /^text\/|[+/](json|xml)\b|javascript|ecmascript|x-www-form-urlencoded|charset=/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** 'HTTP/1.1', 'HTTP/2'. */
export function harVersion(v: string | undefined): string {
  return v ? `HTTP/${v}` : '';
}

function pairs(entries: Array<[string, string]>): HarNameValue[] {
  return entries.map(([name, value]) => ({ name, value }));
}

/** The request part: redacted URL, headers, query, cookies, and the body when it is bytes. */
export function harRequest(
  req: PreparedRequest,
  httpVersion: string,
  redactor: Redactor,
  secrets: Secrets,
  maxBody: number,
): HarRequest {
  const out: HarRequest = {
    method: req.method,
    url: redactor.url(req.url),
    httpVersion,
    cookies: requestCookies(req.headers.get('cookie'), redactor),
    headers: pairs(redactor.headers(req.headers.rawEntries())),
    queryString: queryOf(req.url, redactor),
    headersSize: -1,
    bodySize: requestBodySize(req),
  };
  const postData = harPostData(req, redactor, secrets, maxBody);
  if (postData) out.postData = postData;
  return out;
}

function queryOf(url: string, redactor: Redactor): HarNameValue[] {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return [];
  }
  return [...params].map(([name, value]) => ({ name, value: redactor.isSecretKey(name) ? REDACTED : value }));
}

function requestBodySize(req: PreparedRequest): number {
  if (req.body === null) return 0;
  if (req.body instanceof Uint8Array) return req.body.byteLength;
  const length = req.headers.get('content-length');
  return length !== undefined && /^\d+$/.test(length) ? Number(length) : -1;
}

function harPostData(
  req: PreparedRequest,
  redactor: Redactor,
  secrets: Secrets,
  maxBody: number,
): HarPostData | undefined {
  if (req.body === null) return undefined;
  const mimeType = req.headers.get('content-type') ?? '';
  if (!(req.body instanceof Uint8Array))
    return { mimeType, text: '', comment: 'streamed body: not recorded' };
  const bytes = req.body;
  const text = decodeText(bytes.subarray(0, maxBody));
  if (text === undefined)
    return { mimeType, text: '', comment: `binary body of ${bytes.byteLength} bytes: not recorded` };
  const out: HarPostData = { mimeType, text: redactor.body(text, mimeType, secrets) };
  if (bytes.byteLength > maxBody) out.comment = `truncated to ${maxBody} of ${bytes.byteLength} bytes`;
  if (/x-www-form-urlencoded/i.test(mimeType)) {
    out.params = [...new URLSearchParams(text)].map(([name, value]) => ({
      name,
      value: redactor.isSecretKey(name) ? REDACTED : redactor.text(value, secrets),
    }));
  }
  return out;
}

/** The response part; `content.text` only when the body was read (stream: false). */
export function harResponse(
  res: Response,
  redactor: Redactor,
  secrets: Secrets,
  maxBody: number,
  unread = 'body not recorded',
): HarResponse {
  const location = res.headers.get('location');
  const length = res.headers.get('content-length');
  const wireLength = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  return {
    status: res.statusCode,
    statusText: res.reason,
    httpVersion: harVersion(res.httpVersion),
    cookies: responseCookies(res.headers.getSetCookie(), redactor),
    headers: pairs(redactor.headers(res.headers.rawEntries())),
    content: harContent(res, wireLength, redactor, secrets, maxBody, unread),
    redirectURL: location ? redactor.url(location) : '',
    headersSize: -1,
    bodySize: wireLength ?? (res.isRead ? res.content.byteLength : -1),
  };
}

function harContent(
  res: Response,
  wireLength: number | undefined,
  redactor: Redactor,
  secrets: Secrets,
  maxBody: number,
  unread: string,
): HarContent {
  const mimeType = res.headers.get('content-type') ?? 'x-unknown';
  if (!res.isRead) return { size: wireLength ?? 0, mimeType, comment: unread };
  const content = res.content;
  const out: HarContent = { size: content.byteLength, mimeType };
  if (content.byteLength === 0) return out;
  const head = content.subarray(0, maxBody);
  const text = TEXTUAL.test(mimeType) ? decodeText(head, res.encoding) : undefined;
  if (text !== undefined) out.text = redactor.body(text, mimeType, secrets);
  else {
    out.text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('base64');
    out.encoding = 'base64';
  }
  if (content.byteLength > maxBody) out.comment = `truncated to ${maxBody} of ${content.byteLength} bytes`;
  return out;
}

/** The response of an entry whose hop failed: status 0, the (redacted) error in `comment`. */
export function harErrorResponse(err: unknown, redactor: Redactor, secrets: Secrets): HarResponse {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    status: 0,
    statusText: '',
    httpVersion: '',
    cookies: [],
    headers: [],
    content: { size: 0, mimeType: 'x-unknown' },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
    comment: `${e.name}: ${redactor.text(e.message, secrets)}`,
  };
}

/** HAR timings: wait to the headers, receive for the body; the phases the adapter reported, else -1. */
export function harTimings(res: Response | undefined, wait: number, receive: number): HarTimings {
  const t = ((res as { timings?: Record<string, unknown> } | undefined)?.timings ?? {}) as Record<
    string,
    unknown
  >;
  const phase = (name: string) =>
    typeof t[name] === 'number' && (t[name] as number) >= 0 ? (t[name] as number) : -1;
  return {
    blocked: phase('blocked'),
    dns: phase('dns'),
    connect: phase('connect'),
    ssl: phase('ssl'),
    send: 0,
    wait: round(wait),
    receive: round(receive),
  };
}

export function round(ms: number): number {
  return Math.max(0, Math.round(ms * 1000) / 1000);
}

function requestCookies(header: string | undefined, redactor: Redactor): HarCookie[] {
  if (!header) return [];
  const secret = redactor.isSecretHeader('cookie');
  const out: HarCookie[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    out.push({ name: part.slice(0, eq).trim(), value: secret ? REDACTED : part.slice(eq + 1).trim() });
  }
  return out;
}

function responseCookies(setCookies: string[], redactor: Redactor): HarCookie[] {
  const secret = redactor.isSecretHeader('set-cookie');
  return setCookies.map((line) => {
    const [first = '', ...attrs] = line.split(';');
    const eq = first.indexOf('=');
    const cookie: HarCookie = {
      name: (eq === -1 ? '' : first.slice(0, eq)).trim(),
      value: secret ? REDACTED : first.slice(eq + 1).trim(),
    };
    for (const attr of attrs) {
      const [k = '', ...rest] = attr.split('=');
      const key = k.trim().toLowerCase();
      const value = rest.join('=').trim();
      if (key === 'path') cookie.path = value;
      else if (key === 'domain') cookie.domain = value;
      else if (key === 'expires') {
        const at = Date.parse(value);
        if (!Number.isNaN(at)) cookie.expires = new Date(at).toISOString();
      } else if (key === 'httponly') cookie.httpOnly = true;
      else if (key === 'secure') cookie.secure = true;
    }
    return cookie;
  });
}

function decodeText(bytes: Uint8Array, label = 'utf-8'): string | undefined {
  try {
    if (label.toLowerCase() === 'utf-8' || label.toLowerCase() === 'utf8') {
      // A cut in the middle of a character is not a reason to call it binary.
      return utf8.decode(trimPartialUtf8(bytes));
    }
    return new TextDecoder(label).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Drops an incomplete UTF-8 sequence at the end (after a truncation). */
function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  let i = bytes.byteLength - 1;
  let back = 0;
  while (i >= 0 && back < 3 && ((bytes[i] as number) & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return bytes;
  const lead = bytes[i] as number;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > back + 1 ? bytes.subarray(0, i) : bytes;
}
