import { describe, expect, it } from 'vitest';
import { Headers } from '../src/headers.js';
import { fieldText, rawValues } from '../src/raw-headers.js';

const b = (s: string) => Buffer.from(s, 'latin1');
/** A response's fields as undici hands them over: Buffers, the server's case. */
const raw = () => [
  b('Content-Type'),
  b('application/json; charset=utf-8'),
  b('Set-Cookie'),
  b('a=1; Path=/'),
  b('X-Name'),
  b('Caf\u00e9'),
  b('set-cookie'),
  b('b=2'),
  b('Content-Length'),
  b('42'),
];

describe('raw header fields', () => {
  it('rawValues finds a name whatever its case on the wire, in order, and undefined for none', () => {
    expect(rawValues(raw(), 'set-cookie')).toEqual(['a=1; Path=/', 'b=2']);
    expect(rawValues(raw(), 'content-length')).toEqual(['42']);
    expect(rawValues(raw(), 'content-encoding')).toBeUndefined();
    // Same length, different letters; and a name that is a prefix of another.
    expect(rawValues([b('X-Nbme'), b('1')], 'x-name')).toBeUndefined();
    expect(rawValues([b('Content-Type'), b('x')], 'content')).toBeUndefined();
  });

  it('only ASCII letters fold: a byte that folds to a letter only with |0x20 is not taken for it', () => {
    // 0x0d | 0x20 is '-', 0x40 | 0x20 is '`': neither may match.
    expect(rawValues([Buffer.from([0x61, 0x0d, 0x62]), b('v')], 'a-b')).toBeUndefined();
    expect(rawValues([Buffer.from([0x40]), b('v')], '`')).toBeUndefined();
  });

  it('values are latin-1: one character per byte', () => {
    expect(fieldText(b('Caf\u00e9'))).toBe('Caf\u00e9');
    expect(fieldText(Buffer.from([0x80, 0x9f, 0xff]))).toBe('\u0080\u009f\u00ff');
  });
});

describe('Headers.fromReceived', () => {
  it('get, getAll, getSetCookie and has read the raw fields case-insensitively', () => {
    const h = Headers.fromReceived(raw());
    expect(h.get('content-type')).toBe('application/json; charset=utf-8');
    expect(h.get('CONTENT-LENGTH')).toBe('42');
    expect(h.get('x-name')).toBe('Caf\u00e9');
    expect(h.get('set-cookie')).toBe('a=1; Path=/, b=2');
    expect(h.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(h.getAll('Missing')).toEqual([]);
    expect(h.has('Set-Cookie')).toBe(true);
    expect(h.has('content-encoding')).toBe(false);
    expect(h.get('content-encoding')).toBeUndefined();
  });

  it('iterating, size and changes see the same fields, in order, in the case of their first sending', () => {
    const h = Headers.fromReceived(raw());
    expect(h.size).toBe(4);
    expect([...h.rawEntries()]).toEqual([
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Set-Cookie', 'a=1; Path=/'],
      ['Set-Cookie', 'b=2'],
      ['X-Name', 'Caf\u00e9'],
      ['Content-Length', '42'],
    ]);
    h.set('X-Name', 'other');
    h.delete('content-length');
    expect(h.toJSON()).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'Set-Cookie': 'a=1; Path=/, b=2',
      'X-Name': 'other',
    });
    expect(h.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
  });

  it('a change made before any read still starts from every received field', () => {
    const h = Headers.fromReceived(raw());
    h.append('Set-Cookie', 'c=3');
    expect(h.getSetCookie()).toEqual(['a=1; Path=/', 'b=2', 'c=3']);
    expect(h.get('content-length')).toBe('42');
  });

  it('a copy is independent of the raw original', () => {
    const h = Headers.fromReceived(raw());
    const c = h.copy();
    c.set('Content-Length', '1');
    expect(h.get('content-length')).toBe('42');
    expect(c.get('content-length')).toBe('1');
    expect(new Headers(h).get('x-name')).toBe('Caf\u00e9');
  });

  it('no fields: an empty Headers', () => {
    const h = Headers.fromReceived([]);
    expect(h.size).toBe(0);
    expect(h.get('a')).toBeUndefined();
  });
});
