import { describe, expect, it } from 'vitest';
import { BearerAuth } from '../src/auth/basic.js';
import { Headers } from '../src/headers.js';
import { mergeHeaders } from '../src/merge.js';
import { mockSession } from './support/session.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('header values that are not text', () => {
  it.each([
    ['an object', { a: 1 }, 'object'],
    ['an array', ['a', 'b'], 'array'],
    ['a function', () => 'x', 'function'],
    ['a symbol', Symbol('s'), 'symbol'],
    ['undefined', undefined, 'undefined'],
  ])('set() with %s is a TypeError naming the header', (_label, value, type) => {
    const err = thrown(() => new Headers().set('X-Thing', value as never));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain('X-Thing');
    expect(err.message).toContain(type);
    expect(err.message).not.toContain('[object');
  });

  it('an object in an init object or in pairs is a TypeError naming the header', () => {
    expect(() => new Headers({ 'X-Obj': { a: 1 } as never })).toThrow(/X-Obj/);
    expect(() => new Headers([['X-Pair', {} as never]])).toThrow(/X-Pair/);
    expect(() => new Headers({ 'X-List': ['ok', {} as never] })).toThrow(/X-List/);
  });

  it('numbers, booleans and bigints are written out', () => {
    const h = new Headers({ 'X-N': 1.5, 'X-B': true as never });
    h.set('X-Big', 12n as never);
    expect(h.toJSON()).toEqual({ 'X-N': '1.5', 'X-B': 'true', 'X-Big': '12' });
  });

  it('a request header object value is refused before sending', async () => {
    const { s, mock } = mockSession(() => ({}));
    await expect(s.get('http://a.test/', { headers: { 'X-Obj': { a: 1 } as never } })).rejects.toThrow(
      TypeError,
    );
    expect(mock.calls).toHaveLength(0);
  });
});

describe('null headers mean "do not send"', () => {
  it('set(name, null) removes the header rather than writing "null"', () => {
    const h = new Headers({ Accept: '*/*' });
    h.set('Accept', null);
    expect(h.has('accept')).toBe(false);
    h.set('X-New', null);
    expect(h.has('x-new')).toBe(false);
  });

  it('append(name, null) adds nothing', () => {
    const h = new Headers({ 'X-A': '1' });
    h.append('X-A', null);
    expect(h.getAll('x-a')).toEqual(['1']);
  });

  it('mergeHeaders: a session value of null (headers as a plain object) is not sent', () => {
    const merged = mergeHeaders({ 'X-Req': 'r' }, { 'X-Gone': null, Accept: '*/*' });
    expect(merged.toJSON()).toEqual({ Accept: '*/*', 'X-Req': 'r' });
  });

  it('through a session: s.headers.set(X, null) and update({X: null}) send nothing', async () => {
    const { s, mock } = mockSession(() => ({}));
    s.headers.set('User-Agent', null);
    s.headers.update({ Accept: null, 'X-Never': null });
    await s.get('http://a.test/');
    const sent = mock.calls[0]?.request.headers;
    expect(sent?.has('user-agent')).toBe(false);
    expect(sent?.has('accept')).toBe(false);
    expect([...(sent?.values() ?? [])]).not.toContain('null');
  });
});

describe('BearerAuth without a token', () => {
  it('is a TypeError, never the text "Bearer undefined"', async () => {
    const { s, mock } = mockSession(() => ({}));
    for (const token of [undefined, '', 42]) {
      await expect(s.get('http://a.test/', { auth: new BearerAuth(token as never) })).rejects.toThrow(
        /BearerAuth token/,
      );
    }
    expect(mock.calls).toHaveLength(0);
  });
});
