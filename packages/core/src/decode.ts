import { pipeline, Readable, type Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { ContentDecodingError, RequestError } from './errors.js';
import type { PreparedRequest } from './prepared-request.js';

// zstd arrived in Node 22.15 / 23.8; on older versions a zstd body is passed on undecoded.
const createZstdDecompress = (zlib as unknown as { createZstdDecompress?: () => Transform })
  .createZstdDecompress;

/** Whether this Node can decode `Content-Encoding: zstd`. */
export const ZSTD_SUPPORTED = typeof createZstdDecompress === 'function';

/**
 * The `Accept-Encoding` value matching what core decodes: `gzip, deflate,
 * br`, plus `zstd` where Node supports it. The session's default header.
 */
export const ACCEPT_ENCODING: string = ZSTD_SUPPORTED ? 'gzip, deflate, br, zstd' : 'gzip, deflate, br';

const KNOWN = new Set(['gzip', 'x-gzip', 'deflate', 'br', ...(ZSTD_SUPPORTED ? ['zstd'] : [])]);

/**
 * The decoders to run, in the order to run them (the reverse of the order the
 * codings were applied), or `undefined` when there is nothing to undo. A
 * coding core cannot undo leaves the whole body as the server sent it,
 * since the codings applied after it could not be unwrapped meaningfully anyway.
 */
export function decodingPlan(contentEncoding: string | undefined): string[] | undefined {
  if (!contentEncoding) return undefined;
  const plan: string[] = [];
  for (const part of contentEncoding.split(',')) {
    const coding = part.trim().toLowerCase();
    if (coding === '' || coding === 'identity') continue;
    if (!KNOWN.has(coding)) return undefined;
    plan.unshift(coding);
  }
  return plan.length > 0 ? plan : undefined;
}

/**
 * `deflate` is meant to be a zlib stream (RFC 9110), but servers often send
 * raw deflate; browsers accept both, and so do we. A zlib stream starts with a
 * CMF byte whose low nibble is 8 and a CMF/FLG pair that is a multiple of 31.
 */
function isZlibWrapped(first: Uint8Array): boolean {
  const cmf = first[0] as number;
  if ((cmf & 0x0f) !== 0x08) return false;
  return first.length < 2 || ((cmf << 8) | (first[1] as number)) % 31 === 0;
}

function createDecoder(coding: string, first: Uint8Array): Transform {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return isZlibWrapped(first) ? zlib.createInflate() : zlib.createInflateRaw();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return (createZstdDecompress as () => Transform)();
  }
}

const noop = (): void => {};

/**
 * Undoes one coding. The decoder is made when the first byte arrives, so an
 * empty body (HEAD-like answers, `Content-Length: 0`) is simply empty, and
 * `deflate` can look at its first bytes. Node's zlib streams stop inflating
 * while their output is not read, so a compression bomb only grows as far as
 * the consumer reads it.
 */
async function* decodeStage(
  coding: string,
  source: AsyncIterable<Uint8Array>,
  request: PreparedRequest,
): AsyncGenerator<Uint8Array, void, undefined> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const decoder = createDecoder(coding, first.value);
  // pipeline() carries a source failure into the decoder, and tears the source down
  // (calling its return()) when the decoder fails or is abandoned.
  pipeline(Readable.from(resume(first.value, it), { objectMode: false }), decoder, noop);
  try {
    yield* decoder as AsyncIterable<Uint8Array>;
  } catch (err) {
    if (err instanceof RequestError) throw err;
    throw new ContentDecodingError(
      `Could not decode the ${coding} response body: ${(err as Error).message}`,
      {
        request,
        cause: err,
      },
    );
  }
}

async function* resume(
  first: Uint8Array,
  it: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  yield first;
  yield* { [Symbol.asyncIterator]: () => it };
}

/** The body with every coding of `plan` undone, in order. Failures are ContentDecodingError. */
export function decodeBody(
  source: AsyncIterable<Uint8Array>,
  plan: readonly string[],
  request: PreparedRequest,
): AsyncIterable<Uint8Array> {
  let out = source;
  for (const coding of plan) out = decodeStage(coding, out, request);
  return out;
}
