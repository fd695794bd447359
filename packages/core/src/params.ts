/** One query or form value: text, a number or boolean (written out), or bytes (sent as they are). */
export type ParamScalar = string | number | boolean | bigint | Uint8Array;
/** A query parameter value; arrays repeat the key, `null` removes it when merged. */
export type ParamValue = ParamScalar | ReadonlyArray<ParamScalar | null | undefined>;
/**
 * Query parameters as options accept them: a map, `URLSearchParams`, pairs,
 * or a ready-made query (a string, or its bytes) sent as it is.
 */
export type Params =
  | Record<string, ParamValue | null | undefined>
  | URLSearchParams
  | Iterable<readonly [string, ParamScalar]>
  | string
  | Uint8Array;

/** A flattened key and value; bytes stay bytes so that they are encoded as they are. */
export type ParamPair = [string, string | Uint8Array];

/** What a value is, for messages: never the value itself, which may be a secret. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? name : 'object';
}

function scalar(value: unknown, where: string): string | Uint8Array {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
  }
  if (value instanceof Uint8Array) return value;
  // String() of an object gives `[object Object]` on the wire: refuse it where it was written.
  throw new TypeError(
    `${where} must be a string, number, boolean or Uint8Array (or an array of them), got ${describeType(value)}`,
  );
}

/**
 * Flattens params (or form fields) into pairs, skipping `null`/`undefined`
 * values, also inside arrays, as requests does.
 *
 * @param option - the option's name for messages: `params` or `data`.
 * @throws TypeError naming `<option>.<key>` for a value with no text form
 *   (an object, a Date, a function), or for params that are not a map or pairs.
 */
export function paramPairs(params: Params | null | undefined, option = 'params'): ParamPair[] {
  if (params === null || params === undefined) return [];
  if (typeof params === 'string' || params instanceof Uint8Array || typeof params !== 'object') {
    throw new TypeError(
      `${option} must be an object, URLSearchParams or [key, value] pairs here, got ${describeType(params)}`,
    );
  }
  const out: ParamPair[] = [];
  if (params instanceof URLSearchParams) {
    for (const [k, v] of params) out.push([k, v]);
    return out;
  }
  if (isIterable(params)) {
    for (const entry of params as Iterable<unknown>) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new TypeError(`${option} as a list must hold [key, value] pairs, got ${describeType(entry)}`);
      }
      const [k, v] = entry as [unknown, unknown];
      if (v === null || v === undefined) continue;
      out.push([String(k), scalar(v, `${option}.${String(k)}`)]);
    }
    return out;
  }
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      for (const one of v as unknown[]) {
        if (one !== null && one !== undefined) out.push([k, scalar(one, `${option}.${k}`)]);
      }
    } else out.push([k, scalar(v, `${option}.${k}`)]);
  }
  return out;
}

function isIterable(x: object): x is Iterable<unknown> {
  return typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}

const enc = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => `%${i.toString(16).toUpperCase().padStart(2, '0')}`);

/**
 * application/x-www-form-urlencoded bytes, as the WHATWG serializer (and
 * URLSearchParams) writes them: alphanumerics and `*-._` as they are, space
 * as `+`, every other byte `%XX`.
 */
function formEncode(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? enc.encode(value) : value;
  let out = '';
  for (const b of bytes) {
    if (
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2a ||
      b === 0x2d ||
      b === 0x2e ||
      b === 0x5f
    )
      out += String.fromCharCode(b);
    else if (b === 0x20) out += '+';
    else out += HEX[b];
  }
  return out;
}

/** Form-encodes pairs the way requests' `urlencode` does (spaces as `+`, bytes as they are). */
export function encodePairs(pairs: ReadonlyArray<readonly [string, string | Uint8Array]>): string {
  return pairs.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join('&');
}

/**
 * A query given as bytes, as URL text: ASCII as it is (the URL parser
 * escapes what must be), every other byte `%XX`, so the bytes on the wire
 * are exactly those given, whatever their encoding.
 */
function bytesToQuery(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : HEX[b];
  return out;
}

/**
 * The query text for params: a string (or its bytes) as it is, minus a
 * leading `?` (requests sends a str/bytes query unchanged); anything else
 * form-encoded. `''` when there is nothing to add.
 */
export function encodeParams(params: Params | null | undefined): string {
  if (params === null || params === undefined) return '';
  if (typeof params === 'string') return params.replace(/^\?/, '');
  if (params instanceof Uint8Array) return bytesToQuery(params).replace(/^\?/, '');
  return encodePairs(paramPairs(params, 'params'));
}
