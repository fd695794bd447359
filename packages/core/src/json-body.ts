const enc = new TextEncoder();

/** A property path for messages: `json.items[2].price`, `json["a b"]`. */
function childPath(base: string, holder: object, key: string): string {
  if (Array.isArray(holder)) return `${base}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/**
 * `json` as UTF-8 JSON bytes. Refuses what JSON cannot hold rather than
 * send something else: NaN and ±Infinity (JSON.stringify would write
 * `null`; requests refuses them with `allow_nan=False`), BigInt, and values
 * with no JSON form at all (a function, a symbol). `toJSON()` is honoured
 * first, so a Date is fine.
 *
 * @throws TypeError naming where the value is (`json.a.b[1]`) and what it is.
 */
export function encodeJson(json: unknown): Uint8Array {
  // Each object JSON.stringify descends into, with its path, so that the replacer can name a bad leaf.
  const paths = new WeakMap<object, string>();
  let ours: TypeError | undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(json, function (this: object, key: string, value: unknown) {
      const base = paths.get(this);
      const path = base === undefined ? 'json' : childPath(base, this, key);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        ours = new TypeError(
          `${path} is ${value}: JSON has no NaN or Infinity (JSON.stringify would send null); ` +
            'send null or a string instead',
        );
        throw ours;
      }
      if (typeof value === 'bigint') {
        ours = new TypeError(
          `${path} is a BigInt, which JSON cannot hold: convert it to a string (or a number) first`,
        );
        throw ours;
      }
      if (typeof value === 'object' && value !== null) paths.set(value, path);
      return value;
    });
  } catch (err) {
    if (err === ours || !(err instanceof TypeError)) throw err;
    // A circular structure, or a TypeError from a toJSON(): say which option it was.
    throw new TypeError(`json cannot be serialised: ${err.message}`, { cause: err });
  }
  if (text === undefined) {
    throw new TypeError(`json cannot be serialised: a ${typeof json} has no JSON form`);
  }
  return enc.encode(text);
}
