import type { Headers } from '@sess/core';
import type { StoredResponse } from './stored.js';

/** The lower-case field names of a Vary value, or `'*'`. */
export function parseVary(value: string | undefined): readonly string[] | '*' {
  if (!value) return [];
  const names: string[] = [];
  for (const part of value.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '*') return '*';
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * A request field value compared for Vary (RFC 9111 §4.1): list members
 * trimmed and whitespace collapsed, so `a,b` and `a, b` select the same
 * variant.
 */
function normalize(value: string | undefined): string | null {
  if (value === undefined) return null;
  return value
    .split(',')
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .join(',');
}

/** The request's values of the fields `names` (what a variant is stored with). */
export function captureVary(
  names: readonly string[],
  request: Headers,
): Record<string, string | null> | undefined {
  if (names.length === 0) return undefined;
  const out: Record<string, string | null> = {};
  for (const name of names) out[name] = normalize(request.get(name));
  return out;
}

/** `true` when `request` selects the variant `stored` (RFC 9111 §4.1). */
export function varyMatches(stored: StoredResponse, request: Headers): boolean {
  const vary = stored.vary;
  if (!vary) return true;
  for (const name of Object.keys(vary)) {
    if (vary[name] !== normalize(request.get(name))) return false;
  }
  return true;
}

/** `true` when two variants were stored for the same request values (the newer replaces the older). */
export function sameVariant(a: StoredResponse, b: StoredResponse): boolean {
  const va = a.vary ?? {};
  const vb = b.vary ?? {};
  const ka = Object.keys(va);
  if (ka.length !== Object.keys(vb).length) return false;
  return ka.every((k) => k in vb && va[k] === vb[k]);
}
