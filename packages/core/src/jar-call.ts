import type { SendOptions } from './adapter.js';
import { AbortError, RequestError, TimeoutError } from './errors.js';
import type { PreparedRequest } from './prepared-request.js';
import { normalizeTimeout } from './timeout.js';

/** What bounds a wait on the cookie jar: the caller's signal and the request's `total` deadline. */
export interface JarBounds {
  signal?: AbortSignal | undefined;
  /** `performance.now()` value after which the wait fails with TimeoutError. */
  deadline?: number | undefined;
}

/** `true` for a thenable: what a jar on an async store returns. */
export const isPromise = <T>(x: T | Promise<T>): x is Promise<T> =>
  typeof (x as Promise<T>)?.then === 'function';

/**
 * A jar call as part of a request. A synchronous jar's answer passes straight
 * through (nothing is awaited on the hot path). A jar on an async store
 * (Redis) is awaited within the request's signal and `total` budget, so a
 * store that hangs cannot hang the request, and a store that fails gives a
 * RequestError that names the request instead of the store's own error.
 */
export function jarCall<T>(
  value: T | Promise<T>,
  request: PreparedRequest,
  bounds?: JarBounds,
): T | Promise<T> {
  if (!isPromise(value)) return value;
  return bounded(value, request, bounds ?? {});
}

async function bounded<T>(
  value: Promise<T>,
  request: PreparedRequest,
  { signal, deadline }: JarBounds,
): Promise<T> {
  const cleanups: Array<() => void> = [];
  const limit = new Promise<never>((_, reject) => {
    if (signal) {
      const onAbort = () =>
        reject(
          new AbortError('Request aborted while waiting for the cookie store', {
            request,
            cause: signal.reason,
          }),
        );
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
    }
    if (deadline !== undefined) {
      const timer = setTimeout(
        () => reject(new TimeoutError('Timed out waiting for the cookie store', { request })),
        Math.max(0, deadline - performance.now()),
      );
      cleanups.push(() => clearTimeout(timer));
    }
  });
  // The store's own promise may still reject after we gave up on it: never let that go unhandled.
  value.catch(() => {});
  try {
    return await (cleanups.length > 0 ? Promise.race([value, limit]) : value);
  } catch (err) {
    if (err instanceof RequestError) throw err;
    throw new RequestError(`Cookie store failed: ${err instanceof Error ? err.message : String(err)}`, {
      request,
      cause: err,
    });
  } finally {
    for (const c of cleanups) c();
  }
}

/** The signal and `total` deadline of one hop, taken when the hop starts. */
export function hopBounds(options: SendOptions): JarBounds {
  const total = normalizeTimeout(options.timeout).total;
  return { signal: options.signal, deadline: total === undefined ? undefined : performance.now() + total };
}
