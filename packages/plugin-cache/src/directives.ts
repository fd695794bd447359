import type { Headers } from '@sess/core';

/**
 * Cache-Control directives by lower-case name: `true` for a directive
 * without an argument, the (unquoted) argument otherwise. The first
 * occurrence of a name wins (RFC 9111 §4.2.1 allows it).
 */
export type Directives = ReadonlyMap<string, string | true>;

const NONE: Directives = new Map();

/** Parses a Cache-Control value (several field lines arrive joined with `, `). */
export function parseCacheControl(value: string | undefined): Directives {
  if (!value) return NONE;
  const out = new Map<string, string | true>();
  const n = value.length;
  let i = 0;
  while (i < n) {
    // name
    while (i < n && (value[i] === ',' || value[i] === ' ' || value[i] === '\t')) i++;
    const start = i;
    while (i < n && value[i] !== '=' && value[i] !== ',') i++;
    const name = value.slice(start, i).trim().toLowerCase();
    let arg: string | true = true;
    if (value[i] === '=') {
      i++;
      while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
      if (value[i] === '"') {
        // quoted-string: a comma inside it does not end the directive (no-cache="a, b").
        let s = '';
        i++;
        while (i < n && value[i] !== '"') {
          if (value[i] === '\\' && i + 1 < n) i++;
          s += value[i];
          i++;
        }
        i++;
        arg = s;
        while (i < n && value[i] !== ',') i++;
      } else {
        const vs = i;
        while (i < n && value[i] !== ',') i++;
        arg = value.slice(vs, i).trim();
      }
    }
    if (name && !out.has(name)) out.set(name, arg);
  }
  return out;
}

/**
 * The request's directives. `Pragma: no-cache` counts as `no-cache` when
 * there is no Cache-Control (RFC 9111 §5.4; HTTP/1.0 clients still send it).
 */
export function requestDirectives(headers: Headers): Directives {
  const cc = headers.get('cache-control');
  if (cc !== undefined) return parseCacheControl(cc);
  const pragma = headers.get('pragma');
  return pragma && /(^|,)\s*no-cache\s*(,|$)/i.test(pragma) ? new Map([['no-cache', true]]) : NONE;
}

/**
 * A delta-seconds directive in milliseconds. `undefined` when absent;
 * `bare` when present without a value (max-stale's "any staleness"); an
 * invalid value counts as 0, the cautious reading (RFC 9111 §1.2.2).
 */
export function seconds(d: Directives, name: string, bare = 0): number | undefined {
  const v = d.get(name);
  if (v === undefined) return undefined;
  if (v === true) return bare;
  if (!/^\d+$/.test(v)) return 0;
  // Values past 2^31 seconds are "infinity" (§1.2.2); Number keeps them exact enough.
  return Math.min(Number(v), 2 ** 31) * 1000;
}

/**
 * The field names of a qualified `no-cache="a, b"` or `private="a"`
 * (lower case), or `undefined` for the unqualified form.
 */
export function fieldNames(d: Directives, name: string): string[] | undefined {
  const v = d.get(name);
  if (typeof v !== 'string') return undefined;
  const names = v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return names.length > 0 ? names : undefined;
}
