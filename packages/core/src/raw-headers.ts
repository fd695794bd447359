/**
 * Header fields as an HTTP/1.1 parser delivers them: `[name, value, name,
 * value, ...]`, each a latin-1 byte string (undici hands over Buffers).
 * Looking a few names up in the list costs less than turning every field
 * into strings in a map: a response's headers are mostly never read.
 */
export type RawFields = readonly (Uint8Array | string)[];

/** Node's Buffer has decoded with `latin1Slice` since its first versions; `toString` adds checks and a dispatch. */
type Latin1Bytes = Uint8Array & { latin1Slice?(start: number, end: number): string };

/** A field's text (latin-1: one character per byte, as HTTP/1.1 field bytes are read). */
export function fieldText(field: Uint8Array | string): string {
  if (typeof field === 'string') return field;
  const bytes = field as Latin1Bytes;
  if (bytes.latin1Slice) return bytes.latin1Slice(0, bytes.length);
  // Not TextDecoder('latin1'): WHATWG maps that label to windows-1252.
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

/** `field` names `lower` (a lower-case name), ignoring ASCII case. */
function names(field: Uint8Array | string, lower: string): boolean {
  if (field.length !== lower.length) return false;
  if (typeof field === 'string') return field.toLowerCase() === lower;
  for (let i = 0; i < field.length; i++) {
    const b = field[i] as number;
    const c = lower.charCodeAt(i);
    // A-Z match their lower-case letter; every other byte only itself.
    if (b !== c && !(b >= 0x41 && b <= 0x5a && b + 0x20 === c)) return false;
  }
  return true;
}

/** The values of the fields named `lower` (a lower-case name), in order; `undefined` for none. */
export function rawValues(raw: RawFields, lower: string): string[] | undefined {
  let out: string[] | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!names(raw[i] as Uint8Array | string, lower)) continue;
    const value = fieldText(raw[i + 1] as Uint8Array | string);
    if (out) out.push(value);
    else out = [value];
  }
  return out;
}
