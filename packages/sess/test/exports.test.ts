import { readFileSync } from 'node:fs';
import * as pkg from 'sess';
import { describe, expect, it } from 'vitest';

describe('sess exports', () => {
  it('re-exports core, the functional API and the batteries', () => {
    const names = Object.keys(pkg).sort();
    for (const n of [
      'request',
      'get',
      'head',
      'options',
      'post',
      'put',
      'patch',
      'delete',
      'Session',
      'default',
    ]) {
      expect(names).toContain(n);
    }
    expect(names).toMatchInlineSnapshot(`
      [
        "AbortError",
        "BearerAuth",
        "ChunkedEncodingError",
        "ConnectTimeoutError",
        "ConnectionError",
        "ContentDecodingError",
        "CookieConflictError",
        "CookieJar",
        "HTTPBasicAuth",
        "HTTPDigestAuth",
        "HTTPError",
        "HTTPProxyAuth",
        "Headers",
        "Http2Adapter",
        "InvalidHeaderError",
        "InvalidProxyURLError",
        "InvalidSchemaError",
        "InvalidURLError",
        "JSONDecodeError",
        "MissingSchemaError",
        "PoolTimeoutError",
        "PreparedRequest",
        "ProxyError",
        "ReadTimeoutError",
        "Request",
        "RequestError",
        "Response",
        "ResponseTooLargeError",
        "RetryError",
        "SSLError",
        "Session",
        "SessionClosedError",
        "StreamConsumedError",
        "TimeoutError",
        "TooManyRedirectsError",
        "UndiciAdapter",
        "UnrewindableBodyError",
        "VERSION",
        "cookiejarFromDict",
        "default",
        "delete",
        "fetch",
        "get",
        "head",
        "options",
        "patch",
        "post",
        "put",
        "redactUrl",
        "request",
      ]
    `);
  });
  it('the default export holds the functional API', () => {
    expect(Object.keys(pkg.default).sort()).toEqual(
      ['Session', 'delete', 'fetch', 'get', 'head', 'options', 'patch', 'post', 'put', 'request'].sort(),
    );
  });
  it('VERSION matches package.json and names the User-Agent', () => {
    const json = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(pkg.VERSION).toBe(json.version);
    const s = new pkg.Session();
    expect(s.headers.get('user-agent')).toBe(`sess/${json.version}`);
    return s.close();
  });
});
