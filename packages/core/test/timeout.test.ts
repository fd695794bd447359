import { describe, expect, it } from 'vitest';
import { normalizeTimeout, type Timeout } from '../src/timeout.js';

describe('normalizeTimeout', () => {
  it('null and undefined mean no limits', () => {
    expect(normalizeTimeout(null)).toEqual({});
    expect(normalizeTimeout(undefined)).toEqual({});
  });

  it('a number applies to connect and read, not total', () => {
    expect(normalizeTimeout(5000)).toEqual({ connect: 5000, read: 5000 });
    expect(normalizeTimeout(0)).toEqual({ connect: 0, read: 0 });
    expect(normalizeTimeout(1.5)).toEqual({ connect: 1.5, read: 1.5 });
    expect(normalizeTimeout(5000)).not.toHaveProperty('total');
  });

  it('the object form keeps the keys given and nothing else', () => {
    expect(normalizeTimeout({ connect: 100 })).toEqual({ connect: 100 });
    expect(normalizeTimeout({ read: 200, total: 1000 })).toEqual({ read: 200, total: 1000 });
    expect(normalizeTimeout({ connect: 1, read: 2, total: 3 })).toEqual({ connect: 1, read: 2, total: 3 });
    expect(normalizeTimeout({})).toEqual({});
  });

  it('undefined and null keys in the object are dropped', () => {
    const out = normalizeTimeout({ connect: undefined, read: null as unknown as number, total: 10 });
    expect(out).toEqual({ total: 10 });
    expect(Object.keys(out)).toEqual(['total']);
  });

  it('returns a new frozen object, not the one given', () => {
    const given = { connect: 1, read: 2 };
    const out = normalizeTimeout(given);
    expect(out).not.toBe(given);
    expect(Object.isFrozen(out)).toBe(true);
    expect(out).toEqual({ connect: 1, read: 2 });
  });
  it('takes pool, and names the keys it knows when given another', () => {
    expect(normalizeTimeout({ pool: 5 })).toEqual({ pool: 5 });
    expect(() => normalizeTimeout({ conect: 5 } as never)).toThrow(/connect, read, pool or total/);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY], [-0.001]])(
    'the number %s is a TypeError',
    (n) => {
      expect(() => normalizeTimeout(n)).toThrow(TypeError);
      expect(() => normalizeTimeout(n)).toThrow(/timeout/);
    },
  );

  it.each([
    [{ connect: -1 }, /timeout\.connect/],
    [{ read: Number.NaN }, /timeout\.read/],
    [{ total: -5 }, /timeout\.total/],
    [{ connect: 1, read: -1 }, /timeout\.read/],
    [{ connect: '100' as unknown as number }, /timeout\.connect/],
  ])('a bad key in %o is a TypeError naming it', (t, message) => {
    expect(() => normalizeTimeout(t)).toThrow(TypeError);
    expect(() => normalizeTimeout(t)).toThrow(message);
  });

  it('a timeout that is neither a number nor an object (a string, a boolean) is a TypeError, not "no limit"', () => {
    // JavaScript callers (or config files) can pass '5000'; silently dropping it would mean no timeout at all.
    expect(() => normalizeTimeout('5000' as unknown as Timeout)).toThrow(TypeError);
    expect(() => normalizeTimeout(true as unknown as Timeout)).toThrow(TypeError);
  });
});
