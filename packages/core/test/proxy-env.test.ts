import { describe, expect, it } from 'vitest';
import { envNoProxy, getEnvironProxies, shouldBypassProxies } from '../src/env/proxy-env.js';

describe('getEnvironProxies', () => {
  it('reads http, https and all proxies in either case', () => {
    const env = {
      HTTP_PROXY: 'http://up-http:3128',
      https_proxy: 'http://low-https:3128',
      ALL_PROXY: 'socks5://all:1080',
      FTP_PROXY: 'http://ftp:21',
    };
    expect(getEnvironProxies('http://example.test/', env)).toEqual({
      http: 'http://up-http:3128',
      https: 'http://low-https:3128',
      all: 'socks5://all:1080',
    });
  });

  it('lets the lower-case name win, and an empty lower-case name switch the proxy off', () => {
    const env = {
      HTTP_PROXY: 'http://upper:1',
      http_proxy: 'http://lower:1',
      HTTPS_PROXY: 'http://upper:2',
      https_proxy: '',
    };
    expect(getEnvironProxies('http://example.test/', env)).toEqual({ http: 'http://lower:1' });
  });

  it('ignores HTTP_PROXY under CGI (httpoxy) but honours http_proxy', () => {
    const cgi = { REQUEST_METHOD: 'GET', HTTP_PROXY: 'http://attacker:80', HTTPS_PROXY: 'http://ok:3128' };
    expect(getEnvironProxies('http://example.test/', cgi)).toEqual({ https: 'http://ok:3128' });
    const both = { ...cgi, http_proxy: 'http://admin-set:3128' };
    expect(getEnvironProxies('http://example.test/', both)).toEqual({
      http: 'http://admin-set:3128',
      https: 'http://ok:3128',
    });
    const { REQUEST_METHOD: _, ...notCgi } = cgi;
    expect(getEnvironProxies('http://example.test/', notCgi).http).toBe('http://attacker:80');
  });

  it('returns {} when NO_PROXY says bypass', () => {
    const env = { HTTP_PROXY: 'http://p:1', NO_PROXY: 'internal.test' };
    expect(getEnvironProxies('http://api.internal.test/', env)).toEqual({});
    expect(getEnvironProxies('http://example.test/', env)).toEqual({ http: 'http://p:1' });
  });

  it('prefers a non-empty no_proxy to NO_PROXY', () => {
    expect(envNoProxy({ no_proxy: 'a.test', NO_PROXY: 'b.test' })).toBe('a.test');
    expect(envNoProxy({ no_proxy: '', NO_PROXY: 'b.test' })).toBe('b.test');
    expect(envNoProxy({})).toBeUndefined();
    const env = { http_proxy: 'http://p:1', no_proxy: 'a.test', NO_PROXY: 'b.test' };
    expect(getEnvironProxies('http://b.test/', env)).toEqual({ http: 'http://p:1' });
    expect(getEnvironProxies('http://a.test/', env)).toEqual({});
  });

  it('returns {} for a URL it cannot parse and nothing from an empty environment', () => {
    expect(getEnvironProxies('not a url', { HTTP_PROXY: 'http://p:1' })).toEqual({});
    expect(getEnvironProxies('http://example.test/', {})).toEqual({});
  });
});

