import { RetryError as CoreRetryError } from '@sess/core';
import * as mod from '@sess/plugin-retry';
import { describe, expect, it } from 'vitest';

describe('@sess/plugin-retry exports', () => {
  it('has the public names', () => {
    expect(Object.keys(mod).sort()).toEqual(
      [
        'DEFAULT_ALLOWED_METHODS',
        'IDEMPOTENCY_KEY_HEADER',
        'RETRY_AFTER_STATUS_CODES',
        'Retry',
        'RetryBudget',
        'RetryError',
        'classifyError',
        'retriesOf',
        'retry',
      ].sort(),
    );
  });

  it("RetryError is core's RetryError, with the history", () => {
    const e = new mod.RetryError('x', { retries: [{ attempt: 1, status: 503, delay: 0 }] });
    expect(e).toBeInstanceOf(CoreRetryError);
    expect(e.name).toBe('RetryError');
    expect(e.code).toBe('ERR_SESS_RETRY');
    expect(mod.retriesOf(e)).toHaveLength(1);
    expect(mod.retriesOf(undefined)).toEqual([]);
  });

  it('retry() is a plugin named retry with a send', () => {
    const p = mod.retry();
    expect(p.name).toBe('retry');
    expect(typeof p.send).toBe('function');
    expect(p.budget).toBeUndefined();
    expect(mod.retry({ budget: {} }).budget).toBeInstanceOf(mod.RetryBudget);
  });
});
