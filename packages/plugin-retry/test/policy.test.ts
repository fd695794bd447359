import {
  AbortError,
  ChunkedEncodingError,
  ConnectionError,
  ConnectTimeoutError,
  InvalidHeaderError,
  InvalidURLError,
  PoolTimeoutError,
  ProxyError,
  ReadTimeoutError,
  SessionClosedError,
  SSLError,
  TimeoutError,
} from '@sess/core';
import { classifyError, Retry, RetryBudget, retry } from '@sess/plugin-retry';
import { describe, expect, it } from 'vitest';

describe('Retry (urllib3 semantics)', () => {
  it('has urllib3 defaults, except total 3', () => {
    const r = new Retry();
    expect(r.total).toBe(3);
    expect([r.connect, r.read, r.status, r.other, r.redirect]).toEqual([null, null, null, null, null]);
    expect(r.backoffFactor).toBe(0);
    expect(r.backoffMax).toBe(120_000);
    expect(r.statusForcelist.size).toBe(0);
    expect([...(r.allowedMethods ?? [])].sort()).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PUT',
      'TRACE',
    ]);
    expect(r.respectRetryAfterHeader).toBe(true);
    expect(r.raiseOnStatus).toBe(true);
  });

  it('back-off: 0 for the first retry, then factor * 2 ** (n - 1), capped at backoffMax', () => {
    let r = new Retry({ total: 10, backoffFactor: 100, backoffMax: 1000 });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      r = r.increment('status', { status: 503 });
      waits.push(r.getBackoffTime());
    }
    expect(waits).toEqual([0, 200, 400, 800, 1000, 1000]);
  });

  it('jitter adds 0..backoffJitter after the first retry', () => {
    let r = new Retry({ backoffFactor: 100, backoffJitter: 50 }).increment('read');
    expect(r.getBackoffTime(() => 0.999)).toBe(0);
    r = r.increment('read');
    expect(r.getBackoffTime(() => 0)).toBe(200);
    expect(r.getBackoffTime(() => 0.5)).toBe(225);
  });

  it('parses Retry-After as seconds or an HTTP-date', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(Retry.parseRetryAfter('3', now)).toBe(3000);
    expect(Retry.parseRetryAfter(' 0 ', now)).toBe(0);
    expect(Retry.parseRetryAfter('Wed, 21 Oct 2015 07:28:02 GMT', now)).toBe(2000);
    expect(Retry.parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(Retry.parseRetryAfter('-1', now)).toBeUndefined();
    expect(Retry.parseRetryAfter('soon', now)).toBeUndefined();
    expect(Retry.parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('isRetry: forcelist for allowed methods; 413/429/503 only with Retry-After', () => {
    const r = new Retry({ statusForcelist: [502] });
    expect(r.isRetry('GET', 502, false)).toBe(true);
    expect(r.isRetry('POST', 502, false)).toBe(false);
    expect(r.isRetry('GET', 503, false)).toBe(false);
    expect(r.isRetry('GET', 503, true)).toBe(true);
    expect(r.isRetry('get', 429, true)).toBe(true);
    expect(r.isRetry('GET', 500, true)).toBe(false);
    expect(new Retry({ respectRetryAfterHeader: false }).isRetry('GET', 503, true)).toBe(false);
    expect(new Retry({ allowedMethods: null }).isRetry('POST', 429, true)).toBe(true);
  });

  it('each counter runs out on its own; total bounds them all', () => {
    let r = new Retry({ total: 5, connect: 1, read: 0 });
    expect(r.canRetry('read')).toBe(false);
    expect(r.canRetry('connect')).toBe(true);
    r = r.increment('connect');
    expect(r.isExhausted()).toBe(false);
    expect(r.increment('connect').isExhausted()).toBe(true);
    expect(r.increment('status').isExhausted()).toBe(false);
    let t = new Retry({ total: 1 });
    t = t.increment('other');
    expect(t.increment('status').isExhausted()).toBe(true);
    expect(Retry.from(false).isExhausted()).toBe(true);
    expect(Retry.from(2).total).toBe(2);
    expect(new Retry({ total: null, status: 1 }).increment('status').increment('status').isExhausted()).toBe(
      true,
    );
  });

  it('history: one entry per increment, attempt numbered from 1', () => {
    const err = new ConnectionError('x');
    const r = new Retry().increment('status', { status: 503 }).increment('read', { error: err });
    expect(r.history.map((e) => [e.attempt, e.status, e.error])).toEqual([
      [1, 503, undefined],
      [2, undefined, err],
    ]);
  });

  it('rejects bad options with TypeError', () => {
    expect(() => new Retry({ total: -1 })).toThrow(TypeError);
    expect(() => new Retry({ backoffFactor: Number.NaN })).toThrow(TypeError);
    expect(() => new Retry({ statusForcelist: ['503' as unknown as number] })).toThrow(TypeError);
    expect(() => new Retry({ tota: 1 } as never)).toThrow(/unknown retry option "tota"/);
    expect(() => retry({ budget: { ratio: -1 } })).toThrow(TypeError);
    expect(() => retry({ budget: { window: 0 } })).toThrow(TypeError);
  });
});

describe('which failures are retried', () => {
  const econn = (code: string) => Object.assign(new Error(code), { code });
  it.each([
    ['ConnectTimeoutError', new ConnectTimeoutError('t'), 'connect'],
    ['PoolTimeoutError', new PoolTimeoutError('t'), 'connect'],
    ['refused', new ConnectionError('c', { cause: econn('ECONNREFUSED') }), 'connect'],
    ['proxy unreachable', new ProxyError('p', { cause: econn('ECONNREFUSED') }), 'connect'],
    ['reset after sending', new ConnectionError('c', { cause: econn('ECONNRESET') }), 'read'],
    ['no response', new ConnectionError('The connection ended without a response'), 'read'],
    ['ReadTimeoutError', new ReadTimeoutError('r'), 'read'],
    ['ChunkedEncodingError', new ChunkedEncodingError('r'), 'read'],
    ['proxy tunnel failed', new ProxyError('tunnel refused 502'), 'other'],
  ])('%s -> %s', (_name, err, kind) => {
    expect(classifyError(err)).toBe(kind);
  });

  it.each([
    ['AbortError', new AbortError('a')],
    ['the session deadline', new TimeoutError('total')],
    ['SessionClosedError', new SessionClosedError('closed')],
    ['a closed adapter', new ConnectionError('The adapter is closed')],
    ['SSLError', new SSLError('cert', { cause: econn('ECONNREFUSED') })],
    ['InvalidURLError', new InvalidURLError('u')],
    ['InvalidHeaderError', new InvalidHeaderError('h')],
    ['proxy 407', new ProxyError('Proxy authentication required: 407')],
    ['a plain Error', new Error('boom')],
  ])('never %s', (_name, err) => {
    expect(classifyError(err)).toBeUndefined();
  });
});

describe('RetryBudget', () => {
  it('allows max(minPerSecond * window, ratio * requests) retries in the window', () => {
    const b = new RetryBudget({ ratio: 0.5, minPerSecond: 1, window: 2000 });
    expect(b.allowance(0)).toBe(2);
    for (let i = 0; i < 10; i++) b.recordRequest(i);
    expect(b.allowance(10)).toBe(5);
    for (let i = 0; i < 5; i++) {
      expect(b.canRetry(20)).toBe(true);
      b.recordRetry(20);
    }
    expect(b.canRetry(20)).toBe(false);
    // Later, the window has moved past them: the floor applies again and nothing is in it.
    expect(b.canRetry(5000)).toBe(true);
    expect(b.allowance(5000)).toBe(2);
  });
});
