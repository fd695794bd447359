import { decodeBody, decodingPlan } from './decode.js';
import { ChunkedEncodingError, InvalidHeaderError, ResponseTooLargeError } from './errors.js';
import type { Headers } from './headers.js';
import type { PreparedRequest } from './prepared-request.js';
import { type ProgressCallback, ProgressReporter } from './progress.js';
import { type RequestStop, raceStop, signalStop } from './stop.js';

/**
 * A response body an adapter hands over unread: the bytes as they came off
 * the wire (still content-encoded), and a way to give the connection back
 * without reading the rest. Core decodes, bounds and times it.
 */
export interface BodySource extends AsyncIterable<Uint8Array> {
  /** Stop reading and release the connection. Must be safe to call twice, and after the end. */
  cancel(): void | Promise<void>;
  /**
   * Optional fast path: the whole raw body in one promise, for a caller that
   * wants all of it (`stream: false`). Same failures as iterating.
   */
  readAll?(): Promise<Uint8Array>;
  /**
   * `true`: the source fails by itself, with the stop's error, when the
   * request's stop (`stopOf(options)`, `options.signal`) fires, as the
   * adapter contract asks. Core then does not race its reads against the
   * stop (a promise and a listener per read saved). Leave it out when unsure:
   * core's race keeps a source that misses the stop from holding the caller.
   */
  readonly stopsItself?: boolean;
  /**
   * Optional: the whole raw body, if all of it has arrived already, taking
   * it (as `readAll()` would); `undefined` when some is still to come (the
   * source is then untouched). A small response usually arrives with its
   * headers: core then reads it without a wait.
   */
  readComplete?(): Uint8Array | undefined;
}

/** What bounds a body while core reads it. */
export interface BodyLimits {
  /** Decoded bytes allowed; beyond it ResponseTooLargeError. */
  maxSize?: number | undefined;
  /** Fires on the caller's abort or the request's deadline: reading stops with its error. */
  signal?: AbortSignal | undefined;
  /** The same as `signal`, cheaper (the session passes its clock); used instead of `signal` when set. */
  stop?: RequestStop | undefined;
  /** Download progress of the decoded bytes (at most every 50 ms, and at the end). */
  onProgress?: ProgressCallback | undefined;
}

/** What core knows of a raw body before reading it. */
export interface BodyPlan {
  /** Decoders to run, in order, or undefined. */
  codings: readonly string[] | undefined;
  /** Raw bytes the server declared (Content-Length), when it did. */
  expected: number | undefined;
}

/** What stops the read: the session's clock, or a plugin's signal. */
function stopOfLimits(limits: BodyLimits): RequestStop | undefined {
  return limits.stop ?? signalStop(limits.signal);
}

/** Reads a response's framing headers once. `decoded`: the source yields decoded bytes already. */
export function planBody(headers: Headers, decoded: boolean, request?: PreparedRequest): BodyPlan {
  const codings = decoded ? undefined : decodingPlan(headers.get('content-encoding'));
  let length = headers.get('content-length');
  if (length?.includes(',')) {
    // Repeated Content-Length (RFC 9110 §8.6): identical copies are one value; different ones
    // mean no one knows where the body ends (a response-splitting smell): refuse.
    const values = new Set(length.split(',').map((v) => v.trim()));
    if (values.size > 1)
      throw new InvalidHeaderError(
        `The response has ${values.size} different Content-Length values (${[...values].join(', ')})`,
        { request },
      );
    length = [...values][0];
  }
  // With Transfer-Encoding the length is meaningless (RFC 9112 §6.3); a bad value is the adapter's to refuse.
  const expected =
    length !== undefined && !headers.has('transfer-encoding') && /^\d+$/.test(length)
      ? Number(length)
      : undefined;
  return { codings, expected };
}

/** Refuses, before reading a byte, a body whose declared (undecoded) length is over the limit. */
export function checkDeclaredSize(plan: BodyPlan, limits: BodyLimits, request: PreparedRequest): void {
  const max = limits.maxSize;
  if (max !== undefined && plan.codings === undefined && plan.expected !== undefined && plan.expected > max) {
    throw new ResponseTooLargeError(
      `The response body (Content-Length ${plan.expected}) is larger than maxResponseSize (${max} bytes)`,
      { request },
    );
  }
}

/** The error for a body that ended before its Content-Length. */
export function truncated(got: number, expected: number, request: PreparedRequest): ChunkedEncodingError {
  return new ChunkedEncodingError(
    `The response body ended after ${got} of ${expected} bytes (Content-Length)`,
    { request },
  );
}

/** The error for a decoded body over `maxResponseSize`. */
export function tooLarge(max: number, request: PreparedRequest): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `The decoded response body is larger than maxResponseSize (${max} bytes)`,
    {
      request,
    },
  );
}

/**
 * The body as the caller sees it: raw bytes counted against Content-Length
 * (a short body is a ChunkedEncodingError, never a short success), content
 * codings undone, decoded bytes bounded by `maxSize` (so a compression bomb
 * stops early), and the signal obeyed between chunks. Stopping early
 * cancels the source.
 */
