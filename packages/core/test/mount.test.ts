import { describe, expect, it } from 'vitest';
import type { Adapter } from '../src/adapter.js';
import { InvalidSchemaError, RequestError } from '../src/errors.js';
import { MountTable } from '../src/mount.js';

function adapter(name: string): Adapter & { name: string } {
  return {
    name,
    send: () => Promise.reject(new Error(`${name} is a stub`)),
    close: () => Promise.resolve(),
  };
}

function nameFor(table: MountTable, url: string): string {
  return (table.get(url) as Adapter & { name: string }).name;
}

describe('MountTable', () => {
  it('matches by scheme', () => {
    const t = new MountTable();
    t.mount('http://', adapter('http'));
    t.mount('https://', adapter('https'));
    expect(nameFor(t, 'http://example.test/')).toBe('http');
    expect(nameFor(t, 'https://example.test/')).toBe('https');
    expect(nameFor(t, 'HTTPS://EXAMPLE.test/')).toBe('https');
  });

  it('the most specific prefix wins, whatever the mount order', () => {
    const t = new MountTable();
    t.mount('https://api.example.test/v1/admin', adapter('admin'));
    t.mount('https://', adapter('any'));
    t.mount('https://api.example.test/v1', adapter('v1'));
    t.mount('https://api.example.test', adapter('host'));
    t.mount('https://api.example.test:8443', adapter('port'));
    expect(nameFor(t, 'https://api.example.test/v1/admin/users')).toBe('admin');
    expect(nameFor(t, 'https://api.example.test/v1/users')).toBe('v1');
    expect(nameFor(t, 'https://api.example.test/v2')).toBe('host');
    expect(nameFor(t, 'https://api.example.test:8443/v1/users')).toBe('port');
    expect(nameFor(t, 'https://other.example.test/v1')).toBe('any');
    expect(t.entries().map(([prefix]) => prefix)[0]).toBe('https://api.example.test:8443');
    expect(t.entries().at(-1)?.[0]).toBe('https://');
  });

  it("'http://localhost' never matches 'http://localhost.evil.test' or other look-alikes", () => {
    const t = new MountTable();
    t.mount('http://', adapter('default'));
    t.mount('http://localhost', adapter('local'));
    expect(nameFor(t, 'http://localhost/')).toBe('local');
    expect(nameFor(t, 'http://localhost:3000/x')).toBe('local');
    expect(nameFor(t, 'http://LOCALHOST/')).toBe('local');
    expect(nameFor(t, 'http://localhost.evil.test/')).toBe('default');
    expect(nameFor(t, 'http://localhostx/')).toBe('default');
    expect(nameFor(t, 'http://evil.test/localhost')).toBe('default');
    expect(nameFor(t, 'http://localhost@evil.test/')).toBe('default');
    expect(nameFor(t, 'http://evil.test/?http://localhost')).toBe('default');
  });

  it('without a catch-all, a look-alike host has no adapter at all', () => {
    const t = new MountTable();
    t.mount('http://localhost', adapter('local'));
    expect(() => t.get('http://localhost.evil.test/')).toThrow(InvalidSchemaError);
  });

  it('a prefix without a port matches any port', () => {
    const t = new MountTable();
    t.mount('http://h.test', adapter('h'));
    for (const url of ['http://h.test/', 'http://h.test:80/', 'http://h.test:8080/', 'http://h.test:1/']) {
      expect(nameFor(t, url)).toBe('h');
    }
  });

  it("'https://h:443' matches the default port but not another one", () => {
    const t = new MountTable();
    t.mount('https://h.test:443', adapter('443'));
    expect(nameFor(t, 'https://h.test/')).toBe('443');
    expect(nameFor(t, 'https://h.test:443/x')).toBe('443');
    expect(() => t.get('https://h.test:8443/')).toThrow(InvalidSchemaError);
  });

  it("'http://h:80' matches http://h/ and a non-default port prefix only that port", () => {
    const t = new MountTable();
    t.mount('http://h.test:80', adapter('80'));
    t.mount('http://h.test:8080', adapter('8080'));
    expect(nameFor(t, 'http://h.test/')).toBe('80');
    expect(nameFor(t, 'http://h.test:8080/')).toBe('8080');
    expect(() => t.get('http://h.test:8081/')).toThrow(InvalidSchemaError);
  });

  it("path segment '/api' matches '/api' and '/api/x' but not '/apix'", () => {
    const t = new MountTable();
    t.mount('https://h.test/', adapter('root'));
    t.mount('https://h.test/api', adapter('api'));
    expect(nameFor(t, 'https://h.test/api')).toBe('api');
    expect(nameFor(t, 'https://h.test/api/')).toBe('api');
    expect(nameFor(t, 'https://h.test/api/x')).toBe('api');
    expect(nameFor(t, 'https://h.test/api?q=1')).toBe('api');
    expect(nameFor(t, 'https://h.test/apix')).toBe('root');
    expect(nameFor(t, 'https://h.test/ap')).toBe('root');
    expect(nameFor(t, 'https://h.test/x/api')).toBe('root');
  });

  it('path segments are compared after URL normalisation', () => {
    const t = new MountTable();
    t.mount('https://h.test/', adapter('root'));
    t.mount('https://h.test/api', adapter('api'));
    expect(nameFor(t, 'https://h.test/other/../api/x')).toBe('api');
    expect(nameFor(t, 'https://h.test/api/../secret')).toBe('root');
  });

  it('scheme matters: an http prefix does not serve https', () => {
    const t = new MountTable();
    t.mount('http://h.test', adapter('plain'));
    expect(() => t.get('https://h.test/')).toThrow(InvalidSchemaError);
  });

  it('IDNA hosts match their punycode form', () => {
    const t = new MountTable();
    t.mount('https://bücher.example', adapter('idn'));
    expect(nameFor(t, 'https://xn--bcher-kva.example/')).toBe('idn');
  });

  it('IPv6 hosts with ports', () => {
    const t = new MountTable();
    t.mount('http://[::1]:8080', adapter('v6'));
    expect(nameFor(t, 'http://[::1]:8080/x')).toBe('v6');
    expect(() => t.get('http://[::1]:8081/x')).toThrow(InvalidSchemaError);
  });

  it.each([['file:///etc/passwd'], ['ftp://x'], ['javascript:alert(1)'], ['data:,x'], ['not a url'], ['']])(
    'InvalidSchemaError for %j',
    (url) => {
      const t = new MountTable();
      t.mount('http://', adapter('http'));
      t.mount('https://', adapter('https'));
      let caught: unknown;
      try {
        t.get(url);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InvalidSchemaError);
      expect(caught).toBeInstanceOf(RequestError);
      expect((caught as InvalidSchemaError).code).toBe('ERR_SESS_INVALID_SCHEMA');
    },
  );

  it('an empty table has no adapter for anything', () => {
    expect(() => new MountTable().get('https://example.test/')).toThrow(InvalidSchemaError);
  });

  it('mounting the same prefix again replaces the adapter', () => {
    const t = new MountTable();
    const a = adapter('a');
    const b = adapter('b');
    t.mount('https://', a);
    t.mount('https://', b);
    expect(t.get('https://x.test/')).toBe(b);
    expect(t.entries()).toHaveLength(1);
    expect(t.adapters()).toEqual([b]);
  });

  it('among equally specific prefixes, the earlier mount wins', () => {
    const t = new MountTable();
    t.mount('https://h.test/a', adapter('first'));
    t.mount('https://h.test/b', adapter('second'));
    expect(nameFor(t, 'https://h.test/a')).toBe('first');
    expect(nameFor(t, 'https://h.test/b')).toBe('second');
  });

  it('adapters() lists each adapter once', () => {
    const t = new MountTable();
    const shared = adapter('shared');
    t.mount('http://', shared);
    t.mount('https://', shared);
    t.mount('https://h.test', adapter('other'));
    expect(t.adapters()).toHaveLength(2);
    expect(t.adapters()).toContain(shared);
  });

  it.each([['localhost'], ['/api'], ['']])('a prefix without a scheme (%j) is a TypeError', (prefix) => {
    expect(() => new MountTable().mount(prefix, adapter('x'))).toThrow(TypeError);
  });
});

describe('selectProxy', async () => {
  const { selectProxy } = await import('../src/env/select-proxy.js');
  it('picks the most specific key and adds http:// to a bare host:port', () => {
    const proxies = { http: 'proxy:3128', 'http://a.test': 'http://special:1', all: 'http://all:1' };
    expect(selectProxy('http://a.test/x', proxies)).toBe('http://special:1');
    expect(selectProxy('http://b.test/x', proxies)).toBe('http://proxy:3128');
    expect(selectProxy('https://b.test/x', proxies)).toBe('http://all:1');
    expect(selectProxy('https://b.test/x', {})).toBeUndefined();
  });
});
