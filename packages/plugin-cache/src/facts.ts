import { type Directives, parseCacheControl } from './directives.js';
import { type StoredResponse, storedHeader } from './stored.js';
import { parseVary } from './vary.js';

/** What the cache reads from a stored response's headers, parsed once. */
export interface Facts {
  readonly cc: Directives;
  /** Date, epoch ms; `undefined` when absent or invalid. */
  readonly date: number | undefined;
  /** Age, ms (0 when absent or invalid). */
  readonly age: number;
  /** Expires, epoch ms; `null` when present but invalid (already expired, §5.3); `undefined` when absent. */
  readonly expires: number | null | undefined;
  /** Last-Modified, epoch ms. */
  readonly lastModified: number | undefined;
  readonly lastModifiedRaw: string | undefined;
  readonly etag: string | undefined;
  /** Lower-case names from Vary; `'*'` for `Vary: *`. */
  readonly vary: readonly string[] | '*';
}

// Stores hand out the same object for every hit (the memory store), so parse once per object.
const memo = new WeakMap<StoredResponse, Facts>();

/** The parsed facts of `stored`. */
export function factsOf(stored: StoredResponse): Facts {
  let f = memo.get(stored);
  if (!f) {
    f = readFacts((name) => storedHeader(stored, name));
    memo.set(stored, f);
  }
  return f;
}

/** Facts from any header source (a live response's headers, before it is stored). */
export function readFacts(get: (name: string) => string | undefined): Facts {
  const expiresRaw = get('expires');
  let expires: number | null | undefined;
  if (expiresRaw !== undefined) expires = httpDate(expiresRaw) ?? null;
  const ageRaw = get('age')?.split(',')[0]?.trim();
  const lastModifiedRaw = get('last-modified');
  return {
    cc: parseCacheControl(get('cache-control')),
    date: httpDate(get('date')),
    age: ageRaw && /^\d+$/.test(ageRaw) ? Number(ageRaw) * 1000 : 0,
    expires,
    lastModified: httpDate(lastModifiedRaw),
    lastModifiedRaw,
    etag: get('etag'),
    vary: parseVary(get('vary')),
  };
}

/** An HTTP-date (any of the three forms Date.parse reads) as epoch ms. */
export function httpDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}
