import { InvalidHeaderError } from './errors.js';
import { fieldText, type RawFields, rawValues } from './raw-headers.js';

/** A header value as the API accepts it: numbers and booleans are written out. */
export type HeaderValue = string | number | boolean | bigint;

/** Anything the API accepts where headers are expected. `null` values mean "remove" when merged. */
export type HeadersInit =
  | Headers
  | Record<string, HeaderValue | readonly HeaderValue[] | null | undefined>
  | Iterable<readonly [string, HeaderValue | null]>;

// RFC 9110 token: the characters a field name may use.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Values may not carry CR, LF, NUL or other controls (header injection, or a value the
// transport rejects later with its own error), nor characters past latin1, nor start with
// whitespace (a folded continuation line on the wire).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const BAD_VALUE = /[\0-\x08\x0a-\x1f\x7f]|[^\0-\xff]|^[ \t]/;

/** Throws InvalidHeaderError for a name that is not an HTTP token. */
export function validateHeaderName(name: string): void {
  if (!TOKEN.test(name)) {
    throw new InvalidHeaderError(`Invalid header name ${JSON.stringify(name)}: must be an HTTP token`);
  }
}

/** Throws InvalidHeaderError for a value that would split or fold the header. */
export function validateHeaderValue(name: string, value: string): void {
  if (BAD_VALUE.test(value)) {
    throw new InvalidHeaderError(
      `Invalid value for header ${JSON.stringify(name)}: control characters (CR, LF, NUL …), non-latin1 characters and leading whitespace are not allowed`,
    );
  }
}

/**
 * The text of a header value. Anything without an obvious text form (an
 * object, an array, a function, `undefined`) is a TypeError naming the
 * header: `String()` would put `[object Object]` on the wire.
 */
function headerText(name: string, value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
  }
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw new TypeError(
    `Header ${JSON.stringify(name)} must be a string, number or boolean, got ${type}` +
      (type === 'array' ? ' (use append() for several values)' : ''),
  );
}

interface Entry {
  name: string;
  values: string[];
}

/**
 * A case-insensitive map of HTTP headers that keeps the case a name was last
 * set with (requests' `CaseInsensitiveDict`). Names and values are
 * validated on the way in, so a header can never smuggle CR/LF onto the wire.
 *
 * A name may hold several values (`append`); `get` joins them with `, `
 * except `Set-Cookie`, which is read with `getSetCookie()`.
 */
export class Headers implements Iterable<[string, string]> {
  /** Made on first use: many Headers stay empty (trailers, a request's before its headers are set). */
  #map: Map<string, Entry> | undefined;
  /** Fields as a parser delivered them, not yet in #map (see fromReceived). */
  #raw: RawFields | undefined;

  constructor(init?: HeadersInit | null) {
    if (init) this.update(init);
  }

  /**
   * @internal For adapters: the headers of a response exactly as their
   * HTTP/1.1 parser delivered them (`[name, value, ...]`, latin-1 bytes; the
   * parser refused CR, LF and NUL already). Kept as they are until something
   * other than `get`, `getAll` or `has` needs them as strings: most responses
   * are read for two or three headers, by core.
   */
  static fromReceived(raw: RawFields): Headers {
    const headers = new Headers();
    if (raw.length > 0) headers.#raw = raw;
    return headers;
  }

