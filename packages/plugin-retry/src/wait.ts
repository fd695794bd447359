import { abortReason, type PreparedRequest } from '@sess/core';

/**
 * Waits `ms`, or rejects with the signal's error (AbortError, or the
 * session's TimeoutError at the deadline) as soon as it fires.
 */
export function wait(ms: number, signal: AbortSignal | undefined, request: PreparedRequest): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal, request));
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal, request));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
