/**
 * The request headers every client must send: those of a fresh sess
 * Session. The check asks each client to GET /headers, which echoes what the
 * server received, and lists what differs, so a row that sends more or less
 * than sess is visible in the report instead of silently cheaper or dearer.
 */
import { Session } from 'sess';
import type { ClientDef } from '../clients/index.js';

export async function sessHeaders(): Promise<Record<string, string>> {
  const s = new Session();
  const headers = Object.fromEntries(s.headers.entries());
  await s.close();
  return headers;
}

/** Connection-specific fields, which HTTP/2 forbids (RFC 9113 §8.2.2); sess's Http2Adapter drops them. */
const NOT_IN_HTTP2 = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

/** The headers for the HTTP/2 scenario: sess's, less those HTTP/2 forbids (`Connection: keep-alive`). */
export function http2Headers(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !NOT_IN_HTTP2.has(k.toLowerCase())));
}

export interface HeaderDiff {
  readonly client: string;
  /** sess headers the server did not receive, or received with another value. */
  readonly missing: readonly string[];
  /** Headers the server received that sess does not send (`host` aside). */
  readonly extra: readonly string[];
  /** Set when the client could not even make the request. */
  readonly error?: string;
}

export async function checkHeaders(
  defs: readonly ClientDef[],
  origin: string,
  headers: Readonly<Record<string, string>>,
): Promise<HeaderDiff[]> {
  const expected = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const diffs: HeaderDiff[] = [];
  for (const def of defs) {
    try {
      const client = await def.setup(origin, headers);
      const got = (await client.get('/headers', 'json')) as Record<string, string>;
      await client.close();
      const missing = [...expected]
        .filter(([k, v]) => got[k] !== v)
        .map(([k]) => (got[k] === undefined ? k : `${k}: ${got[k]}`));
      const extra = Object.keys(got)
        .filter((k) => k !== 'host' && !expected.has(k))
        .map((k) => `${k}: ${got[k]}`);
      if (missing.length > 0 || extra.length > 0) diffs.push({ client: def.name, missing, extra });
    } catch (err) {
      diffs.push({ client: def.name, missing: [], extra: [], error: String(err) });
    }
  }
  return diffs;
}
