import { InvalidURLError, MissingSchemaError } from './errors.js';
import { encodePairs, type Params, paramPairs } from './params.js';

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const NETWORK_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);

/**
 * Turns what the user wrote into the URL that goes on the wire: scheme
 * checked, host IDNA-encoded (WHATWG URL), params appended to any query
 * the URL already has. Schemes other than http(s) pass through untouched so
 * that `getAdapter` can reject them with InvalidSchemaError.
 */
export function prepareUrl(raw: string, params?: Params | null): string {
  if (typeof raw !== 'string') throw new InvalidURLError(`URL must be a string, got ${typeof raw}`);
  const input = raw.trim();
  if (!SCHEME.test(input) || /^[^:/]+:\d+([/?#]|$)/.test(input)) {
    throw new MissingSchemaError(
      `Invalid URL ${JSON.stringify(raw)}: No scheme supplied. Perhaps you meant https://${input}?`,
    );
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    throw new InvalidURLError(`Invalid URL ${JSON.stringify(raw)}: ${(cause as Error).message}`, { cause });
  }
  if (!NETWORK_SCHEMES.has(url.protocol)) return input;
  if (!url.hostname) throw new InvalidURLError(`Invalid URL ${JSON.stringify(raw)}: No host supplied`);
  const pairs = paramPairs(params);
  if (pairs.length > 0) {
    const extra = encodePairs(pairs);
    url.search = url.search.length > 1 ? `${url.search.slice(1)}&${extra}` : extra;
  }
  return url.href;
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
