import { describe, expect, it } from 'vitest';
import { MultipartError, parseMultipart } from '../src/server/multipart.js';

const body = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'));

describe('parseMultipart', () => {
  it('splits fields and files, keeping part headers and exact bytes', () => {
    const parts = parseMultipart(
      body(
        '--b\nContent-Disposition: form-data; name="a"\n\n1\n' +
          '--b\nContent-Disposition: form-data; name="f"; filename="x.txt"\nContent-Type: text/plain\n\nline1\nline2\n' +
          '--b--\n',
      ),
      'b',
    );
    expect(parts.map((p) => [p.name, p.filename, p.contentType, p.body.toString()])).toEqual([
      ['a', undefined, undefined, '1'],
      ['f', 'x.txt', 'text/plain', 'line1\r\nline2'],
    ]);
  });

  it('skips a preamble and ignores an epilogue', () => {
    const parts = parseMultipart(
      body('ignored preamble\n--b\nContent-Disposition: form-data; name="a"\n\nv\n--b--\nepilogue'),
      'b',
    );
    expect(parts).toHaveLength(1);
    expect(parts[0]?.body.toString()).toBe('v');
  });

  it('keeps a boundary-like line inside a part when it is not the delimiter', () => {
    const parts = parseMultipart(
      body('--b\nContent-Disposition: form-data; name="a"\n\n--bx\n-b\n--b--'),
      'b',
    );
    expect(parts[0]?.body.toString()).toBe('--bx\r\n-b');
  });

  it('handles an empty part body and a quoted name with an escaped quote', () => {
    const parts = parseMultipart(body('--b\nContent-Disposition: form-data; name="a\\"q"\n\n\n--b--'), 'b');
    expect(parts[0]?.name).toBe('a"q');
    expect(parts[0]?.body.byteLength).toBe(0);
  });

  it('prefers an RFC 5987 filename*', () => {
    const parts = parseMultipart(
      body(
        `--b\nContent-Disposition: form-data; name="f"; filename="plain"; filename*=UTF-8''na%C3%AFve.txt\n\nx\n--b--`,
      ),
      'b',
    );
    expect(parts[0]?.filename).toBe('naïve.txt');
  });

  it('throws MultipartError for bodies it cannot read', () => {
    expect(() => parseMultipart(body('no boundary here'), 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(body('--b\nContent-Disposition: form-data; name="a"\n\nv'), 'b')).toThrow(
      MultipartError,
    );
    expect(() => parseMultipart(body('--b\nContent-Type: text/plain\n\nv\n--b--'), 'b')).toThrow(
      MultipartError,
    );
    expect(() => parseMultipart(body('--b\n\nv\n--b--'), 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(body('--b--'), '')).toThrow(MultipartError);
  });
});