describe('shouldBypassProxies', () => {
  const bypass = shouldBypassProxies;

  it('bypasses nothing without a list, everything with *', () => {
    expect(bypass('http://example.test/', undefined)).toBe(false);
    expect(bypass('http://example.test/', '')).toBe(false);
    expect(bypass('http://example.test/', '*')).toBe(true);
    expect(bypass('http://[::1]:8080/', 'a.test, *')).toBe(true);
  });

  it('matches a domain and its subdomains, with or without a leading dot, never a bare suffix', () => {
    for (const list of ['example.com', '.example.com', '*.example.com', 'EXAMPLE.com.']) {
      expect(bypass('http://example.com/', list), list).toBe(true);
      expect(bypass('https://api.example.com/x', list), list).toBe(true);
      expect(bypass('http://a.b.example.com:8443/', list), list).toBe(true);
      expect(bypass('http://notexample.com/', list), list).toBe(false);
      expect(bypass('http://example.com.evil.test/', list), list).toBe(false);
    }
    expect(bypass('http://example.com./', 'example.com')).toBe(true);
  });

  it('splits on commas and spaces', () => {
    const list = ' a.test,b.test  c.test ,, d.test';
    for (const h of ['a', 'b', 'c', 'd']) expect(bypass(`http://${h}.test/`, list)).toBe(true);
    expect(bypass('http://e.test/', list)).toBe(false);
  });

  it('honours a port on an entry, default ports included', () => {
    expect(bypass('http://example.com:8080/', 'example.com:8080')).toBe(true);
    expect(bypass('http://example.com:8081/', 'example.com:8080')).toBe(false);
    expect(bypass('http://example.com/', 'example.com:80')).toBe(true);
    expect(bypass('https://example.com/', 'example.com:80')).toBe(false);
    expect(bypass('https://www.example.com/', '.example.com:443')).toBe(true);
  });

  it('matches IPv4 and IPv6 literals however they are written', () => {
    expect(bypass('http://127.0.0.1:5000/', '127.0.0.1')).toBe(true);
    expect(bypass('http://127.0.0.2/', '127.0.0.1')).toBe(false);
    expect(bypass('http://10.0.0.1:8080/', '10.0.0.1:8080')).toBe(true);
    expect(bypass('http://10.0.0.1:8081/', '10.0.0.1:8080')).toBe(false);
    expect(bypass('http://[::1]:8080/', '::1')).toBe(true);
    expect(bypass('http://[::1]/', '[::1]')).toBe(true);
    expect(bypass('http://[0:0:0:0:0:0:0:1]/', '0::1')).toBe(true);
    expect(bypass('http://[::1]:8080/', '[::1]:8080')).toBe(true);
    expect(bypass('http://[::1]:8081/', '[::1]:8080')).toBe(false);
    expect(bypass('http://[::2]/', '::1')).toBe(false);
    // The WHATWG URL parser normalises odd IPv4 spellings before we compare.
    expect(bypass('http://0x7f.1/', '127.0.0.1')).toBe(true);
  });

  it('matches CIDR blocks only for IP hosts', () => {
    const list = '10.0.0.0/8, 192.168.1.0/24, fd00::/8, ::1/128';
    expect(bypass('http://10.20.30.40/', list)).toBe(true);
    expect(bypass('http://11.0.0.1/', list)).toBe(false);
    expect(bypass('http://192.168.1.200:8080/', list)).toBe(true);
    expect(bypass('http://192.168.2.1/', list)).toBe(false);
    expect(bypass('http://[fd12:3456::1]/', list)).toBe(true);
    expect(bypass('http://[fe80::1]/', list)).toBe(false);
    expect(bypass('http://[::1]/', list)).toBe(true);
    // A name is never resolved to check it against a block.
    expect(bypass('http://10.example.test/', list)).toBe(false);
    expect(bypass('http://10.0.0.1/', '10.0.0.0/33, 10.0.0.0/x, 10.0.0.0/')).toBe(false);
  });

  it('treats localhost as a name: it and its subdomains, not the loopback addresses', () => {
    expect(bypass('http://localhost:3000/', 'localhost')).toBe(true);
    expect(bypass('http://app.localhost/', 'localhost')).toBe(true);
    expect(bypass('http://127.0.0.1/', 'localhost')).toBe(false);
    expect(bypass('http://notlocalhost/', 'localhost')).toBe(false);
  });

  it('does not let an IP entry match a name or a name entry match an IP', () => {
    expect(bypass('http://127.0.0.1.nip.io/', '127.0.0.1')).toBe(false);
    expect(bypass('http://1.2.3.4/', '3.4')).toBe(false);
  });

  it('matches Unicode entries against punycode hosts', () => {
    expect(bypass('http://bücher.example/', 'bücher.example')).toBe(true);
    expect(bypass('http://xn--bcher-kva.example/', '.bücher.example')).toBe(true);
  });

  it('bypasses a URL without a host, as requests does', () => {
    expect(bypass('file:///etc/passwd', 'a.test')).toBe(true);
  });
});
