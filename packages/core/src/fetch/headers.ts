import { InvalidHeaderError } from '../errors.js';
import { Headers as CoreHeaders } from '../headers.js';

// fetch strips leading and trailing HTTP whitespace from values; core refuses leading whitespace.
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/**
 * Any fetch `HeadersInit` (a global or foreign `Headers`, pairs, a record)
 * as core Headers, in the order given and with the names' case kept
 * (fetch puts on the wire what it was given; sess's Headers keep case).
 * A repeated name is appended, not replaced, as fetch's Headers do.
 * Invalid names or values are TypeErrors, as in fetch.
 */
export function toCoreHeaders(init: unknown): CoreHeaders | undefined {
  if (init === undefined || init === null) return undefined;
  if (typeof init !== 'object' && typeof init !== 'function')
    throw new TypeError('headers must be a Headers object, an array of [name, value] pairs or a record');
  const out = new CoreHeaders();
  if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of init as Iterable<unknown>) {
      // A Headers object yields arrays; so must a hand-written list.
      const entry = typeof pair === 'string' ? undefined : Array.from(pair as Iterable<unknown>);
      if (entry?.length !== 2)
        throw new TypeError(`Each header must be a [name, value] pair; got ${JSON.stringify(pair)}`);
      append(out, entry[0], entry[1]);
    }
  } else {
    for (const [name, value] of Object.entries(init)) append(out, name, value);
  }
  return out;
}

function append(out: CoreHeaders, name: unknown, value: unknown): void {
  try {
    // WebIDL ByteString conversion: whatever was given is written out, as fetch does.
    out.append(String(name), String(value).replace(EDGE_WHITESPACE, ''));
  } catch (err) {
    if (err instanceof InvalidHeaderError) throw new TypeError(err.message, { cause: err });
    throw err;
  }
}

/**
 * A global `Headers` holding every field of a core response, each value
 * appended on its own so that several `Set-Cookie` stay apart
 * (`getSetCookie()`). Global Headers lower-case names and iterate sorted:
 * that is fetch's contract. A value the global Headers refuses (core is
 * more lenient on obs-text) is left out rather than failing the response.
 */
export function toWebHeaders(core: CoreHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of core.rawEntries()) {
    try {
      out.append(name, value);
    } catch {
      // Not representable in a WHATWG Headers: skipped, the rest of the response still arrives.
    }
  }
  return out;
}
