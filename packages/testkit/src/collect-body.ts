import type { RequestBody } from '@sess/core';

const encoder = new TextEncoder();

/**
 * Reads a request body into one byte array, the way a transport would put it
 * on the wire. A one-shot stream is consumed by this, exactly as a real send
 * would consume it. Returns a copy, so later changes to the caller's buffer do
 * not rewrite history.
 */
export async function collectBody(body: RequestBody | null): Promise<Uint8Array | null> {
  if (body === null) return null;
  if (body instanceof Uint8Array) return body.slice();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    // Node Readables in string mode yield strings even though the type says bytes.
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    chunks.push(bytes);
    size += bytes.byteLength;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
