/**
 * @sess/plugin-retry: `retry(options)` retries failed hops with urllib3's
 * `Retry` rules (in camelCase, times in ms), Retry-After, idempotency keys
 * and a retry budget. `response.retries` tells what happened.
 */

export { RetryBudget } from './budget.js';
export type { FailureKind } from './classify.js';
export { classifyError } from './classify.js';
export type { RetryErrorOptions } from './errors.js';
export { RetryError } from './errors.js';
export type { RetryHistoryEntry } from './history.js';
export { retriesOf } from './history.js';
export type {
  BeforeRetryContext,
  BeforeRetryHook,
  RetryBudgetOptions,
  RetryCount,
  RetryOptions,
  RetryPluginOptions,
} from './options.js';
export { DEFAULT_ALLOWED_METHODS, RETRY_AFTER_STATUS_CODES } from './options.js';
export type { RetryPlugin } from './plugin.js';
export { IDEMPOTENCY_KEY_HEADER, retry } from './plugin.js';
export type { RetryCause } from './retry.js';
export { Retry } from './retry.js';
