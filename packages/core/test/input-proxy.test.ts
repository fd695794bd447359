import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getEnvironProxies } from '../src/env/proxy-env.js';
import { splitProxyCredentials } from '../src/env/proxy-url.js';
import { resolveProxies } from '../src/env/resolve-proxies.js';
import { selectProxy } from '../src/env/select-proxy.js';
import { readEnvironment } from '../src/env/snapshot.js';
import { InvalidProxyURLError, InvalidURLError } from '../src/errors.js';

const PROXY_VARS = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
  'REQUEST_METHOD',
];
let saved: Record<string, string | undefined> = {};

// process.env is set by hand (not stubbed) so the code reads the real environment; restored after each test.
beforeEach(() => {
  saved = {};
  for (const k of PROXY_VARS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
});
afterEach(() => {
  for (const k of PROXY_VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('proxy URLs without a host', () => {
  it.each(['http:///example.com:8080', 'http://:8080', 'http://', 'https:///'])(
    'selectProxy refuses %s with InvalidProxyURLError',
    (proxy) => {
      const err = thrown(() => selectProxy('http://a.test/', { http: proxy }));
      expect(err).toBeInstanceOf(InvalidProxyURLError);
      expect(err).toBeInstanceOf(InvalidURLError);
      expect(err.message).toContain(proxy);
      expect(err.message).toContain('proxies.http');
    },
  );

  it('masks credentials in the message', () => {
    const err = thrown(() => selectProxy('http://a.test/', { all: 'http://alice:s3cret@:8080' }));
    expect(err).toBeInstanceOf(InvalidProxyURLError);
    expect(err.message).toContain('http://***@:8080');
    expect(err.message).not.toContain('s3cret');
    expect(err.message).not.toContain('alice');
  });

  it('an unparseable proxy URL is an InvalidProxyURLError too', () => {
    expect(() => selectProxy('http://a.test/', { http: 'http://[::1' })).toThrow(InvalidProxyURLError);
  });

  it('resolveProxies refuses it and names the layer it came from', () => {
    expect(
      thrown(() => resolveProxies('http://a.test/', { http: 'http:///x:1' }, {}, undefined)).message,
    ).toContain('proxies.http');
    expect(
      thrown(() => resolveProxies('http://a.test/', {}, { all: 'http:///x:1' }, undefined)).message,
    ).toContain('session.proxies.all');
    process.env.HTTP_PROXY = 'http:///x:1';
    const env = thrown(() => resolveProxies('http://a.test/', {}, {}, readEnvironment()));
    expect(env).toBeInstanceOf(InvalidProxyURLError);
    expect(env.message).toContain('HTTP_PROXY');
  });

  it('host:port without a scheme still means http://', () => {
    expect(selectProxy('http://a.test/', { http: 'proxy:3128' })).toBe('http://proxy:3128');
    expect(resolveProxies('http://a.test/', { http: 'proxy:3128' }, {}, undefined)).toEqual({
      http: 'http://proxy:3128',
    });
  });
});

describe('no_proxy replaces NO_PROXY (request > session > environment)', () => {
  beforeEach(() => {
    process.env.HTTP_PROXY = 'http://env:1';
    process.env.NO_PROXY = 'a.test';
  });

  it('the environment alone: NO_PROXY applies', () => {
    expect(resolveProxies('http://a.test/', undefined, {}, readEnvironment())).toEqual({});
  });

  it("a session no_proxy replaces the environment's", () => {
    expect(
      resolveProxies('http://a.test/', undefined, { no_proxy: 'other.test' }, readEnvironment()),
    ).toEqual({
      http: 'http://env:1',
    });
    expect(
      resolveProxies('http://other.test/', undefined, { no_proxy: 'other.test' }, readEnvironment()),
    ).toEqual({});
  });

  it("a request no_proxy replaces the session's and the environment's", () => {
    const session = { no_proxy: 'a.test', http: 'http://session:1' };
    expect(resolveProxies('http://a.test/', { no_proxy: 'b.test' }, session, readEnvironment())).toEqual({
      http: 'http://session:1',
    });
    expect(resolveProxies('http://b.test/', { no_proxy: 'b.test' }, session, readEnvironment())).toEqual({});
  });

  it('an empty no_proxy still replaces: nothing bypasses', () => {
    expect(resolveProxies('http://a.test/', { no_proxy: '' }, {}, readEnvironment())).toEqual({
      http: 'http://env:1',
    });
  });

  it("a request no_proxy of null removes the session's, so the environment's applies", () => {
    expect(
      resolveProxies('http://a.test/', { no_proxy: null }, { no_proxy: 'other.test' }, readEnvironment()),
    ).toEqual({});
  });

  it('getEnvironProxies takes a no_proxy that replaces the environment one', () => {
    expect(getEnvironProxies('http://a.test/')).toEqual({});
    expect(getEnvironProxies('http://a.test/', process.env, { noProxy: 'zzz.test' })).toEqual({
      http: 'http://env:1',
    });
  });
});

describe('proxy credentials', () => {
  it('user with an empty password still gives Proxy-Authorization (basic user:)', () => {
    expect(splitProxyCredentials('http://user:@proxy.test:3128')).toEqual({
      url: 'http://proxy.test:3128/',
      authorization: `Basic ${Buffer.from('user:').toString('base64')}`,
    });
    expect(splitProxyCredentials('http://user@proxy.test:3128').authorization).toBe(
      `Basic ${Buffer.from('user:').toString('base64')}`,
    );
  });

  it('percent-decodes and encodes UTF-8; no credentials, no header', () => {
    expect(splitProxyCredentials('http://j%C3%B6rg:p%40ss@proxy.test/').authorization).toBe(
      `Basic ${Buffer.from('jörg:p@ss', 'utf8').toString('base64')}`,
    );
    expect(splitProxyCredentials('http://proxy.test:3128')).toEqual({
      url: 'http://proxy.test:3128/',
      authorization: undefined,
    });
  });
});
