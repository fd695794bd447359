import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeText, streamDecoder } from '../src/charset.js';
import { JSONDecodeError } from '../src/errors.js';
import type { HeadersInit } from '../src/headers.js';
import { guessJsonEncoding, jsonErrorOffset } from '../src/json-text.js';
import { PreparedRequest } from '../src/prepared-request.js';
import { Response } from '../src/response.js';

const enc = new TextEncoder();
const SECRET = 's3cr3t-hunter2';

function res(body: Uint8Array | string, headers?: HeadersInit): Response {
  const request = new PreparedRequest();
  request.prepareMethod('GET');
  request.prepareUrl('https://api.example.test/');
  return new Response({
    statusCode: 200,
    url: request.url,
    request,
    body: typeof body === 'string' ? enc.encode(body) : body,
    ...(headers ? { headers } : {}),
  });
}

function jsonError(r: Response): JSONDecodeError {
  try {
    r.json();
  } catch (err) {
    expect(err).toBeInstanceOf(JSONDecodeError);
    return err as JSONDecodeError;
  }
  throw new Error('expected a JSONDecodeError');
}

const utf16le = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
const utf16be = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le').swap16());
function utf32(s: string, littleEndian: boolean): Uint8Array {
  const cps = [...s].map((c) => c.codePointAt(0) as number);
  const view = new DataView(new ArrayBuffer(cps.length * 4));
  for (const [i, cp] of cps.entries()) view.setUint32(i * 4, cp, littleEndian);
  return new Uint8Array(view.buffer);
}
const withBom = (bom: number[], bytes: Uint8Array) => new Uint8Array([...bom, ...bytes]);

describe('JSONDecodeError: doc and pos, and a message that does not quote the body', () => {
  it.each([
    ['plain text', `${SECRET} is not JSON`, 0],
    ['HTML', `<html><p>${SECRET}</p></html>`, 0],
    // V8 names the unexpected 'o' of nope, not its n.
    ['a bad value after a secret', `{"token":"${SECRET}","x":nope}`, 31],
    ['a bad key after a secret', `{"token":"${SECRET}", oops}`, 27],
    ['V8 quoting context around the error', `[1,2,3,4,5,6,7,8,9,10,"${SECRET}",x,11,12,13,14,15,16,17]`, 39],
    ['a secret at the end', `{"a":1} ${SECRET}`, 8],
    ['a secret in an unterminated string', `{"token":"${SECRET}`, 24],
  ])('%s: neither message, cause, stack nor inspect output holds the body', (_, body, pos) => {
    const e = jsonError(res(body));
    expect(e.message.startsWith('Response body is not valid JSON: ')).toBe(true);
    expect(e.message).not.toContain(SECRET);
    expect(e.message).not.toContain('"');
    expect(String(e.stack)).not.toContain(SECRET);
    expect(e.cause).toBeInstanceOf(SyntaxError);
    expect((e.cause as Error).message).not.toContain(SECRET);
    expect(inspect(e, { depth: 5 })).not.toContain(SECRET);
    expect(JSON.stringify(e)).not.toContain(SECRET);
    expect(e.doc).toBe(body);
    expect(e.pos).toBe(pos);
    expect(e.message).toContain(`at position ${pos} (line 1 column ${pos + 1})`);
  });

  it('says what and where, as V8 does, without its quote of the input', () => {
    expect(jsonError(res('abc')).message).toBe(
      'Response body is not valid JSON: Unexpected token at position 0 (line 1 column 1)',
    );
    expect(jsonError(res('{"a":1,}')).message).toBe(
      'Response body is not valid JSON: Expected double-quoted property name at position 7 (line 1 column 8)',
    );
    expect(jsonError(res('[1 2]')).message).toBe(
      "Response body is not valid JSON: Expected ',' or ']' after array element at position 3 (line 1 column 4)",
    );
    expect(jsonError(res('{"a":')).message).toBe(
      'Response body is not valid JSON: Unexpected end of JSON input at position 5 (line 1 column 6)',
    );
    expect(jsonError(res("'single'")).message).toBe(
      'Response body is not valid JSON: Unexpected token at position 0 (line 1 column 1)',
    );
  });

  it('lineno and colno count lines as Python does', () => {
    const body = `{\n  "a": 1,\n  "b": ${SECRET}\n}`;
    const e = jsonError(res(body));
    expect(e.pos).toBe(body.indexOf(SECRET));
    expect(e.lineno).toBe(3);
    expect(e.colno).toBe(8);
    expect(e.message).toContain('(line 3 column 8)');
  });

  it('an empty body fails at position 0', () => {
    const e = jsonError(res(''));
    expect([e.pos, e.lineno, e.colno, e.doc]).toEqual([0, 1, 1, '']);
  });

  it('doc is the decoded text without its BOM, so pos indexes it', () => {
    const e = jsonError(res(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('[é, 1]')])));
    expect(e.doc).toBe('[é, 1]');
    expect(e.pos).toBe(1);
  });

  it('doc is not enumerable; pos, lineno and colno are', () => {
    const e = jsonError(res(`x${SECRET}`));
    expect(Object.keys(e)).not.toContain('doc');
    expect(Object.keys(e)).toEqual(expect.arrayContaining(['pos', 'lineno', 'colno']));
  });

  it('can be built by hand: position unknown, or line and column from pos', () => {
    const unknown = new JSONDecodeError('bad');
    expect([unknown.doc, unknown.pos, unknown.lineno, unknown.colno]).toEqual([
      '',
      undefined,
      undefined,
      undefined,
    ]);
    const e = new JSONDecodeError('bad', { doc: 'ab\ncd\nef', pos: 4 });
    expect([e.pos, e.lineno, e.colno]).toEqual([4, 2, 2]);
    expect(new JSONDecodeError('bad', { doc: '\nx', pos: 0 }).colno).toBe(1);
    expect(new JSONDecodeError('bad', { doc: '\nx', pos: 1 }).lineno).toBe(2);
  });
});

