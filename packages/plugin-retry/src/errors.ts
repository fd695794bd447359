import { RetryError as CoreRetryError, type RequestError, type RequestErrorOptions } from '@sess/core';
import { type RetryHistoryEntry, setRetries } from './history.js';

/** Options of the plugin's RetryError: core's, plus the retries made. */
export interface RetryErrorOptions extends RequestErrorOptions {
  retries?: readonly RetryHistoryEntry[] | undefined;
}

/**
 * Retries of a status ran out (or could not be made) and `raiseOnStatus` is
 * on. `response` is the last response (its body read unless streaming),
 * `cause` the last error met on the way, if any, and `retries` the history.
 * An `instanceof` core's `RetryError`, with the same code (ERR_SESS_RETRY).
 */
export class RetryError extends CoreRetryError {
  declare retries: readonly RetryHistoryEntry[];

  constructor(message: string, options: RetryErrorOptions = {}) {
    const { retries, ...rest } = options;
    super(message, rest);
    setRetries(this, retries ?? []);
  }

  /** Every error met on the way, oldest first. */
  get causes(): Error[] {
    return this.retries.flatMap((e) => (e.error ? [e.error] : []));
  }
}

/**
 * The error the plugin throws when it gives up on a retriable error: one of
 * the same class (so `instanceof ConnectionError` and friends hold as they
 * would without the plugin), whose message says why, with the original as
 * `cause` and the history as `retries`.
 */
export function giveUpError(
  err: RequestError,
  reason: string,
  history: readonly RetryHistoryEntry[],
): RequestError {
  let out: RequestError = err;
  try {
    const Ctor = err.constructor as new (message: string, options: RequestErrorOptions) => RequestError;
    out = new Ctor(`${reason}: ${err.message}`, { request: err.request, response: err.response, cause: err });
  } catch {
    // A class that does not take (message, options): keep the original.
  }
  setRetries(out, history);
  return out;
}
