import { describe, expect, it } from 'vitest';
import { encodeBody } from '../src/body.js';
import { mergeParams } from '../src/merge.js';
import type { Params } from '../src/params.js';
import { prepareUrl } from '../src/url.js';
import { mockSession } from './support/session.js';

const enc = new TextEncoder();

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('params: values that have no query form', () => {
  it.each([
    [{ a: { b: 1 } }, 'params.a', 'object'],
    [{ when: new Date(0) }, 'params.when', 'Date'],
    [{ f: () => 1 }, 'params.f', 'function'],
    [{ list: ['ok', { x: 1 }] }, 'params.list', 'object'],
    [{ m: new Map() }, 'params.m', 'Map'],
    [[['k', { x: 1 }]], 'params.k', 'object'],
  ])('%j is a TypeError naming %s and the type', (params, name, type) => {
    const err = thrown(() => prepareUrl('http://a.test/', params as unknown as Params));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain(name);
    expect(err.message).toContain(type);
    expect(err.message).not.toContain('[object');
  });

  it('a session param holding an object is refused the same way', () => {
    const err = thrown(() => mergeParams(undefined, { bad: { x: 1 } as never }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain('params.bad');
  });

  it('params that are not a map, pairs or a query string are refused', () => {
    expect(() => prepareUrl('http://a.test/', 5 as unknown as Params)).toThrow(/params.*number/);
    expect(() => prepareUrl('http://a.test/', [['only-key']] as unknown as Params)).toThrow(TypeError);
  });

  it('numbers, booleans and bigints are written out; null and undefined are skipped, in arrays too', () => {
    const url = prepareUrl('http://a.test/', {
      n: 1.5,
      b: false,
      big: 10n,
      skip: null,
      list: [1, null, 'x'],
    } as never);
    expect(url).toBe('http://a.test/?n=1.5&b=false&big=10&list=1&list=x');
  });

  it('a Uint8Array value is sent as its bytes', () => {
    expect(prepareUrl('http://a.test/', { raw: new Uint8Array([0xe9, 0x20, 0x26]) })).toBe(
      'http://a.test/?raw=%E9+%26',
    );
  });
});

describe('params: a query string or bytes', () => {
  it('a string is the query as is (a leading ? is dropped)', () => {
    expect(prepareUrl('http://a.test/p', 'a=1&b=two+words')).toBe('http://a.test/p?a=1&b=two+words');
    expect(prepareUrl('http://a.test/p', '?flag')).toBe('http://a.test/p?flag');
    expect(prepareUrl('http://a.test/p?x=0', 'a=1')).toBe('http://a.test/p?x=0&a=1');
    expect(prepareUrl('http://a.test/p', '')).toBe('http://a.test/p');
  });

  it('only what a URL cannot carry is percent-encoded', () => {
    expect(prepareUrl('http://a.test/', 'q=a b#c')).toBe('http://a.test/?q=a%20b%23c');
    expect(prepareUrl('http://a.test/', 'q=é')).toBe('http://a.test/?q=%C3%A9');
  });

  it('Uint8Array params are the query bytes as is', () => {
    expect(prepareUrl('http://a.test/', enc.encode('a=1&b=ü'))).toBe('http://a.test/?a=1&b=%C3%BC');
    // latin1 bytes are not UTF-8: they go out as the same bytes, percent-encoded.
    expect(prepareUrl('http://a.test/', new Uint8Array([0x61, 0x3d, 0xe9]))).toBe('http://a.test/?a=%E9');
  });

  it('a string query is appended after the session params', () => {
    expect(mergeParams('x=1&x=2', { s: 'v' })).toBe('s=v&x=1&x=2');
    expect(mergeParams('?x=1', {})).toBe('x=1');
    expect(mergeParams(enc.encode('x=1'), { s: 'v' })).toBe('s=v&x=1');
  });

  it('through a session: string params, session params first', async () => {
    const { s, mock } = mockSession(() => ({}));
    s.params = { s: 'v' };
    await s.get('http://a.test/p?q=0', { params: 'a=1&a=2' });
    expect(mock.calls[0]?.request.url).toBe('http://a.test/p?q=0&s=v&a=1&a=2');
  });
});

describe('form data values', () => {
  it('an object in a form field is a TypeError naming data.<key>', () => {
    const err = thrown(() => encodeBody({ a: { b: 1 } } as never, undefined, undefined));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain('data.a');
    expect(err.message).toContain('object');
  });

  it('a Uint8Array form field is form-encoded from its bytes', async () => {
    const e = encodeBody({ raw: new Uint8Array([0xc3, 0xab, 0x20]) }, undefined, undefined);
    expect(new TextDecoder().decode(e.body as Uint8Array)).toBe('raw=%C3%AB+');
  });
});
