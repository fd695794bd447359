/** The charset parameter of a Content-Type, unquoted and lower-cased. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return m?.[2]?.toLowerCase();
}

/** What `iterLines()` and `iterContent({ decodeUnicode: true })` decode with: a TextDecoder's `decode`. */
export interface StreamDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

// One decoder per label: building a TextDecoder (and validating its label) per response adds up on the hot path.
const decoders = new Map<string, Decoder>();
type Decoder = InstanceType<typeof TextDecoder>;

function decoderFor(label: string): Decoder {
  let d = decoders.get(label);
  if (!d) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = decoderFor('utf-8');
    }
    if (decoders.size < 64) decoders.set(label, d);
  }
  return d;
}

const UTF8 = decoderFor('utf-8');

export function safeLabel(label: string): string {
  return decoderFor(label).encoding;
}

/** `bytes` as text in the charset `label` (UTF-8 when unknown); a leading BOM of that charset is dropped. */
export function decodeText(bytes: Uint8Array, label: string): string {
  // The label of nearly every body: no UTF-32 check, no lookup.
  if (label === 'utf-8') return UTF8.decode(bytes);
  const utf32 = utf32Order(label);
  if (utf32 !== undefined) return new Utf32Decoder(utf32).decode(bytes);
  return decoderFor(label).decode(bytes);
}

/** A fresh decoder for a body read in chunks: a character split between chunks decodes whole. */
export function streamDecoder(label: string): StreamDecoder {
  const utf32 = utf32Order(label);
  return utf32 === undefined ? new TextDecoder(safeLabel(label)) : new Utf32Decoder(utf32);
}

type ByteOrder = 'le' | 'be' | 'bom';

/** TextDecoder knows no UTF-32: its labels as Python spells them (utf-32, utf_32_le, UTF32BE ...). */
function utf32Order(label: string): ByteOrder | undefined {
  const m = /^utf[-_]?32(?:[-_]?([lb]e))?$/i.exec(label.trim());
  if (!m) return undefined;
  return m[1] === undefined ? 'bom' : (m[1].toLowerCase() as ByteOrder);
}

const REPLACEMENT = 0xfffd;
const NO_BYTES = new Uint8Array(0);

/**
 * UTF-32 by hand, with TextDecoder's manners: a BOM is dropped (for plain
 * `utf-32` it picks the byte order, little-endian without one, as Python),
 * code points that cannot be (surrogates, above U+10FFFF) and a trailing
 * partial unit become U+FFFD, and with `stream: true` a partial unit waits
 * for the next chunk.
 */
class Utf32Decoder implements StreamDecoder {
  readonly #order: ByteOrder;
  #littleEndian: boolean;
  #pending: Uint8Array = NO_BYTES;
  #atStart = true;

  constructor(order: ByteOrder) {
    this.#order = order;
    this.#littleEndian = order !== 'be';
  }

  decode(input: Uint8Array = NO_BYTES, options?: { stream?: boolean }): string {
    let bytes = input;
    if (this.#pending.byteLength > 0) {
      bytes = new Uint8Array(this.#pending.byteLength + input.byteLength);
      bytes.set(this.#pending);
      bytes.set(input, this.#pending.byteLength);
    }
    const whole = bytes.byteLength - (bytes.byteLength % 4);
    let i = 0;
    if (this.#atStart && whole >= 4) {
      this.#atStart = false;
      i = this.#skipBom(bytes);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
    let out = '';
    const units: number[] = [];
    for (; i < whole; i += 4) {
      const cp = view.getUint32(i, this.#littleEndian);
      units.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? REPLACEMENT : cp);
      if (units.length === 4096) {
        out += String.fromCodePoint(...units);
        units.length = 0;
      }
    }
    out += String.fromCodePoint(...units);
    this.#pending = bytes.slice(whole);
    if (!options?.stream) {
      if (this.#pending.byteLength > 0) out += '\ufffd';
      this.#pending = NO_BYTES;
      this.#atStart = true;
      this.#littleEndian = this.#order !== 'be';
    }
    return out;
  }

  /** The BOM's length (0 or 4); for plain `utf-32`, the byte order it names. */
  #skipBom(bytes: Uint8Array): number {
    const le = bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0;
    const be = bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff;
    if (this.#order === 'bom' && (le || be)) this.#littleEndian = le;
    return (this.#littleEndian ? le : be) ? 4 : 0;
  }
}