describe('jsonErrorOffset (for the messages in which V8 names no position)', () => {
  it.each([
    '{"a":1,}',
    '[1,2] x',
    '"ab\ncd"',
    '-x',
    '1e',
    '1.',
    '"\\q"',
    '"\\u12"',
    '[01]',
    '{"a" 1}',
    '[1 2]',
    '{"a":1 "b"}',
    '{1:2}',
    '{,}',
    '"abc',
    '{"a":1}}',
    '\u0001',
  ])('agrees with V8 on %j', (text) => {
    let v8: number | undefined;
    try {
      JSON.parse(text);
    } catch (err) {
      const m = /at position (\d+)/.exec((err as Error).message);
      v8 = m ? Number(m[1]) : undefined;
    }
    if (v8 !== undefined) expect(jsonErrorOffset(text)).toBe(v8);
  });

  it.each([
    ['abc', 0],
    ['{"a":a}', 5],
    ['[,]', 1],
    ['tru', 3],
    ['trux', 3],
    ['{"a":', 5],
    ['', 0],
    ['  ', 2],
    ['[1,]', 3],
    ['{"a":[1,{"b":nul}]}', 16],
  ])('finds %j at %i', (text, pos) => {
    expect(jsonErrorOffset(text)).toBe(pos);
  });

  it.each([
    'abc',
    '{"a":a}',
    '[,]',
    'trux',
    '{"a":[1,{"b":nul}]}',
    "'x'",
    'é',
    '[1,2,3,4,5,6,7,8,9,10,11,12,q,13,14,15]',
  ])('points at the token V8 names for %j', (text) => {
    let token: string | undefined;
    try {
      JSON.parse(text);
    } catch (err) {
      token = /^Unexpected token '(.+?)',/su.exec((err as Error).message)?.[1];
    }
    expect(token).toBeDefined();
    expect(text[jsonErrorOffset(text) as number]).toBe(token);
  });

  it('is undefined for valid JSON, however deeply nested', () => {
    for (const text of [
      '{"a":[1,-2.5e+3,true,false,null,"\\u00e9\\n"],"b":{}}',
      ' [ ] ',
      '0',
      '"x"',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    ]) {
      expect(jsonErrorOffset(text)).toBeUndefined();
    }
  });
});

