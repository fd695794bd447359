import { decodeText } from './charset.js';
import { JSONDecodeError, type RequestErrorOptions } from './errors.js';

/**
 * The Unicode encoding of a JSON text without a declared charset, as
 * requests' `guess_json_utf` finds it (RFC 4627 §3): a BOM, else the
 * pattern of zero bytes in the first four (a JSON text starts with two
 * ASCII characters). `undefined` when the bytes fit none of them.
 */
export function guessJsonEncoding(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'utf-32be';
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  if (bytes.byteLength < 4) return undefined;
  const nulls = (a === 0 ? 1 : 0) + (b === 0 ? 1 : 0) + (c === 0 ? 1 : 0) + (d === 0 ? 1 : 0);
  if (nulls === 0) return 'utf-8';
  if (nulls === 2) {
    if (a === 0 && c === 0) return 'utf-16be';
    if (b === 0 && d === 0) return 'utf-16le';
  } else if (nulls === 3) {
    if (a === 0 && b === 0 && c === 0) return 'utf-32be';
    if (b === 0 && c === 0 && d === 0) return 'utf-32le';
  }
  return undefined;
}

/**
 * A body's JSON text: decoded with `declared` (the Content-Type charset, or
 * an `encoding` the caller set) when there is one, else with the encoding
 * guessed from the bytes, else `fallback`. A leading BOM is dropped.
 */
export function jsonText(bytes: Uint8Array, declared: string | undefined, fallback: string): string {
  const text = decodeText(bytes, declared ?? guessJsonEncoding(bytes) ?? fallback);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `JSON.parse(text)`, or a JSONDecodeError that says where, without quoting the body. */
export function parseJson<T>(text: string, response: RequestErrorOptions['response']): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const v8 = err instanceof Error ? err.message : '';
    const pos = positionIn(v8, text) ?? jsonErrorOffset(text);
    let detail = reasonOf(v8);
    if (pos !== undefined) {
      const { lineno, colno } = lineAndColumn(text, pos);
      detail += ` at position ${pos} (line ${lineno} column ${colno})`;
    }
    // V8's own SyntaxError quotes the input: the cause carries the same clean text instead.
    throw new JSONDecodeError(`Response body is not valid JSON: ${detail}`, {
      response,
      cause: new SyntaxError(detail),
      doc: text,
      pos,
    });
  }
}

/** 1-based line and column of offset `pos` in `doc` (lines end at \n), as Python's JSONDecodeError. */
function lineAndColumn(doc: string, pos: number): { lineno: number; colno: number } {
  let lineno = 1;
  let start = 0;
  for (let i = doc.indexOf('\n'); i !== -1 && i < pos; i = doc.indexOf('\n', i + 1)) {
    lineno++;
    start = i + 1;
  }
  return { lineno, colno: pos - start + 1 };
}

/** The offset V8's message gives: `... in JSON at position N`, or `(line L column C)`. */
function positionIn(message: string, text: string): number | undefined {
  const at = /\bat position (\d+)/.exec(message);
  if (at) return Math.min(Number(at[1]), text.length);
  const lc = /\(line (\d+) column (\d+)\)/.exec(message);
  if (!lc) return undefined;
  let start = 0;
  for (let line = Number(lc[1]); line > 1; line--) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return undefined;
    start = nl + 1;
  }
  return Math.min(start + Number(lc[2]) - 1, text.length);
}

/**
 * V8's message without the part of the input it quotes (`Unexpected token
 * 'a', "abc" is not valid JSON` is `Unexpected token`) or its position.
 * Whatever is left must be plain words: a message of a shape not foreseen
 * here becomes a generic one rather than risk quoting the body.
 */
function reasonOf(message: string): string {
  const reason = message
    .replace(/(?:^|,\s*)(?:\.\.\.)?".*$/s, '')
    .replace(/^Unexpected token (?:'.+?'|\S+)(?=,|\s|$)/su, 'Unexpected token')
    .replace(/\s+(?:in JSON\s+)?at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)\s*$/, '')
    .trim();
  if (/^[A-Za-z][A-Za-z -]*$/.test(reason.replace(/'[,:}\]]'/g, '')) && reason.length <= 80) return reason;
  return reason === '' ? 'Unexpected token' : 'Syntax error';
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const ESCAPES = new Set('"\\/bfnrt');

/**
 * The offset of the first syntax error in `text` (its length when the text
 * ends too early), `undefined` when it is valid JSON. For the messages in
 * which V8 names no position; iterative, so deep nesting cannot overflow.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  const open: Array<'}' | ']'> = [];
  const ws = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const string = (): boolean => {
    for (i++; i < n; ) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c !== 0x5c) i++;
      else if (text[i + 1] === 'u') {
        for (let k = 2; k < 6; k++) {
          if (!isHex(text.charCodeAt(i + k))) {
            i = Math.min(i + k, n);
            return false;
          }
        }
        i += 6;
      } else if (i + 1 < n && ESCAPES.has(text[i + 1] as string)) i += 2;
      else {
        i = Math.min(i + 1, n);
        return false;
      }
    }
    return false;
  };
  const digits = (): boolean => {
    if (!isDigit(text.charCodeAt(i))) return false;
    while (isDigit(text.charCodeAt(i))) i++;
    return true;
  };
  const number = (): boolean => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return false;
    if (text[i] === '.') {
      i++;
      if (!digits()) return false;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return false;
    }
    return true;
  };
  const literal = (word: string): boolean => {
    for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) return false;
    return true;
  };
  // A property name and its colon; true when a value is to follow.
  const key = (): boolean => {
    ws();
    if (text[i] !== '"' || !string()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };
  for (;;) {
    // A value is expected at i.
    ws();
    const c = text[i];
    let ok = true;
    if (c === '{' || c === '[') {
      i++;
      ws();
      const close = c === '{' ? '}' : ']';
      if (text[i] === close) i++;
      else {
        open.push(close);
        if (c === '{' && !key()) return Math.min(i, n);
        continue;
      }
    } else if (c === '"') ok = string();
    else if (c === '-' || isDigit(text.charCodeAt(i))) ok = number();
    else if (c === 't') ok = literal('true');
    else if (c === 'f') ok = literal('false');
    else if (c === 'n') ok = literal('null');
    else ok = false;
    if (!ok) return Math.min(i, n);
    // After a value: close what it ends, or go on to the next one.
    for (;;) {
      ws();
      const close = open.at(-1);
      if (close === undefined) return i < n ? i : undefined;
      if (text[i] === close) {
        i++;
        open.pop();
        continue;
      }
      if (text[i] !== ',') return Math.min(i, n);
      i++;
      if (close === '}' && !key()) return Math.min(i, n);
      break;
    }
  }
}
