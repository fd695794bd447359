/**
 * A body that can be iterated more than once: each iteration calls `open`
 * again. Used for Blobs and for multipart bodies built from replayable parts,
 * so that a redirect (307/308) or a digest challenge can send them again.
 */
export class ReplayableBody implements AsyncIterable<Uint8Array> {
  constructor(
    private readonly open: () => AsyncIterable<Uint8Array>,
    /** Total length in bytes when known. */
    readonly length?: number,
  ) {}
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.open()[Symbol.asyncIterator]();
  }
}

/** `true` for anything `for await` can read: a Node Readable, an async generator, a ReplayableBody. */
export function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array> {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

/** The chunks of a Blob; `Blob.stream()` can be opened any number of times. */
export async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  for await (const chunk of blob.stream() as unknown as AsyncIterable<Uint8Array>) yield chunk;
}

/** The bytes of an ArrayBuffer or any view on one, without copying. */
export function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** One Uint8Array holding `parts` in order. */
export function concatParts(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}