describe('json(): UTF-16 and UTF-32 bodies without a charset (RFC 4627 §3)', () => {
  const value = { a: 'é😀', n: [1, 2] };
  const text = JSON.stringify(value);

  it.each([
    ['UTF-8', enc.encode(text)],
    ['UTF-8 with BOM', withBom([0xef, 0xbb, 0xbf], enc.encode(text))],
    ['UTF-16LE', utf16le(text)],
    ['UTF-16BE', utf16be(text)],
    ['UTF-16LE with BOM', withBom([0xff, 0xfe], utf16le(text))],
    ['UTF-16BE with BOM', withBom([0xfe, 0xff], utf16be(text))],
    ['UTF-32LE', utf32(text, true)],
    ['UTF-32BE', utf32(text, false)],
    ['UTF-32LE with BOM', withBom([0xff, 0xfe, 0, 0], utf32(text, true))],
    ['UTF-32BE with BOM', withBom([0, 0, 0xfe, 0xff], utf32(text, false))],
  ])('%s is detected and decoded', (_, bytes) => {
    expect(res(bytes).json()).toEqual(value);
    expect(res(bytes, { 'Content-Type': 'application/json' }).json()).toEqual(value);
  });

  it('a short UTF-16 scalar decodes too', () => {
    expect(res(utf16le('42')).json()).toBe(42);
    expect(res(utf32('7', false)).json()).toBe(7);
  });

  it('a charset in Content-Type wins over detection', () => {
    const bytes = utf16le(text);
    expect(res(bytes, { 'Content-Type': 'application/json; charset=utf-16le' }).json()).toEqual(value);
    // Declared UTF-8, the NULs stay: not JSON.
    const e = jsonError(res(bytes, { 'Content-Type': 'application/json; charset=utf-8' }));
    expect(e.doc).toContain('\u0000');
    expect(e.pos).toBe(1);
    // A declared UTF-32 is decoded by hand.
    expect(res(utf32(text, false), { 'Content-Type': 'application/json; charset=UTF-32BE' }).json()).toEqual(
      value,
    );
  });

  it('an encoding set on the response wins over detection', () => {
    const r = res(new Uint8Array([0x22, 0xe9, 0x22]));
    expect(r.json()).toBe('\ufffd');
    r.encoding = 'iso-8859-1';
    expect(r.json()).toBe('é');
    const utf16 = res(utf16le('"x"'));
    utf16.encoding = 'utf-8';
    expect(() => utf16.json()).toThrow(JSONDecodeError);
  });

  it('guessJsonEncoding follows requests’ guess_json_utf', () => {
    expect(guessJsonEncoding(enc.encode('{"a":1}'))).toBe('utf-8');
    expect(guessJsonEncoding(utf16le('{}'))).toBe('utf-16le');
    expect(guessJsonEncoding(utf16be('{}'))).toBe('utf-16be');
    expect(guessJsonEncoding(utf32('1', true))).toBe('utf-32le');
    expect(guessJsonEncoding(utf32('1', false))).toBe('utf-32be');
    expect(guessJsonEncoding(new Uint8Array([0xff, 0xfe, 0, 0]))).toBe('utf-32le');
    expect(guessJsonEncoding(new Uint8Array([0xff, 0xfe, 0x31, 0]))).toBe('utf-16le');
    expect(guessJsonEncoding(new Uint8Array([0, 0x31, 0x32, 0]))).toBeUndefined();
    expect(guessJsonEncoding(new Uint8Array([0x31, 0]))).toBeUndefined();
    expect(guessJsonEncoding(new Uint8Array(0))).toBeUndefined();
  });

  it('text, iterLines and json agree for a declared UTF-32', async () => {
    const bytes = withBom([0xff, 0xfe, 0, 0], utf32('a😀\nb', true));
    const r = res(bytes, { 'Content-Type': 'text/plain; charset=utf-32' });
    expect(r.text).toBe('a😀\nb');
    const lines: string[] = [];
    for await (const line of r.iterLines()) lines.push(line);
    expect(lines).toEqual(['a😀', 'b']);
  });
});

describe('UTF-32 decoding by hand', () => {
  it('decodes both byte orders, dropping a BOM of that order', () => {
    expect(decodeText(utf32('é😀', true), 'utf-32le')).toBe('é😀');
    expect(decodeText(utf32('é😀', false), 'UTF-32BE')).toBe('é😀');
    expect(decodeText(withBom([0, 0, 0xfe, 0xff], utf32('x', false)), 'utf-32')).toBe('x');
    expect(decodeText(utf32('x', true), 'utf_32')).toBe('x');
  });

  it('replaces impossible code points and a trailing partial unit with U+FFFD', () => {
    expect(decodeText(new Uint8Array([0, 0xd8, 0, 0, 0x41, 0, 0, 0]), 'utf-32le')).toBe('\ufffdA');
    expect(decodeText(new Uint8Array([0, 0, 0x11, 0]), 'utf-32le')).toBe('\ufffd');
    expect(decodeText(new Uint8Array([0x41, 0, 0, 0, 0x42]), 'utf-32le')).toBe('A\ufffd');
  });

  it('streams: a unit split between chunks decodes whole', () => {
    const bytes = utf32('a😀b', false);
    const d = streamDecoder('utf-32be');
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) out += d.decode(bytes.subarray(i, i + 3), { stream: true });
    expect(out + d.decode()).toBe('a😀b');
  });

  it('decodes long texts', () => {
    const long = 'é😀'.repeat(10_000);
    expect(decodeText(utf32(long, true), 'utf-32le')).toBe(long);
  });
});
