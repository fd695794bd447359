import { describe, expect, it } from 'vitest';
import { InvalidHeaderError, RequestError } from '../src/errors.js';
import { Headers, validateHeaderName, validateHeaderValue } from '../src/headers.js';

function expectInvalidHeader(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InvalidHeaderError);
  expect(caught).toBeInstanceOf(RequestError);
  expect((caught as InvalidHeaderError).code).toBe('ERR_SESS_INVALID_HEADER');
  expect((caught as InvalidHeaderError).name).toBe('InvalidHeaderError');
}

describe('Headers: case-insensitive map', () => {
  it('get/has/delete ignore case', () => {
    const h = new Headers({ 'Content-Type': 'text/plain' });
    expect(h.get('content-type')).toBe('text/plain');
    expect(h.get('CONTENT-TYPE')).toBe('text/plain');
    expect(h.has('cOnTeNt-TyPe')).toBe(true);
    expect(h.has('content-length')).toBe(false);
    expect(h.get('content-length')).toBeUndefined();
    expect(h.delete('CONTENT-type')).toBe(true);
    expect(h.has('Content-Type')).toBe(false);
    expect(h.delete('content-type')).toBe(false);
    expect(h.size).toBe(0);
  });

  it('keeps the case a name was first given in when values are appended', () => {
    const h = new Headers();
    h.append('X-Trace-Id', 'a');
    h.append('x-trace-id', 'b');
    expect([...h.keys()]).toEqual(['X-Trace-Id']);
    expect(h.get('X-TRACE-ID')).toBe('a, b');
  });

  it('set replaces the value and takes the new case', () => {
    const h = new Headers({ 'content-type': 'text/plain' });
    h.set('Content-Type', 'application/json');
    expect([...h.entries()]).toEqual([['Content-Type', 'application/json']]);
    expect(h.size).toBe(1);
  });

  it('set accepts numbers and returns this for chaining', () => {
    const h = new Headers();
    expect(h.set('Content-Length', 42)).toBe(h);
    expect(h.get('content-length')).toBe('42');
    expect(h.append('X-N', 1).append('x-n', 2)).toBe(h);
    expect(h.get('x-n')).toBe('1, 2');
  });

  it('size counts distinct names', () => {
    const h = new Headers();
    h.append('A', '1');
    h.append('a', '2');
    h.set('B', '3');
    expect(h.size).toBe(2);
  });

  it('keeps insertion order in iteration', () => {
    const h = new Headers({ Zeta: '1', Alpha: '2', Mid: '3' });
    expect([...h.keys()]).toEqual(['Zeta', 'Alpha', 'Mid']);
  });
});

