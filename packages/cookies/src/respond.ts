import type { Callback, ErrorCallback } from 'tough-cookie';

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Answers a tough-cookie store call that was computed synchronously: through
 * `callback` when one was given (before returning, which is what makes the
 * store synchronous), as a promise otherwise.
 */
export function respond<T>(callback: Callback<T> | undefined, compute: () => T): Promise<T> | undefined {
  let result: T;
  try {
    result = compute();
  } catch (e) {
    if (!callback) return Promise.reject(asError(e));
    callback(asError(e));
    return undefined;
  }
  if (!callback) return Promise.resolve(result);
  callback(null, result);
  return undefined;
}

/** {@link respond} for calls that return nothing. */
export function respondVoid(
  callback: ErrorCallback | undefined,
  compute: () => void,
): Promise<void> | undefined {
  try {
    compute();
  } catch (e) {
    if (!callback) return Promise.reject(asError(e));
    callback(asError(e));
    return undefined;
  }
  if (!callback) return Promise.resolve();
  callback(null);
  return undefined;
}

/** Answers a store call from a promise: through `callback` when given, else the promise itself. */
export function respondLater<T>(
  callback: Callback<T> | undefined,
  promise: Promise<T>,
): Promise<T> | undefined {
  if (!callback) return promise;
  promise.then(
    (result) => callback(null, result),
    (e: unknown) => callback(asError(e)),
  );
  return undefined;
}

/** {@link respondLater} for calls that return nothing. */
export function respondLaterVoid(
  callback: ErrorCallback | undefined,
  promise: Promise<void>,
): Promise<void> | undefined {
  if (!callback) return promise;
  promise.then(
    () => callback(null),
    (e: unknown) => callback(asError(e)),
  );
  return undefined;
}
