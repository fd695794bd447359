import type { PreparedRequest } from '@sess/core';
import type { Redactor, Secrets } from './redact.js';

/** The most body text a curl line carries. */
export const CURL_BODY_LIMIT = 4096;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A shell word in single quotes. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command that sends the same request, secrets replaced by
 * `[REDACTED]` (put them back by hand). A body over 4 KiB, binary or
 * streamed is left out, with a note.
 */
export function curlLine(
  request: PreparedRequest,
  redactor: Redactor,
  secrets: Secrets,
  proxy?: string,
): string {
  const url = redactor.url(request.url);
  const parts = ['curl'];
  // `[REDACTED]` would be a curl URL glob.
  if (url.includes('[')) parts.push('--globoff');
  if (request.method === 'HEAD') parts.push('--head');
  else if (request.method !== 'GET' || request.body !== null) parts.push('-X', request.method);
  if (proxy) parts.push('--proxy', shellQuote(redactor.url(proxy)));
  parts.push(shellQuote(url));
  for (const [name, value] of redactor.headers(request.headers.rawEntries())) {
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  const body = request.body;
  if (body instanceof Uint8Array && body.byteLength > 0) {
    const text = body.byteLength <= CURL_BODY_LIMIT ? textOf(body) : undefined;
    if (text === undefined) parts.push('--data-binary', '@body.bin', `# ${body.byteLength} bytes not shown`);
    else {
      const type = request.headers.get('content-type') ?? '';
      parts.push('--data-binary', shellQuote(redactor.body(text, type, secrets)));
    }
  } else if (body !== null && !(body instanceof Uint8Array)) {
    parts.push('--data-binary', '@-', '# streamed body not shown');
  }
  return parts.join(' ');
}

function textOf(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