export async function* decodedChunks(
  source: BodySource,
  plan: BodyPlan,
  limits: BodyLimits,
  request: PreparedRequest,
): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    checkDeclaredSize(plan, limits, request);
  } catch (err) {
    // Nothing of it will be read: give the connection back.
    await source.cancel();
    throw err;
  }
  const { maxSize } = limits;
  const stop = stopOfLimits(limits);
  let onAbort: (() => void) | undefined;
  if (stop) {
    if (stop.stopped) {
      await source.cancel();
      throw stop.error(request);
    }
    // Cancelling ends a pending read on the adapter's side; the loop then reports the stop's error.
    onAbort = () => void source.cancel();
    stop.onStop(onAbort);
  }
  let complete = false;
  const progress = limits.onProgress
    ? new ProgressReporter(limits.onProgress, plan.codings ? undefined : plan.expected)
    : undefined;
  try {
    const raw = counted(source, plan.expected, request, stop);
    const chunks = plan.codings ? decodeBody(raw, plan.codings, request) : raw;
    let size = 0;
    for await (const chunk of chunks) {
      if (stop?.stopped) throw stop.error(request);
      size += chunk.byteLength;
      if (maxSize !== undefined && size > maxSize) throw tooLarge(maxSize, request);
      progress?.add(chunk.byteLength);
      yield chunk;
    }
    if (stop?.stopped) throw stop.error(request);
    complete = true;
    progress?.end();
  } catch (err) {
    if (stop?.stopped) throw stop.error(request);
    throw err;
  } finally {
    if (onAbort) stop?.offStop(onAbort);
    // A no-op once the body is complete; otherwise it frees the connection.
    if (!complete) await source.cancel();
  }
}

async function* counted(
  source: BodySource,
  expected: number | undefined,
  request: PreparedRequest,
  stop: RequestStop | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  let got = 0;
  const it = source[Symbol.asyncIterator]();
  for (;;) {
    // With a stop, a source that is slow to notice its cancel() cannot hold the caller past it.
    const step = await (stop ? raceStop(it.next(), stop, request) : it.next());
    if (step.done) break;
    got += step.value.byteLength;
    yield step.value;
  }
  if (stop?.stopped) throw stop.error(request);
  if (expected !== undefined && got < expected) throw truncated(got, expected, request);
}

/** The chunks as one array of `size` bytes (their total): no copy for a single chunk. For adapters' whole-body reads. */
export function concatChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/**
 * The whole decoded body. When there is nothing to decode and the source
 * offers `readAll()`, one promise for the whole body (the `stream: false`
 * hot path); otherwise the chunks of `decodedChunks`, joined.
 */
/** Whether `readWhole` may take the body in one piece (the one-promise path, or readComplete). */
function wholeAtOnce(plan: BodyPlan, limits: BodyLimits): boolean {
  return (
    plan.codings === undefined &&
    !limits.onProgress &&
    (limits.maxSize === undefined || plan.expected !== undefined)
  );
}

/** The raw body's checks once it is all in: its Content-Length, and the size limit. */
function checkWhole(
  bytes: Uint8Array,
  plan: BodyPlan,
  limits: BodyLimits,
  request: PreparedRequest,
): Uint8Array {
  if (plan.expected !== undefined && bytes.byteLength < plan.expected)
    throw truncated(bytes.byteLength, plan.expected, request);
  if (limits.maxSize !== undefined && bytes.byteLength > limits.maxSize)
    throw tooLarge(limits.maxSize, request);
  return bytes;
}

/**
 * `readWhole` without a wait: the body, bounded and checked, when the source
 * has all of it already and nothing has to be decoded; `undefined` (and the
 * source untouched) otherwise.
 */
export function readWholeNow(
  source: BodySource,
  plan: BodyPlan,
  limits: BodyLimits,
  request: PreparedRequest,
): Uint8Array | undefined {
  if (!source.readComplete || !wholeAtOnce(plan, limits)) return undefined;
  checkDeclaredSize(plan, limits, request);
  const bytes = source.readComplete();
  return bytes === undefined ? undefined : checkWhole(bytes, plan, limits, request);
}

export async function readWhole(
  source: BodySource,
  plan: BodyPlan,
  limits: BodyLimits,
  request: PreparedRequest,
): Promise<Uint8Array> {
  // Progress wants chunks as they come: the one-promise path is for everyone else.
  if (source.readAll && wholeAtOnce(plan, limits)) {
    try {
      checkDeclaredSize(plan, limits, request);
    } catch (err) {
      // Nothing of it will be read: give the connection back.
      await source.cancel();
      throw err;
    }
    let bytes: Uint8Array;
    try {
      // A source that stops itself does so at the request's stop (limits.stop, the session's clock);
      // a signal of a plugin's own (limits.signal alone) it does not know: that one is raced.
      const stop = source.stopsItself && limits.stop ? undefined : stopOfLimits(limits);
      bytes = await (stop ? raceStop(source.readAll(), stop, request) : source.readAll());
    } catch (err) {
      await source.cancel();
      throw err;
    }
    return checkWhole(bytes, plan, limits, request);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of decodedChunks(source, plan, limits, request)) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  return concatChunks(chunks, size);
}
