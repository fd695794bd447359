import { Headers } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { toH2Headers } from '../src/request-headers.js';

describe('toH2Headers', () => {
  const url = new URL('https://api.test:8443/v1/items?q=1');

  it('puts the pseudo-headers first, lower-cases names, drops connection-specific fields', () => {
    const h = new Headers([
      ['User-Agent', 'sess'],
      ['Connection', 'keep-alive'],
      ['Keep-Alive', 'timeout=5'],
      ['Transfer-Encoding', 'chunked'],
      ['TE', 'trailers, deflate'],
      ['X-Two', 'a'],
    ]);
    h.append('x-two', 'b');
    const { headers } = toH2Headers('GET', url, h);
    expect(Object.keys(headers).slice(0, 4)).toEqual([':method', ':scheme', ':authority', ':path']);
    expect(headers).toEqual({
      ':method': 'GET',
      ':scheme': 'https',
      ':authority': 'api.test:8443',
      ':path': '/v1/items?q=1',
      'user-agent': 'sess',
      'x-two': ['a', 'b'],
    });
  });

  it('takes :authority from Host, TE only as trailers, and keeps Proxy-Authorization for the proxy', () => {
    const h = new Headers({ Host: 'other.test', TE: 'Trailers', 'Proxy-Authorization': 'Basic eA==' });
    const { headers, proxyAuthorization } = toH2Headers('POST', url, h);
    expect(headers[':authority']).toBe('other.test');
    expect(headers.te).toBe('trailers');
    expect(headers).not.toHaveProperty('host');
    expect(headers).not.toHaveProperty('proxy-authorization');
    expect(proxyAuthorization).toBe('Basic eA==');
  });

  it('a field called __proto__ is a header (an own property), never the object’s prototype', () => {
    const h = new Headers([['__proto__', 'x']]);
    h.append('__proto__', 'y');
    const { headers } = toH2Headers('GET', url, h);
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.hasOwn(headers, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toEqual(['x', 'y']);
  });
});