describe('Headers: construction and update', () => {
  it('accepts a plain object, a Headers, pairs and null', () => {
    expect(new Headers({ A: '1' }).get('a')).toBe('1');
    const src = new Headers({ B: '2' });
    expect(new Headers(src).get('b')).toBe('2');
    expect(new Headers([['C', '3']]).get('c')).toBe('3');
    expect(new Headers(new Map([['D', '4']])).get('d')).toBe('4');
    expect(new Headers(null).size).toBe(0);
    expect(new Headers().size).toBe(0);
  });

  it('update with an object sets, with numbers stringified', () => {
    const h = new Headers({ Accept: '*/*' });
    h.update({ accept: 'text/html', 'X-Count': 3 });
    expect(h.toJSON()).toEqual({ accept: 'text/html', 'X-Count': '3' });
  });

  it('update with another Headers copies every value', () => {
    const a = new Headers({ 'User-Agent': 'x' });
    const b = new Headers();
    b.append('Set-Cookie', 'a=1');
    b.append('Set-Cookie', 'b=2');
    b.set('user-agent', 'y');
    a.update(b);
    expect(a.get('User-Agent')).toBe('y');
    expect(a.getSetCookie()).toEqual(['a=1', 'b=2']);
    // independent of b afterwards
    b.append('set-cookie', 'c=3');
    expect(a.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('update with pairs sets each pair', () => {
    const h = new Headers({ A: 'old' });
    h.update([
      ['a', 'new'],
      ['B', 'b'],
    ]);
    expect(h.toJSON()).toEqual({ a: 'new', B: 'b' });
  });

  it('null in an update object deletes the name; undefined leaves it alone', () => {
    const h = new Headers({ Accept: '*/*', 'User-Agent': 'ua', Keep: 'k' });
    h.update({ accept: null, 'user-agent': undefined });
    expect(h.has('Accept')).toBe(false);
    expect(h.get('User-Agent')).toBe('ua');
    expect(h.get('Keep')).toBe('k');
    expect(new Headers({ Gone: null }).size).toBe(0);
  });

  it('arrays in an object give several values, replacing the old ones', () => {
    const h = new Headers({ 'X-Multi': 'old' });
    h.update({ 'x-multi': ['one', 'two'] });
    expect(h.getAll('X-Multi')).toEqual(['one', 'two']);
    expect(h.get('x-multi')).toBe('one, two');
    expect([...h.rawEntries()]).toEqual([
      ['x-multi', 'one'],
      ['x-multi', 'two'],
    ]);
  });

  it('update returns this', () => {
    const h = new Headers();
    expect(h.update({ A: '1' })).toBe(h);
  });
});

describe('Headers: multiple values', () => {
  it('getSetCookie keeps values apart, even ones containing commas', () => {
    const h = new Headers();
    h.append('Set-Cookie', 'a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT');
    h.append('set-cookie', 'b=2');
    expect(h.getSetCookie()).toEqual(['a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT', 'b=2']);
  });

  it('getSetCookie is empty when there is none and returns a copy', () => {
    const h = new Headers();
    expect(h.getSetCookie()).toEqual([]);
    h.append('Set-Cookie', 'a=1');
    const list = h.getSetCookie();
    list.push('evil=1');
    expect(h.getSetCookie()).toEqual(['a=1']);
  });

  it('get joins other repeated headers with ", "', () => {
    const h = new Headers();
    h.append('Accept', 'text/html');
    h.append('accept', 'application/json');
    expect(h.get('ACCEPT')).toBe('text/html, application/json');
    expect([...h.values()]).toEqual(['text/html, application/json']);
  });
});

describe('Headers: iteration and copies', () => {
  const make = () => new Headers({ 'Content-Type': 'text/plain', 'X-A': 'a' });

  it('entries, keys, values and the iterator agree', () => {
    const h = make();
    expect([...h.entries()]).toEqual([
      ['Content-Type', 'text/plain'],
      ['X-A', 'a'],
    ]);
    expect([...h]).toEqual([...h.entries()]);
    expect([...h.keys()]).toEqual(['Content-Type', 'X-A']);
    expect([...h.values()]).toEqual(['text/plain', 'a']);
  });

  it('toJSON gives a plain object in the original case, and JSON.stringify uses it', () => {
    const h = make();
    expect(h.toJSON()).toEqual({ 'Content-Type': 'text/plain', 'X-A': 'a' });
    expect(JSON.parse(JSON.stringify({ h }))).toEqual({ h: { 'Content-Type': 'text/plain', 'X-A': 'a' } });
  });

  it('copy is independent in both directions', () => {
    const a = make();
    a.append('Vary', 'Accept');
    const b = a.copy();
    expect(b).not.toBe(a);
    expect(b.toJSON()).toEqual(a.toJSON());
    b.set('X-A', 'changed');
    b.append('vary', 'Cookie');
    b.delete('content-type');
    expect(a.get('x-a')).toBe('a');
    expect(a.getAll('vary')).toEqual(['Accept']);
    expect(a.has('content-type')).toBe(true);
    a.set('X-New', '1');
    expect(b.has('x-new')).toBe(false);
  });

  it('new Headers(other) is independent of other', () => {
    const a = make();
    const b = new Headers(a);
    b.set('X-A', 'b');
    expect(a.get('X-A')).toBe('a');
  });
});

describe('Headers: injection refused', () => {
  it.each([
    ['CR', 'a\rb'],
    ['LF', 'a\nb'],
    ['CRLF smuggling', 'x\r\nX-Injected: 1'],
    ['NUL', 'a\0b'],
    ['leading space', ' a'],
    ['leading tab', '\ta'],
    ['trailing LF', 'a\n'],
  ])(
    'value with %s throws InvalidHeaderError from set, append, update and the constructor',
    (_what, value) => {
      expectInvalidHeader(() => new Headers().set('X-Test', value));
      expectInvalidHeader(() => new Headers().append('X-Test', value));
      expectInvalidHeader(() => new Headers().update({ 'X-Test': value }));
      expectInvalidHeader(() => new Headers().update([['X-Test', value]]));
      expectInvalidHeader(() => new Headers({ 'X-Test': [value] }));
      expectInvalidHeader(() => validateHeaderValue('X-Test', value));
    },
  );

  it.each([
    ['a space', 'X Test'],
    ['a colon', 'X-Test:'],
    ['empty', ''],
    ['non-ASCII', 'X-Tést'],
    ['CRLF', 'X-A\r\nX-B'],
    ['NUL', 'X\0'],
    ['parentheses', 'X(1)'],
  ])('name with %s throws InvalidHeaderError', (_what, name) => {
    expectInvalidHeader(() => new Headers().set(name, 'v'));
    expectInvalidHeader(() => new Headers().append(name, 'v'));
    expectInvalidHeader(() => new Headers({ [name]: 'v' }));
    expectInvalidHeader(() => validateHeaderName(name));
  });

  it('a refused set leaves the old value in place', () => {
    const h = new Headers({ 'X-A': 'safe' });
    expectInvalidHeader(() => h.set('X-A', 'evil\r\nX-B: 1'));
    expect(h.get('x-a')).toBe('safe');
    expect(h.size).toBe(1);
  });

  it('accepts ordinary values: inner spaces, tabs, trailing space, empty, Latin-1', () => {
    const h = new Headers();
    h.set('X-A', 'a b\tc ');
    h.set('X-Empty', '');
    h.set('X-Latin', 'caf\u00e9');
    h.set("!#$%&'*+-.^_`|~09AZaz", 'token chars');
    expect(h.get('x-a')).toBe('a b\tc ');
    expect(h.get('x-empty')).toBe('');
    expect(h.get('x-latin')).toBe('café');
    expect(h.size).toBe(4);
  });
});
