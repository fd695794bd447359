import type { FailureKind } from './classify.js';
import type { RetryHistoryEntry } from './history.js';
import {
  type BeforeRetryHook,
  checkOptions,
  DEFAULT_ALLOWED_METHODS,
  DEFAULT_BACKOFF_MAX,
  DEFAULT_MAX_RETRY_AFTER,
  DEFAULT_TOTAL,
  RETRY_AFTER_STATUS_CODES,
  type RetryCount,
  type RetryOptions,
} from './options.js';

/** What a failed attempt is charged to: a failure kind, or `status` for a status to retry. */
export type RetryCause = FailureKind | 'status';

const HTTP_DATE_LIKE = /[a-z]/i;

/**
 * urllib3's `Retry`, in camelCase with times in ms: an immutable value that
 * `increment()` turns into the next one. The plugin makes one per request
 * (per hop) from its options; you can use it on its own too.
 *
 * ```ts
 * let r = new Retry({ total: 3, backoffFactor: 100 });
 * r = r.increment('status', { status: 503 }); // -> r.isExhausted(), r.getBackoffTime()
 * ```
 */
export class Retry {
  /** urllib3's `DEFAULT_ALLOWED_METHODS`. */
  static readonly DEFAULT_ALLOWED_METHODS = DEFAULT_ALLOWED_METHODS;
  /** urllib3's `RETRY_AFTER_STATUS_CODES`. */
  static readonly RETRY_AFTER_STATUS_CODES = RETRY_AFTER_STATUS_CODES;
  static readonly DEFAULT_BACKOFF_MAX = DEFAULT_BACKOFF_MAX;

  readonly total: number | false | null;
  readonly connect: number | null;
  readonly read: number | null;
  readonly status: number | null;
  readonly other: number | null;
  readonly redirect: number | null;
  readonly backoffFactor: number;
  readonly backoffMax: number;
  readonly backoffJitter: number;
  readonly statusForcelist: ReadonlySet<number>;
  /** `null`: every method. */
  readonly allowedMethods: ReadonlySet<string> | null;
  readonly respectRetryAfterHeader: boolean;
  readonly maxRetryAfter: number;
  readonly raiseOnStatus: boolean;
  readonly idempotencyKey: boolean;
  readonly beforeRetry: BeforeRetryHook | null;
  /** The retries so far, oldest first. */
  readonly history: readonly RetryHistoryEntry[];

  constructor(options: RetryOptions = {}, history: readonly RetryHistoryEntry[] = []) {
    checkOptions(options, 'Retry options', false);
    this.total = options.total === undefined ? DEFAULT_TOTAL : options.total;
    this.connect = counter(options.connect);
    this.read = counter(options.read);
    this.status = counter(options.status);
    this.other = counter(options.other);
    this.redirect = counter(options.redirect);
    this.backoffFactor = options.backoffFactor ?? 0;
    this.backoffMax = options.backoffMax ?? DEFAULT_BACKOFF_MAX;
    this.backoffJitter = options.backoffJitter ?? 0;
    this.statusForcelist = new Set(options.statusForcelist ?? []);
    this.allowedMethods =
      options.allowedMethods === null
        ? null
        : options.allowedMethods === undefined
          ? DEFAULT_ALLOWED_METHODS
          : new Set([...options.allowedMethods].map((m) => m.toUpperCase()));
    this.respectRetryAfterHeader = options.respectRetryAfterHeader ?? true;
    this.maxRetryAfter = options.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER;
    this.raiseOnStatus = options.raiseOnStatus ?? true;
    this.idempotencyKey = options.idempotencyKey ?? false;
    this.beforeRetry = options.beforeRetry ?? null;
    this.history = history;
  }

  /** A Retry from options, a number (`total`), `false` (no retries) or another Retry (returned as is). */
  static from(value: Retry | RetryOptions | number | false | null | undefined): Retry {
    if (value instanceof Retry) return value;
    if (value === undefined || value === null) return new Retry();
    if (value === false || typeof value === 'number') return new Retry({ total: value });
    return new Retry(value);
  }

  /** The options this Retry was made from (counters as they stand now). */
  toOptions(): RetryOptions {
    return {
      total: this.total,
      connect: this.connect,
      read: this.read,
      status: this.status,
      other: this.other,
      redirect: this.redirect,
      backoffFactor: this.backoffFactor,
      backoffMax: this.backoffMax,
      backoffJitter: this.backoffJitter,
      statusForcelist: this.statusForcelist,
      allowedMethods: this.allowedMethods,
      respectRetryAfterHeader: this.respectRetryAfterHeader,
      maxRetryAfter: this.maxRetryAfter,
      raiseOnStatus: this.raiseOnStatus,
      idempotencyKey: this.idempotencyKey,
      beforeRetry: this.beforeRetry,
    };
  }