  /** The map, made from the raw fields first if they are still raw. */
  get #fields(): Map<string, Entry> {
    this.#map ??= new Map();
    const raw = this.#raw;
    if (raw) {
      this.#raw = undefined;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        this.appendReceived(
          fieldText(raw[i] as Uint8Array | string),
          fieldText(raw[i + 1] as Uint8Array | string),
        );
      }
    }
    return this.#map;
  }

  /** The value of `name` (several values joined with `, `), or `undefined`. */
  get(name: string): string | undefined {
    if (this.#raw) {
      const values = rawValues(this.#raw, name.toLowerCase());
      return values && (values.length === 1 ? values[0] : values.join(', '));
    }
    const e = this.#fields.get(name.toLowerCase());
    if (!e) return undefined;
    return e.values.length === 1 ? e.values[0] : e.values.join(', ');
  }

  /** Every `Set-Cookie` value, unjoined. */
  getSetCookie(): string[] {
    return this.getAll('set-cookie');
  }

  /** Every value of `name`, unjoined. */
  getAll(name: string): string[] {
    if (this.#raw) return rawValues(this.#raw, name.toLowerCase()) ?? [];
    const e = this.#fields.get(name.toLowerCase());
    return e ? e.values.slice() : [];
  }

  /**
   * Replaces `name`; the case of the new name is kept. `null` removes it:
   * a session header set to `null` is not sent (requests' `None`).
   */
  set(name: string, value: HeaderValue | null): this {
    if (value === null) {
      this.delete(name);
      return this;
    }
    const v = headerText(name, value);
    validateHeaderName(name);
    validateHeaderValue(name, v);
    this.#fields.set(name.toLowerCase(), { name, values: [v] });
    return this;
  }

  /** Adds a value to `name`, keeping the ones it has. `null` adds nothing. */
  append(name: string, value: HeaderValue | null): this {
    if (value === null) return this;
    const v = headerText(name, value);
    validateHeaderName(name);
    validateHeaderValue(name, v);
    const e = this.#fields.get(name.toLowerCase());
    if (e) e.values.push(v);
    else this.#fields.set(name.toLowerCase(), { name, values: [v] });
    return this;
  }

  /**
   * @internal For adapters: appends a field exactly as their HTTP parser
   * delivered it, which already refused CR, LF and NUL, so the headers of a
   * response are checked once (by the parser), not twice.
   */
  appendReceived(name: string, value: string): void {
    const key = name.toLowerCase();
    const e = this.#fields.get(key);
    if (e) e.values.push(value);
    else this.#fields.set(key, { name, values: [value] });
  }

  /** Calls `fn` for each value as its own pair, in order: `rawEntries()` without an iterator. */
  forEachRaw(fn: (name: string, value: string, key: string) => void): void {
    // `key`: the name in lower case, as the map has it already (no toLowerCase per field for the caller).
    for (const [key, e] of this.#fields) for (const v of e.values) fn(e.name, v, key);
  }

  has(name: string): boolean {
    if (this.#raw) return rawValues(this.#raw, name.toLowerCase()) !== undefined;
    return this.#fields.has(name.toLowerCase());
  }

  delete(name: string): boolean {
    return this.#fields.delete(name.toLowerCase());
  }

  /**
   * Sets every header of `init`; a `null` value deletes the name (the merge
   * rule of requests' `merge_setting`), an `undefined` one is skipped.
   */
  update(init: HeadersInit): this {
    if (init instanceof Headers) {
      const fields = this.#fields;
      for (const [key, e] of init.#fields) fields.set(key, { name: e.name, values: e.values.slice() });
      return this;
    }
    if (isPairs(init)) {
      for (const [k, v] of init) this.set(k, v);
      return this;
    }
    for (const [k, v] of Object.entries(init)) {
      // `undefined` is "not given" (leave the header as it is); `null` removes it.
      if (v === undefined) continue;
      if (v === null) this.delete(k);
      else if (Array.isArray(v)) {
        // Checked first, so that a bad element leaves the header as it was.
        const values = (v as readonly unknown[]).map((one) => headerText(k, one));
        this.delete(k);
        for (const one of values) this.append(k, one);
      } else this.set(k, v as HeaderValue);
    }
    return this;
  }

  /** Number of distinct names. */
  get size(): number {
    return this.#fields.size;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const e of this.#fields.values()) {
      yield [e.name, e.values.length === 1 ? (e.values[0] as string) : e.values.join(', ')];
    }
  }

  /** Each value as its own pair, `Set-Cookie` included; what goes on the wire. */
  *rawEntries(): IterableIterator<[string, string]> {
    for (const e of this.#fields.values()) for (const v of e.values) yield [e.name, v];
  }

  *keys(): IterableIterator<string> {
    for (const e of this.#fields.values()) yield e.name;
  }

  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** A plain object, original case kept. */
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.entries());
  }

  /** An independent copy. */
  copy(): Headers {
    return new Headers(this);
  }

  /** @internal Node's inspect / console.log. */
  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, string> {
    return this.toJSON();
  }
}

function isPairs(init: HeadersInit): init is Iterable<readonly [string, HeaderValue | null]> {
  return typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function';
}
