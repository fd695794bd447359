import { randomBytes } from 'node:crypto';

/**
 * `n` pseudo-random bytes. With a seed the bytes are reproducible (a test can
 * compare two downloads); without one they come from the OS.
 */
export function randomBytesFor(n: number, seed: number | undefined): Buffer {
  if (seed === undefined) return randomBytes(n);
  const out = Buffer.allocUnsafe(n);
  // Marsaglia's xorshift32: enough to make payloads look random; not for security.
  // Zero is its fixed point, so the seed is mixed with a constant first.
  let state = (seed ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** Parses the `seed` query parameter; undefined when missing or not an integer. */
export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}
