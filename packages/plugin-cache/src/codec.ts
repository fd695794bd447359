import type { CacheEntry, StoredResponse } from './stored.js';

/**
 * A compact binary form of a CacheEntry, for stores that keep bytes (the
 * file store, Redis, yours): a 4-byte magic `SCE1`, a 32-bit big-endian
 * length, that many bytes of JSON (everything but the bodies, each with
 * its body's length), then the bodies back to back, unencoded.
 */
const MAGIC = [0x53, 0x43, 0x45, 0x31] as const;
const enc = new TextEncoder();
const dec = new TextDecoder();

interface VariantMeta extends Omit<StoredResponse, 'body'> {
  readonly bodyLength: number;
}

/** The entry as bytes (see the format above). */
export function encodeEntry(entry: CacheEntry): Uint8Array {
  const meta: VariantMeta[] = entry.variants.map(({ body, ...rest }) => ({
    ...rest,
    bodyLength: body.byteLength,
  }));
  const json = enc.encode(JSON.stringify({ variants: meta }));
  let size = 8 + json.byteLength;
  for (const v of entry.variants) size += v.body.byteLength;
  const out = new Uint8Array(size);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, json.byteLength);
  out.set(json, 8);
  let offset = 8 + json.byteLength;
  for (const v of entry.variants) {
    out.set(v.body, offset);
    offset += v.body.byteLength;
  }
  return out;
}

function isVariant(v: unknown): v is VariantMeta {
  const m = v as Partial<VariantMeta> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.url === 'string' &&
    typeof m.statusCode === 'number' &&
    typeof m.reason === 'string' &&
    (m.httpVersion === '1.0' || m.httpVersion === '1.1' || m.httpVersion === '2') &&
    typeof m.requestTime === 'number' &&
    typeof m.responseTime === 'number' &&
    typeof m.bodyLength === 'number' &&
    Array.isArray(m.headers) &&
    m.headers.every((h) => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string')
  );
}

/**
 * The entry `bytes` hold, or `undefined` when they are not one (another
 * format, truncated, corrupt): a store treats that as a miss. Bodies are
 * views into `bytes`, not copies.
 */
export function decodeEntry(bytes: Uint8Array): CacheEntry | undefined {
  if (bytes.byteLength < 8 || MAGIC.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(4);
  if (8 + jsonLength > bytes.byteLength) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(dec.decode(bytes.subarray(8, 8 + jsonLength)));
  } catch {
    return undefined;
  }
  const metas = (parsed as { variants?: unknown } | null)?.variants;
  if (!Array.isArray(metas) || !metas.every(isVariant)) return undefined;
  let offset = 8 + jsonLength;
  const variants: StoredResponse[] = [];
  for (const { bodyLength, ...rest } of metas) {
    if (offset + bodyLength > bytes.byteLength) return undefined;
    // A plain Uint8Array view (a Buffer's subarray would be a Buffer): the same type a live body has.
    variants.push({ ...rest, body: new Uint8Array(bytes.buffer, bytes.byteOffset + offset, bodyLength) });
    offset += bodyLength;
  }
  return offset === bytes.byteLength ? { variants } : undefined;
}
