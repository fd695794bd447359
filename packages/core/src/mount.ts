import type { Adapter } from './adapter.js';
import { InvalidSchemaError } from './errors.js';
import { effectivePort } from './url.js';

interface Mount {
  prefix: string;
  scheme: string;
  host: string | undefined;
  port: string | undefined;
  segments: string[];
  adapter: Adapter;
}

const SCHEME = /^[a-z][a-z0-9+.-]*$/;

function pathSegments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function parsePrefix(prefix: string): Omit<Mount, 'adapter' | 'prefix'> {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(prefix);
  if (!m)
    throw new TypeError(`Mount prefix ${JSON.stringify(prefix)} must start with a scheme, like 'https://'`);
  const scheme = (m[1] as string).toLowerCase();
  const rest = m[2] as string;
  if (rest === '') return { scheme, host: undefined, port: undefined, segments: [] };
  let url: URL;
  try {
    url = new URL(`${scheme === 'http' || scheme === 'https' ? scheme : 'http'}://${rest}`);
  } catch (cause) {
    throw new TypeError(`Mount prefix ${JSON.stringify(prefix)} is not a URL prefix`, { cause });
  }
  // WHATWG URL drops a default port; keep the one written so 'https://h:443' means exactly 443.
  const port = /^(?:\[[^\]]*\]|[^/:?#]*):(\d+)/.exec(rest)?.[1];
  return {
    scheme,
    host: url.hostname,
    port: port === undefined ? undefined : String(Number(port)),
    segments: pathSegments(url.pathname),
  };
}

/** Higher wins: a host beats none, a port beats none, then deeper paths. */
function specificity(m: Mount): number {
  return (m.host ? 1_000_000 : 0) + (m.port ? 100_000 : 0) + m.segments.length;
}

/**
 * Adapters mounted by URL prefix. Prefixes are matched on the parsed URL,
 * never as raw strings: scheme, then host (exact, so `http://localhost`
 * never matches `http://localhost.evil.test`), then port (a prefix without
 * one matches any port), then whole path segments (`/api` matches `/api/x`,
 * not `/apix`). The most specific match wins.
 */
export class MountTable {
  #mounts: Mount[] = [];
  /** Every prefix is a bare scheme (`https://`): the scheme alone picks the adapter. */
  #bySchemeOnly = true;

  mount(prefix: string, adapter: Adapter): void {
    const parsed = parsePrefix(prefix);
    this.#mounts = this.#mounts.filter((m) => m.prefix !== prefix);
    this.#mounts.push({ prefix, adapter, ...parsed });
    // Stable sort: among equal specificity the earlier mount keeps priority.
    this.#mounts.sort((a, b) => specificity(b) - specificity(a));
    this.#bySchemeOnly = this.#mounts.every(
      (m) => m.host === undefined && m.port === undefined && m.segments.length === 0,
    );
  }

  /** The adapter for `url`, or InvalidSchemaError when no prefix matches. */
  get(url: string): Adapter {
    if (this.#bySchemeOnly) {
      // The usual table (http:// and https://): no URL to parse, a scheme to read. A URL that
      // would not parse is then the adapter's to refuse, with its own InvalidURLError.
      const colon = url.indexOf(':');
      const scheme = colon > 0 ? url.slice(0, colon).toLowerCase() : '';
      if (SCHEME.test(scheme)) {
        for (const m of this.#mounts) if (m.scheme === scheme) return m.adapter;
        throw new InvalidSchemaError(`No connection adapters were found for ${JSON.stringify(url)}`);
      }
    }
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new InvalidSchemaError(`No connection adapters were found for ${JSON.stringify(url)}`);
    }
    const scheme = u.protocol.slice(0, -1);
    let segments: string[] | undefined;
    for (const m of this.#mounts) {
      if (m.scheme !== scheme) continue;
      if (m.host !== undefined && m.host !== u.hostname) continue;
      if (m.port !== undefined && m.port !== effectivePort(u)) continue;
      if (m.segments.length > 0) {
        segments ??= pathSegments(u.pathname);
        if (!m.segments.every((s, i) => segments?.[i] === s)) continue;
      }
      return m.adapter;
    }
    throw new InvalidSchemaError(`No connection adapters were found for ${JSON.stringify(url)}`);
  }

  /** Prefix -> adapter, most specific first. */
  entries(): Array<[string, Adapter]> {
    return this.#mounts.map((m) => [m.prefix, m.adapter]);
  }

  /** Each distinct adapter once. */
  adapters(): Adapter[] {
    return [...new Set(this.#mounts.map((m) => m.adapter))];
  }
}
