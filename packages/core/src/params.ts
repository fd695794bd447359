/** A query parameter value; arrays repeat the key, `null` removes it when merged. */
export type ParamValue = string | number | boolean | ReadonlyArray<string | number | boolean>;
/** Query parameters as options accept them. */
export type Params =
  | Record<string, ParamValue | null | undefined>
  | URLSearchParams
  | Iterable<readonly [string, string]>;

/** Flattens params into pairs, skipping `null`/`undefined` values. */
export function paramPairs(params: Params | null | undefined): Array<[string, string]> {
  if (!params) return [];
  const out: Array<[string, string]> = [];
  if (params instanceof URLSearchParams || isIterable(params)) {
    for (const [k, v] of params as Iterable<readonly [string, string]>) out.push([k, String(v)]);
    return out;
  }
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v))
      for (const one of v as ReadonlyArray<string | number | boolean>) out.push([k, String(one)]);
    else out.push([k, String(v)]);
  }
  return out;
}

function isIterable(x: object): x is Iterable<unknown> {
  return typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/** Form-encodes pairs the way requests' `urlencode` does (spaces as `+`). */
export function encodePairs(pairs: ReadonlyArray<readonly [string, string]>): string {
  return new URLSearchParams(pairs as Array<[string, string]>).toString();
}
