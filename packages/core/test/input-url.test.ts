import { describe, expect, it } from 'vitest';
import { InvalidURLError, MissingSchemaError } from '../src/errors.js';
import { joinBaseUrl, prepareUrl } from '../src/url.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('hosts that cannot be host names', () => {
  it.each([
    'http://*/',
    'http://*example.com/',
    'http://.example.com/',
    'https://a..b.test/',
    'http://a.*.test/x',
    `http://${'a'.repeat(64)}.test/`,
  ])('%s is an InvalidURLError', (raw) => {
    const err = thrown(() => prepareUrl(raw));
    expect(err).toBeInstanceOf(InvalidURLError);
    expect(err.message).toContain(raw);
  });

  it('does not show credentials in the message', () => {
    const err = thrown(() => prepareUrl('http://user:s3cret@*.test/'));
    expect(err).toBeInstanceOf(InvalidURLError);
    expect(err.message).not.toContain('s3cret');
  });

  it.each([
    ['http://☃/', 'http://xn--n3h/'],
    ['http://example.com./x', 'http://example.com./x'],
    ['http://my_host:8080/', 'http://my_host:8080/'],
    ['http://127.0.0.1/', 'http://127.0.0.1/'],
    ['http://[::1]:8080/', 'http://[::1]:8080/'],
    [`http://${'a'.repeat(63)}.test/`, `http://${'a'.repeat(63)}.test/`],
  ])('%s is fine', (raw, expected) => {
    expect(prepareUrl(raw)).toBe(expected);
  });
});

describe('a relative URL without a base', () => {
  it.each([
    ['/get', 'https://example.com/get'],
    ['get', 'https://example.com/get'],
    ['users/1?x=1', 'https://example.com/users/1?x=1'],
  ])('%s: MissingSchemaError pointing at an absolute URL or session.baseUrl', (raw, example) => {
    const err = thrown(() => prepareUrl(raw));
    expect(err).toBeInstanceOf(MissingSchemaError);
    expect(err.message).toBe(
      `Invalid URL ${JSON.stringify(raw)}: no scheme. Give an absolute URL like ${example}, or set session.baseUrl`,
    );
    expect(err.message).not.toContain('https:///');
  });

  it('a host without a scheme still gets the https:// hint', () => {
    const err = thrown(() => prepareUrl('example.com/x'));
    expect(err).toBeInstanceOf(MissingSchemaError);
    expect(err.message).toContain('https://example.com/x');
  });
});

describe('joinBaseUrl', () => {
  it.each([
    ['https://api.test/v2', '/users'],
    ['https://api.test/v2/', 'users'],
    ['https://api.test/v2', 'users'],
    ['https://api.test/v2/', '/users'],
  ])('%s + %s = https://api.test/v2/users', (base, url) => {
    expect(joinBaseUrl(base, url)).toBe('https://api.test/v2/users');
  });

  it('a base without a path', () => {
    expect(joinBaseUrl('https://api.test', '/users')).toBe('https://api.test/users');
    expect(joinBaseUrl('https://api.test/', 'users')).toBe('https://api.test/users');
  });

  it('an absolute URL passes through unchanged', () => {
    expect(joinBaseUrl('https://api.test/v2', 'http://other/x')).toBe('http://other/x');
    expect(joinBaseUrl('https://api.test/v2', new URL('http://other/x?y=1'))).toBe('http://other/x?y=1');
    expect(joinBaseUrl('https://api.test/v2', 'HTTPS://Other.test/x')).toBe('HTTPS://Other.test/x');
  });

  it('keeps the query and fragment of the relative part', () => {
    expect(joinBaseUrl('https://api.test/v2', '/users?page=2&q=a b#top')).toBe(
      'https://api.test/v2/users?page=2&q=a%20b#top',
    );
    expect(joinBaseUrl('https://api.test/v2', '?page=2')).toBe('https://api.test/v2?page=2');
  });

  it("'' gives the base", () => {
    expect(joinBaseUrl('https://api.test/v2', '')).toBe('https://api.test/v2');
    expect(joinBaseUrl('https://api.test/v2/', '')).toBe('https://api.test/v2/');
  });

  it("the base's own query is not carried over (httpx's rule)", () => {
    expect(joinBaseUrl('https://api.test/v2?key=1', 'users')).toBe('https://api.test/v2/users');
  });

  it('dot segments resolve as in any URL (as in httpx); a leading // stays on the base host', () => {
    expect(joinBaseUrl('https://api.test/v2', 'a/../b')).toBe('https://api.test/v2/b');
    expect(joinBaseUrl('https://api.test/v2', '//other.test/x')).toBe('https://api.test/v2/other.test/x');
  });

  it('a base that is not an absolute URL is an InvalidURLError naming baseUrl', () => {
    const err = thrown(() => joinBaseUrl('api.test/v2', '/users'));
    expect(err).toBeInstanceOf(InvalidURLError);
    expect(err.message).toContain('baseUrl');
  });
});
