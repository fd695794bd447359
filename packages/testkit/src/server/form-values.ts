/** A query string or form as httpbin shows it: one value as a string, repeated keys as a list. */
export type FormValues = Record<string, string | string[]>;

/** Groups pairs by key, keeping order; a key seen twice turns into a list. */
export function groupPairs(pairs: Iterable<readonly [string, string]>): FormValues {
  const out: FormValues = Object.create(null);
  for (const [k, v] of pairs) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

/** The first value of `key`, whether it was given once or several times. */
export function firstValue(values: FormValues, key: string): string | undefined {
  const v = values[key];
  return Array.isArray(v) ? v[0] : v;
}
