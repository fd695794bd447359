/** A header value of the form `value; key=val; key="quoted val"` (Content-Type, Content-Disposition). */
export interface ParsedHeader {
  /** The part before the first `;`, trimmed and lower-cased. */
  value: string;
  /** Parameters by lower-cased name, quotes and backslash escapes removed. */
  params: Record<string, string>;
}

const PARAM = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;

/** Splits a `;`-parameterised header value. Never throws: garbage yields fewer params. */
export function parseHeaderParams(header: string | undefined): ParsedHeader {
  if (!header) return { value: '', params: {} };
  const semi = header.indexOf(';');
  const value = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
  const params: Record<string, string> = Object.create(null);
  if (semi === -1) return { value, params };
  for (const m of header.slice(semi).matchAll(PARAM)) {
    const name = (m[1] ?? '').toLowerCase();
    params[name] = unquote((m[2] ?? '').trim());
  }
  return { value, params };
}

/** Removes the quotes of an RFC 9110 quoted-string and its backslash escapes; other text passes through. */
export function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return text;
}