  /** A copy with `overrides` applied (urllib3's `Retry.new`); the history is kept. */
  with(overrides: RetryOptions): Retry {
    return new Retry({ ...this.toOptions(), ...overrides }, this.history);
  }

  /** `false` when retrying is off altogether (`total: false`). */
  get enabled(): boolean {
    return this.total !== false;
  }

  /** `true` when `method` may be retried after it may have reached the server (and on status). */
  isMethodRetryable(method: string): boolean {
    return this.allowedMethods === null || this.allowedMethods.has(method.toUpperCase());
  }

  /**
   * urllib3's `is_retry`: a status is retried for an allowed method when it
   * is in `statusForcelist`, or when it is 413, 429 or 503 and carries
   * Retry-After (with `respectRetryAfterHeader`).
   */
  isRetry(method: string, status: number, hasRetryAfter: boolean): boolean {
    return this.isMethodRetryable(method) && this.isRetryStatus(status, hasRetryAfter);
  }

  /** `isRetry` without the method check (the plugin decides that, idempotency keys included). */
  isRetryStatus(status: number, hasRetryAfter: boolean): boolean {
    if (!this.enabled) return false;
    if (this.statusForcelist.has(status)) return true;
    return (
      this.total !== 0 &&
      this.respectRetryAfterHeader &&
      hasRetryAfter &&
      RETRY_AFTER_STATUS_CODES.has(status)
    );
  }

  /**
   * The next Retry after a failed attempt charged to `cause` (urllib3's
   * `increment`): `total` and the cause's counter go down by one and the
   * history grows by an entry (its `delay` is filled in by the caller).
   */
  increment(
    cause: RetryCause,
    failure: { status?: number | undefined; error?: Error | undefined } = {},
  ): Retry {
    const next = Object.create(Retry.prototype) as Retry;
    Object.assign(next, this);
    const w = next as { -readonly [K in keyof Retry]: Retry[K] };
    if (typeof w.total === 'number') w.total -= 1;
    if (cause === 'connect' && w.connect !== null) w.connect -= 1;
    else if (cause === 'read' && w.read !== null) w.read -= 1;
    else if (cause === 'other' && w.other !== null) w.other -= 1;
    else if (cause === 'status' && w.status !== null) w.status -= 1;
    const entry: RetryHistoryEntry = {
      attempt: this.history.length + 1,
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      ...(failure.error !== undefined ? { error: failure.error } : {}),
      delay: 0,
    };
    w.history = [...this.history, entry];
    return next;
  }

  /** `true` once any counter has gone below zero (urllib3's `is_exhausted`); `total: false` always is. */
  isExhausted(): boolean {
    if (this.total === false) return true;
    for (const c of [this.total, this.connect, this.read, this.status, this.other, this.redirect]) {
      if (c !== null && c < 0) return true;
    }
    return false;
  }

  /** `true` when one more failure charged to `cause` would still be retried. */
  canRetry(cause: RetryCause): boolean {
    // What increment() then isExhausted() would say, without making a Retry (the plugin asks on every response).
    if (this.isExhausted()) return false;
    if (typeof this.total === 'number' && this.total < 1) return false;
    const own =
      cause === 'connect'
        ? this.connect
        : cause === 'read'
          ? this.read
          : cause === 'other'
            ? this.other
            : this.status;
    return own === null || own >= 1;
  }

  /**
   * urllib3 2's back-off in ms for the retry about to be made, from the
   * retries in the history: 0 for the first, then `backoffFactor * 2 ** (n - 1)`
   * for the n-th (plus a random 0..`backoffJitter`), at most `backoffMax`.
   * With `backoffFactor: 100`: 0, 200, 400, 800, ...
   */
  getBackoffTime(random: () => number = Math.random): number {
    const n = this.history.length;
    if (n <= 1) return 0;
    let value = this.backoffFactor * 2 ** (n - 1);
    if (this.backoffJitter !== 0) value += random() * this.backoffJitter;
    return Math.max(0, Math.min(this.backoffMax, value));
  }

  /**
   * The wait a `Retry-After` value asks for, in ms: delay-seconds or an
   * HTTP-date (0 when it is past); `undefined` when it is neither.
   */
  static parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
    if (value === undefined) return undefined;
    const v = value.trim();
    if (/^\d+$/.test(v)) return Number(v) * 1000;
    if (!HTTP_DATE_LIKE.test(v)) return undefined;
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
  }
}

function counter(v: RetryCount): number | null {
  if (v === undefined || v === null) return null;
  return v === false ? 0 : v;
}
