import type { RequestError, Response } from '@sess/core';

/** One retry: the attempt that failed, how, and how long the plugin waited before the next one. */
export interface RetryHistoryEntry {
  /** The number of the attempt that failed (1 for the first request). */
  readonly attempt: number;
  /** Its status, when it failed with a status to retry. */
  readonly status?: number | undefined;
  /** Its error, when it failed with one. */
  readonly error?: Error | undefined;
  /** Milliseconds waited before the next attempt (0 when none was made). */
  delay: number;
  /**
   * `true` on a last entry whose retry the budget refused: no attempt
   * followed it. The only entry that does not stand for a retry made.
   */
  budgetExhausted?: true | undefined;
}

const NONE: readonly RetryHistoryEntry[] = Object.freeze([]);

/** Puts `history` on a response or error (an own property, like any field). */
export function setRetries(target: Response | RequestError, history: readonly RetryHistoryEntry[]): void {
  target.retries = history.length === 0 ? NONE : history;
}

/**
 * The retries of a response or error the plugin returned or threw; an
 * empty list when it made none (or did not see it).
 */
export function retriesOf(target: Response | Error | null | undefined): readonly RetryHistoryEntry[] {
  const r = (target as { retries?: unknown } | null | undefined)?.retries;
  return Array.isArray(r) ? (r as RetryHistoryEntry[]) : NONE;
}
