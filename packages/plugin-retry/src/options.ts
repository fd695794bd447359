import type { PreparedRequest, Response } from '@sess/core';
import type { RetryHistoryEntry } from './history.js';

/** A retry counter: a number of retries, `false` (none: `0`), or `null`/`undefined` (not limited by it). */
export type RetryCount = number | false | null | undefined;

/** What `beforeRetry` sees, once a retry has been decided and before its back-off starts. */
export interface BeforeRetryContext {
  /** A copy of the request, about to be sent: change it in place (headers, URL) to send something else. */
  readonly request: PreparedRequest;
  /** The number of the attempt about to be made: 2 for the first retry. */
  readonly attempt: number;
  /** The error of the failed attempt, when it failed with one. */
  readonly error?: Error | undefined;
  /** The response of the failed attempt, when it was a status to retry. Its body is not read. */
  readonly response?: Response | undefined;
  /** Milliseconds the plugin is about to wait. */
  readonly delay: number;
  /** The retries so far, this one included (its `delay` is `delay`). */
  readonly retries: readonly RetryHistoryEntry[];
}

/**
 * `false` cancels the retry: the failed attempt's outcome is returned (a
 * response) or thrown (an error) as it is.
 */
export type BeforeRetryHook = (
  context: BeforeRetryContext,
) => void | boolean | undefined | Promise<void | boolean | undefined>;

/**
 * urllib3's `Retry` in camelCase, times in milliseconds. Every field is
 * optional; see the README for the defaults and what each counter counts.
 */
export interface RetryOptions {
  /** Retries in all, whatever the cause; `false` turns retrying off. Default 3. */
  total?: RetryCount;
  /** Retries of failures before the request reached the server (connect errors and timeouts, pool timeouts). */
  connect?: RetryCount;
  /** Retries of failures after the request may have reached the server (reset, read timeout, truncated body). */
  read?: RetryCount;
  /** Retries of responses whose status asks for one (`statusForcelist`, or 413/429/503 with Retry-After). */
  status?: RetryCount;
  /** Retries of other transient failures (a proxy that refused the tunnel). */
  other?: RetryCount;
  /**
   * Accepted for urllib3 compatibility and has no effect: the session follows
   * redirects itself (`maxRedirects`), outside the plugin chain.
   */
  redirect?: RetryCount;
  /** Back-off base in ms: the n-th consecutive retry waits `backoffFactor * 2 ** (n - 1)`, the first none. Default 0. */
  backoffFactor?: number;
  /** The longest back-off in ms. Default 120 000. */
  backoffMax?: number;
  /** A random 0..`backoffJitter` ms added to each back-off after the first. Default 0. */
  backoffJitter?: number;
  /** Statuses retried for an allowed method. Default none (but see `respectRetryAfterHeader`). */
  statusForcelist?: Iterable<number>;
  /**
   * Methods retried after the request may have reached the server, and on
   * status. Default the idempotent ones: HEAD GET PUT DELETE OPTIONS TRACE.
   * `null`: every method. Connect failures are retried for any method.
   */
  allowedMethods?: Iterable<string> | null;
  /**
   * Wait what a `Retry-After` header (seconds or HTTP-date) says instead of
   * the back-off, and retry 413, 429 and 503 when they carry one. Default true.
   */
  respectRetryAfterHeader?: boolean;
  /** A Retry-After longer than this (ms) is not waited for: the plugin gives up at once. Default 120 000. */
  maxRetryAfter?: number;
  /** When status retries run out: `true` raises RetryError, `false` returns the last response. Default true. */
  raiseOnStatus?: boolean;
  /**
   * Send one `Idempotency-Key` (a random UUID; kept if the request has one)
   * on every attempt of a request whose method is not in `allowedMethods`
   * (POST, PATCH), which makes it retriable like an allowed one.
   */
  idempotencyKey?: boolean;
  /** Runs before each retry: observe it, change the request, or return `false` to cancel it. */
  beforeRetry?: BeforeRetryHook | null;
}

/** `budget` of the plugin: retries allowed while those in the window stay under `max(minPerSecond × window, ratio × requests)`. */
export interface RetryBudgetOptions {
  /** Retries allowed per request over the window. Default 0.2. */
  ratio?: number;
  /** Retries allowed per second of the window whatever the traffic. Default 10. */
  minPerSecond?: number;
  /** The window in ms. Default 10 000. */
  window?: number;
}

/** Options of `retry()`: RetryOptions, plus the budget of the plugin instance. */
export interface RetryPluginOptions extends RetryOptions {
  /** A retry budget for everything sent through this plugin instance; off by default. */
  budget?: RetryBudgetOptions | false | null;
}

