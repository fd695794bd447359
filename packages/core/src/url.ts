import { isIP } from 'node:net';
import { InvalidURLError, MissingSchemaError } from './errors.js';
import { encodeParams, type Params } from './params.js';

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;
const NETWORK_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);

/**
 * `raw` for an error message, with any credentials written into it
 * replaced by `***`: messages end up in logs.
 */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#]*@/, '$1***@');
}

function quoted(raw: string): string {
  return JSON.stringify(redactUrl(raw));
}

/**
 * Turns what the user wrote into the URL that goes on the wire: scheme
 * checked, host IDNA-encoded (WHATWG URL) and checked to be a host name,
 * params appended to any query the URL already has. Schemes other than
 * http(s)/ws(s) pass through untouched so that `getAdapter` can reject them
 * with InvalidSchemaError.
 *
 * @throws MissingSchemaError for a URL without a scheme (a relative one
 *   included: join it with `joinBaseUrl` first); InvalidURLError for one
 *   that does not parse or whose host cannot be a host name.
 */
export function prepareUrl(raw: string, params?: Params | null): string {
  if (typeof raw !== 'string') throw new InvalidURLError(`URL must be a string, got ${typeof raw}`);
  const extra = encodeParams(params);
  // With params, or credentials (kept out of a long-lived cache), the full path each time.
  if (extra || raw.includes('@')) return parseUrl(raw, extra);
  // Without params the answer depends on `raw` alone, and a client sends to the same URLs again and
  // again: parsing and checking one costs 3-5 µs, a lookup a tenth of that.
  let href = prepared.get(raw);
  if (href === undefined) {
    href = parseUrl(raw, '');
    if (prepared.size >= PREPARED_MAX) prepared.clear();
    prepared.set(raw, href);
  }
  return href;
}

/** URLs prepared without params, by what the caller wrote; cleared when full. */
const prepared = new Map<string, string>();
const PREPARED_MAX = 512;

function parseUrl(raw: string, extra: string): string {
  const input = raw.trim();
  if (!SCHEME.test(input) || /^[^:/]+:\d+([/?#]|$)/.test(input)) throw missingScheme(raw, input);
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    throw new InvalidURLError(`Invalid URL ${quoted(raw)}: ${(cause as Error).message}`, { cause });
  }
  if (!NETWORK_SCHEMES.has(url.protocol)) return input;
  const problem = hostProblem(url.hostname);
  if (problem) throw new InvalidURLError(`Invalid URL ${quoted(raw)}: ${problem}`);
  if (extra) url.search = url.search.length > 1 ? `${url.search.slice(1)}&${extra}` : extra;
  return url.href;
}

function missingScheme(raw: string, input: string): MissingSchemaError {
  const head = input.split(/[/?#]/, 1)[0] ?? '';
  // `example.com/x` or `localhost:8080` lacks only the scheme; `/get` or `users/1` is a path.
  const hostLike = head.includes('.') || head.includes(':') || head.toLowerCase() === 'localhost';
  if (hostLike) {
    return new MissingSchemaError(
      `Invalid URL ${quoted(raw)}: no scheme. Perhaps you meant https://${redactUrl(input)}?`,
    );
  }
  return new MissingSchemaError(
    `Invalid URL ${quoted(raw)}: no scheme. Give an absolute URL like ` +
      `https://example.com/${input.replace(/^\/+/, '')}, or set session.baseUrl`,
  );
}

// A DNS label after IDNA (WHATWG URL has already lower-cased and punycoded it). The underscore
// is not LDH but is common in container and service names, and hyphens are allowed anywhere
// (some real names break RFC 1123 there), so only what no resolver could look up is refused.
const LABEL = /^[a-z0-9_-]+$/;

/**
 * Why `hostname` (as WHATWG URL gives it) cannot be a host name, or
 * `undefined`. WHATWG URL accepts `*`, `.example.com`, `a..b` or `{host}`;
 * requests rejects the first two ("URL has an invalid label"), and none of
 * them could be looked up, so failing here beats a ConnectionError later.
 */
function hostProblem(hostname: string): string | undefined {
  if (!hostname) return 'no host';
  if (hostname.startsWith('[') || isIP(hostname)) return undefined;
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (name.length > 253) return 'the host name is longer than 253 characters';
  for (const label of name.split('.')) {
    if (label === '') return 'the host name has an empty label (a leading dot or two dots in a row)';
    if (label.length > 63) return 'a label of the host name is longer than 63 characters';
    if (!LABEL.test(label)) {
      return `the host name label ${JSON.stringify(label)} is not letters, digits, hyphens and underscores`;
    }
  }
  return undefined;
}

/**
 * Joins a relative URL onto `baseUrl` as httpx's `base_url` does: the
 * base's path is a prefix, whether or not it ends in `/` and whether or not
 * `url` starts with one, so `('https://api.test/v2', '/users')`,
 * `('https://api.test/v2/', 'users')` and `('https://api.test/v2', 'users')`
 * all give `https://api.test/v2/users`. The query and fragment of `url` are
 * kept (the base's query is not carried over); `''` gives the base.
 * An absolute URL (`scheme://...`, or a `URL` object) is returned unchanged.
 * Leading slashes are all dropped, so `//other.host/x` stays on the base's
 * host; dot segments resolve as in any URL.
 *
 * @throws InvalidURLError when `baseUrl` is not an absolute URL.
 */
export function joinBaseUrl(baseUrl: string, url: string | URL): string {
  if (url instanceof URL) return url.href;
  const rel = String(url);
  if (ABSOLUTE.test(rel.trimStart())) return rel;
  let base: URL | undefined;
  if (typeof baseUrl === 'string' && ABSOLUTE.test(baseUrl.trim())) {
    try {
      base = new URL(baseUrl.trim());
    } catch {
      base = undefined;
    }
  }
  if (!base) {
    throw new InvalidURLError(
      `Invalid session.baseUrl ${typeof baseUrl === 'string' ? quoted(baseUrl) : typeof baseUrl}: ` +
        'it must be an absolute URL like https://api.example.com/v1',
    );
  }
  if (rel === '') return baseUrl;
  const [, path = '', search = '', hash = ''] = /^([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(rel) ?? [];
  const tail = path.replace(/^\/+/, '');
  const out = new URL(base.href);
  if (tail) out.pathname = `${base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`}${tail}`;
  out.search = search;
  out.hash = hash;
  return out.href;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

/** The port of a parsed URL, with the scheme's default filled in. */
export function effectivePort(url: URL): string {
  return url.port || DEFAULT_PORTS[url.protocol] || '';
}

/** `scheme://host:port` with the default port made explicit, for origin comparisons. */
export function originKey(url: URL): string {
  return `${url.protocol}//${url.hostname}:${effectivePort(url)}`;
}
