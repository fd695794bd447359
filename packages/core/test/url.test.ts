import { describe, expect, it } from 'vitest';
import { InvalidURLError, MissingSchemaError, RequestError } from '../src/errors.js';
import { effectivePort, originKey, prepareUrl } from '../src/url.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('prepareUrl: scheme', () => {
  it.each([
    ['example.com/x'],
    ['localhost:8080/x'],
    ['localhost:8080'],
    ['www.example.com'],
    ['/relative/path'],
  ])('MissingSchemaError for %j', (raw) => {
    const err = thrown(() => prepareUrl(raw));
    expect(err).toBeInstanceOf(MissingSchemaError);
    expect(err).toBeInstanceOf(RequestError);
    expect((err as MissingSchemaError).code).toBe('ERR_SESS_MISSING_SCHEMA');
    expect((err as Error).message).toContain(raw);
    expect((err as Error).message).toContain('https://');
  });

  it('MissingSchemaError for host:port followed by a query or fragment', () => {
    expect(() => prepareUrl('localhost:8080?x=1')).toThrow(MissingSchemaError);
    expect(() => prepareUrl('example.com:443#top')).toThrow(MissingSchemaError);
  });

  it.each([['http://'], ['https://'], ['http://exa mple.com/'], ['http://[::1/'], ['https://host:99999/']])(
    'InvalidURLError for %j',
    (raw) => {
      const err = thrown(() => prepareUrl(raw));
      expect(err).toBeInstanceOf(InvalidURLError);
      expect(err).toBeInstanceOf(RequestError);
      expect((err as InvalidURLError).code).toBe('ERR_SESS_INVALID_URL');
    },
  );

  it('InvalidURLError for a non-string', () => {
    expect(() => prepareUrl(42 as unknown as string)).toThrow(InvalidURLError);
  });

  it.each([
    ['ftp://files.example/a b', 'ftp://files.example/a b'],
    ['file:///etc/passwd', 'file:///etc/passwd'],
    ['mailto:someone@example.test', 'mailto:someone@example.test'],
    ['data:,hello', 'data:,hello'],
  ])('a non-http scheme %j passes through untouched (for getAdapter to refuse)', (raw, out) => {
    expect(prepareUrl(raw)).toBe(out);
    expect(prepareUrl(raw, { a: '1' })).toBe(out);
  });

  it('trims surrounding whitespace', () => {
    expect(prepareUrl('  https://example.test/a  ')).toBe('https://example.test/a');
  });
});

describe('prepareUrl: normalising', () => {
  it('IDNA-encodes the host', () => {
    expect(prepareUrl('http://bücher.example/')).toBe('http://xn--bcher-kva.example/');
    expect(prepareUrl('https://MÜNCHEN.example/Straße')).toBe('https://xn--mnchen-3ya.example/Stra%C3%9Fe');
  });

  it('lower-cases scheme and host, drops the default port, adds the root path', () => {
    expect(prepareUrl('HTTPS://Example.TEST:443')).toBe('https://example.test/');
    expect(prepareUrl('http://example.test:80/a')).toBe('http://example.test/a');
    expect(prepareUrl('http://example.test:8080/a')).toBe('http://example.test:8080/a');
  });

  it('keeps IPv6 hosts and userinfo', () => {
    expect(prepareUrl('http://[::1]:8080/x')).toBe('http://[::1]:8080/x');
    expect(prepareUrl('https://user:pa%20ss@example.test/')).toBe('https://user:pa%20ss@example.test/');
  });

  it('accepts ws and wss', () => {
    expect(prepareUrl('wss://example.test/socket', { t: '1' })).toBe('wss://example.test/socket?t=1');
  });
});

describe('prepareUrl: params', () => {
  it('appends to a URL without a query', () => {
    expect(prepareUrl('https://example.test/s', { q: 'a b', n: 2 })).toBe('https://example.test/s?q=a+b&n=2');
  });

  it('appends to an existing query, keeping it first', () => {
    expect(prepareUrl('https://example.test/s?a=1&b=2', { c: '3' })).toBe(
      'https://example.test/s?a=1&b=2&c=3',
    );
  });

  it('repeats keys for arrays and uses + for spaces', () => {
    expect(prepareUrl('http://example.test/p?x=0', { tag: ['a b', 'c'], x: 1 })).toBe(
      'http://example.test/p?x=0&tag=a+b&tag=c&x=1',
    );
  });

  it('escapes reserved characters and encodes non-ASCII as UTF-8', () => {
    expect(prepareUrl('http://example.test/', { 'k&=': 'v&=#?/', u: 'é' })).toBe(
      'http://example.test/?k%26%3D=v%26%3D%23%3F%2F&u=%C3%A9',
    );
  });

  it('skips null and undefined params, and booleans and numbers become strings', () => {
    expect(prepareUrl('http://example.test/', { a: null, b: undefined, c: true, d: 0 })).toBe(
      'http://example.test/?c=true&d=0',
    );
  });

  it('no params (or only null ones) leaves the URL alone', () => {
    expect(prepareUrl('http://example.test/p?x=1')).toBe('http://example.test/p?x=1');
    expect(prepareUrl('http://example.test/p?x=1', {})).toBe('http://example.test/p?x=1');
    expect(prepareUrl('http://example.test/p?x=1', null)).toBe('http://example.test/p?x=1');
    expect(prepareUrl('http://example.test/p', { a: null })).toBe('http://example.test/p');
  });

  it('takes URLSearchParams and pairs', () => {
    expect(
      prepareUrl(
        'http://example.test/',
        new URLSearchParams([
          ['a', '1'],
          ['a', '2'],
        ]),
      ),
    ).toBe('http://example.test/?a=1&a=2');
    expect(prepareUrl('http://example.test/', [['k', 'v w']])).toBe('http://example.test/?k=v+w');
  });

  it('a bare "?" is replaced rather than giving "?&"', () => {
    expect(prepareUrl('http://example.test/p?', { a: '1' })).toBe('http://example.test/p?a=1');
  });

  it('keeps the fragment after the query', () => {
    expect(prepareUrl('http://example.test/p?a=1#frag', { b: '2' })).toBe(
      'http://example.test/p?a=1&b=2#frag',
    );
  });
});

describe('effectivePort and originKey', () => {
  it('fills in default ports', () => {
    expect(effectivePort(new URL('http://h/'))).toBe('80');
    expect(effectivePort(new URL('https://h/'))).toBe('443');
    expect(effectivePort(new URL('wss://h/'))).toBe('443');
    expect(effectivePort(new URL('https://h:8443/'))).toBe('8443');
    expect(effectivePort(new URL('ftp://h/'))).toBe('');
  });

  it('compares origins with default ports made explicit', () => {
    expect(originKey(new URL('https://H.example/a'))).toBe('https://h.example:443');
    expect(originKey(new URL('https://h.example:443/b'))).toBe(originKey(new URL('https://h.example/')));
    expect(originKey(new URL('http://h.example/'))).not.toBe(originKey(new URL('https://h.example/')));
  });
});