/** urllib3's `DEFAULT_ALLOWED_METHODS`: the idempotent methods. */
export const DEFAULT_ALLOWED_METHODS: ReadonlySet<string> = new Set([
  'HEAD',
  'GET',
  'PUT',
  'DELETE',
  'OPTIONS',
  'TRACE',
]);
/** urllib3's `RETRY_AFTER_STATUS_CODES`: retried when they carry Retry-After, even if not in statusForcelist. */
export const RETRY_AFTER_STATUS_CODES: ReadonlySet<number> = new Set([413, 429, 503]);
export const DEFAULT_TOTAL = 3;
export const DEFAULT_BACKOFF_MAX = 120_000;
export const DEFAULT_MAX_RETRY_AFTER = 120_000;

const KEYS = new Set<string>([
  'total',
  'connect',
  'read',
  'status',
  'other',
  'redirect',
  'backoffFactor',
  'backoffMax',
  'backoffJitter',
  'statusForcelist',
  'allowedMethods',
  'respectRetryAfterHeader',
  'maxRetryAfter',
  'raiseOnStatus',
  'idempotencyKey',
  'beforeRetry',
  'budget',
]);

/** Throws TypeError for an unknown key or a value of the wrong kind; `where` names the source. */
export function checkOptions(options: unknown, where: string, allowBudget: boolean): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError(`${where} must be an object of retry options, got ${describe(options)}`);
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k) || (k === 'budget' && !allowBudget))
      throw new TypeError(`${where}: unknown retry option ${JSON.stringify(k)}`);
  }
  for (const k of ['total', 'connect', 'read', 'status', 'other', 'redirect']) {
    const v = o[k];
    if (v === undefined || v === null || v === false) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw new TypeError(`${where}.${k} must be an integer >= 0, false or null, got ${describe(v)}`);
  }
  for (const k of ['backoffFactor', 'backoffMax', 'backoffJitter', 'maxRetryAfter']) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0)
      throw new TypeError(`${where}.${k} must be milliseconds >= 0, got ${describe(v)}`);
  }
  for (const k of ['respectRetryAfterHeader', 'raiseOnStatus', 'idempotencyKey']) {
    const v = o[k];
    if (v !== undefined && typeof v !== 'boolean')
      throw new TypeError(`${where}.${k} must be a boolean, got ${describe(v)}`);
  }
  if (o.beforeRetry !== undefined && o.beforeRetry !== null && typeof o.beforeRetry !== 'function')
    throw new TypeError(`${where}.beforeRetry must be a function, got ${describe(o.beforeRetry)}`);
  checkIterable(o.statusForcelist, `${where}.statusForcelist`, 'number');
  if (o.allowedMethods !== null) checkIterable(o.allowedMethods, `${where}.allowedMethods`, 'string');
  if (allowBudget && o.budget !== undefined && o.budget !== null && o.budget !== false)
    checkBudget(o.budget, `${where}.budget`);
}

function checkIterable(v: unknown, where: string, kind: 'number' | 'string'): void {
  if (v === undefined) return;
  if (typeof v !== 'object' || v === null || typeof (v as Iterable<unknown>)[Symbol.iterator] !== 'function')
    throw new TypeError(`${where} must be a list of ${kind}s, got ${describe(v)}`);
  for (const x of v as Iterable<unknown>) {
    if (typeof x !== kind) throw new TypeError(`${where} must hold ${kind}s only, got ${describe(x)}`);
  }
}

function checkBudget(v: unknown, where: string): void {
  if (typeof v !== 'object' || v === null)
    throw new TypeError(`${where} must be { ratio?, minPerSecond?, window? } or false, got ${describe(v)}`);
  for (const [k, x] of Object.entries(v)) {
    if (k !== 'ratio' && k !== 'minPerSecond' && k !== 'window')
      throw new TypeError(`${where}: unknown key ${JSON.stringify(k)}`);
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || (k === 'window' && x === 0))
      throw new TypeError(
        `${where}.${k} must be a finite number >= 0${k === 'window' ? ' (window > 0)' : ''}, got ${describe(x)}`,
      );
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' ? String(v) : typeof v;
}

declare module '@sess/core' {
  interface Extensions {
    /** Per request: `false` sends it once; options are merged over the plugin's. */
    retry?: false | RetryOptions | undefined;
    /**
     * Set by @sess/plugin-retry for the plugins inside it (and the adapter):
     * the number of this attempt, from 2 on. Absent on the first attempt.
     */
    attempt?: number | undefined;
  }
  interface Response {
    /**
     * Set by @sess/plugin-retry on the response it returns: one entry per
     * retry of this hop, empty when the first attempt answered.
     */
    retries?: readonly RetryHistoryEntry[] | undefined;
  }
  interface RequestError {
    /** Set by @sess/plugin-retry on an error it gives up on: the retries made before it. */
    retries?: readonly RetryHistoryEntry[] | undefined;
  }
}
