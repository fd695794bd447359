import { describe, expect, it } from 'vitest';
import * as A from '../src/errors.js';
import {
  AbortError,
  ChunkedEncodingError,
  ConnectionError,
  ConnectTimeoutError,
  ContentDecodingError,
  CookieConflictError,
  HTTPError,
  InvalidHeaderError,
  InvalidSchemaError,
  InvalidURLError,
  JSONDecodeError,
  MissingSchemaError,
  ProxyError,
  ReadTimeoutError,
  RequestError,
  ResponseTooLargeError,
  RetryError,
  SSLError,
  StreamConsumedError,
  TimeoutError,
  TooManyRedirectsError,
  UnrewindableBodyError,
} from '../src/errors.js';
import { PreparedRequest } from '../src/prepared-request.js';
import { Response } from '../src/response.js';

type ErrorClass = typeof RequestError;

// [class, expected name, code, every ancestor it must be instanceof]
const TABLE: Array<[ErrorClass, string, string, ErrorClass[]]> = [
  [RequestError, 'RequestError', 'ERR_SESS_REQUEST', []],
  [HTTPError, 'HTTPError', 'ERR_SESS_HTTP', [RequestError]],
  [ConnectionError, 'ConnectionError', 'ERR_SESS_CONNECTION', [RequestError]],
  [ProxyError, 'ProxyError', 'ERR_SESS_PROXY', [ConnectionError, RequestError]],
  [SSLError, 'SSLError', 'ERR_SESS_SSL', [ConnectionError, RequestError]],
  [TimeoutError, 'TimeoutError', 'ERR_SESS_TIMEOUT', [RequestError]],
  [
    ConnectTimeoutError,
    'ConnectTimeoutError',
    'ERR_SESS_CONNECT_TIMEOUT',
    [ConnectionError, TimeoutError, RequestError],
  ],
  [ReadTimeoutError, 'ReadTimeoutError', 'ERR_SESS_READ_TIMEOUT', [TimeoutError, RequestError]],
  [TooManyRedirectsError, 'TooManyRedirectsError', 'ERR_SESS_TOO_MANY_REDIRECTS', [RequestError]],
  [MissingSchemaError, 'MissingSchemaError', 'ERR_SESS_MISSING_SCHEMA', [RequestError]],
  [InvalidSchemaError, 'InvalidSchemaError', 'ERR_SESS_INVALID_SCHEMA', [RequestError]],
  [InvalidURLError, 'InvalidURLError', 'ERR_SESS_INVALID_URL', [RequestError]],
  [InvalidHeaderError, 'InvalidHeaderError', 'ERR_SESS_INVALID_HEADER', [RequestError]],
  [ChunkedEncodingError, 'ChunkedEncodingError', 'ERR_SESS_CHUNKED_ENCODING', [RequestError]],
  [ContentDecodingError, 'ContentDecodingError', 'ERR_SESS_CONTENT_DECODING', [RequestError]],
  [StreamConsumedError, 'StreamConsumedError', 'ERR_SESS_STREAM_CONSUMED', [RequestError]],
  [RetryError, 'RetryError', 'ERR_SESS_RETRY', [RequestError]],
  [JSONDecodeError, 'JSONDecodeError', 'ERR_SESS_JSON_DECODE', [RequestError]],
  [ResponseTooLargeError, 'ResponseTooLargeError', 'ERR_SESS_RESPONSE_TOO_LARGE', [RequestError]],
  [UnrewindableBodyError, 'UnrewindableBodyError', 'ERR_SESS_UNREWINDABLE_BODY', [RequestError]],
  [CookieConflictError, 'CookieConflictError', 'ERR_SESS_COOKIE_CONFLICT', [RequestError]],
  [AbortError, 'AbortError', 'ERR_SESS_ABORTED', [RequestError]],
];

function fixtures(): { request: PreparedRequest; response: Response } {
  const request = new PreparedRequest();
  request.prepareMethod('GET');
  request.prepareUrl('http://example.test/x');
  const response = new Response({ statusCode: 500, url: 'http://example.test/x', request });
  return { request, response };
}

describe('error classes', () => {
  it('the API table is covered: every listed class is exported', () => {
    const required = [
      'RequestError',
      'HTTPError',
      'ConnectionError',
      'ProxyError',
      'SSLError',
      'TimeoutError',
      'ConnectTimeoutError',
      'ReadTimeoutError',
      'TooManyRedirectsError',
      'MissingSchemaError',
      'InvalidSchemaError',
      'InvalidURLError',
      'InvalidHeaderError',
      'ChunkedEncodingError',
      'ContentDecodingError',
      'StreamConsumedError',
      'RetryError',
      'JSONDecodeError',
    ];
    for (const name of required) {
      expect(typeof (A as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it.each(TABLE.map(([Cls, name, code, parents]) => [name, Cls, code, parents] as const))(
    '%s: name, code, parents',
    (name, Cls, code, parents) => {
      const err = new Cls('boom');
      expect(err).toBeInstanceOf(Error);
      expect(err).toBeInstanceOf(Cls);
      for (const P of parents) expect(err, `${name} instanceof ${P.brand}`).toBeInstanceOf(P);
      expect(err.name).toBe(name);
      expect(err.code).toBe(code);
      expect(err.code).toMatch(/^ERR_SESS_[A-Z_]+$/);
      expect(err.message).toBe('boom');
      expect(String(err)).toBe(`${name}: boom`);
      expect(err.stack).toContain('boom');
      expect(err.request).toBeUndefined();
      expect(err.response).toBeUndefined();
      expect(err.cause).toBeUndefined();
    },
  );

  it('codes are unique', () => {
    const codes = TABLE.map(([Cls]) => new Cls('x').code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('siblings are not instanceof each other', () => {
    expect(new HTTPError('x')).not.toBeInstanceOf(ConnectionError);
    expect(new ProxyError('x')).not.toBeInstanceOf(SSLError);
    expect(new ProxyError('x')).not.toBeInstanceOf(TimeoutError);
    expect(new InvalidURLError('x')).not.toBeInstanceOf(InvalidSchemaError);
    expect(new RequestError('x')).not.toBeInstanceOf(HTTPError);
    expect(new TimeoutError('x')).not.toBeInstanceOf(ConnectTimeoutError);
    expect(new TimeoutError('x')).not.toBeInstanceOf(ConnectionError);
  });

  it('ConnectTimeoutError is both a ConnectionError and a TimeoutError, not a ReadTimeoutError', () => {
    const err = new ConnectTimeoutError('connect');
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toBeInstanceOf(RequestError);
    expect(err).not.toBeInstanceOf(ReadTimeoutError);
    expect(err).not.toBeInstanceOf(ProxyError);
  });

  it('ReadTimeoutError is a TimeoutError but not a ConnectionError', () => {
    const err = new ReadTimeoutError('read');
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).not.toBeInstanceOf(ConnectionError);
    expect(err).not.toBeInstanceOf(ConnectTimeoutError);
  });

  it('instanceof is false for non-errors and foreign errors', () => {
    for (const v of [null, undefined, 42, 'RequestError', {}, new Error('x'), new TypeError('x')]) {
      expect(v instanceof RequestError).toBe(false);
    }
  });

  it('carries request, response and cause', () => {
    const { request, response } = fixtures();
    const cause = new Error('socket hang up');
    const err = new ConnectionError('failed', { request, response, cause });
    expect(err.request).toBe(request);
    expect(err.response).toBe(response);
    expect(err.cause).toBe(cause);
  });

  it('takes request from the response when only a response is given', () => {
    const { request, response } = fixtures();
    const err = new HTTPError('500', { response });
    expect(err.response).toBe(response);
    expect(err.request).toBe(request);
  });

  it('an explicit request wins over the response one', () => {
    const { response } = fixtures();
    const other = new PreparedRequest();
    const err = new RequestError('x', { request: other, response });
    expect(err.request).toBe(other);
  });

  it('keeps falsy causes', () => {
    expect(new RequestError('x', { cause: 0 }).cause).toBe(0);
    expect(new RequestError('x', { cause: null }).cause).toBeNull();
  });

  it('request and response can be set after construction (adapters fill them in)', () => {
    const { request, response } = fixtures();
    const err = new ReadTimeoutError('late');
    err.request = request;
    err.response = response;
    expect(err.request).toBe(request);
    expect(err.response).toBe(response);
  });

  it('subclasses written by users stay in the hierarchy', () => {
    class MyProxyError extends ProxyError {}
    const err = new MyProxyError('x');
    expect(err).toBeInstanceOf(MyProxyError);
    expect(err).toBeInstanceOf(ProxyError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).not.toBeInstanceOf(SSLError);
    expect(err.code).toBe('ERR_SESS_PROXY');
  });
});

describe('cross-install branding', () => {
  async function otherCopy(): Promise<typeof A> {
    // A query string makes vitest load a second, independent instance of the module,
    // like a second installed copy of @sess/core.
    const spec = '../src/errors.ts?copy=1';
    return (await import(/* @vite-ignore */ spec)) as typeof A;
  }

  it('the second copy really is another module', async () => {
    const B = await otherCopy();
    expect(B.ConnectionError).not.toBe(A.ConnectionError);
    expect(B.RequestError).not.toBe(A.RequestError);
    expect(Object.getPrototypeOf(new B.ConnectionError('x'))).not.toBe(A.ConnectionError.prototype);
  });

  it('an error from the other copy is instanceof this copy’s classes', async () => {
    const B = await otherCopy();
    const errB = new B.ConnectionError('x');
    expect(errB instanceof A.ConnectionError).toBe(true);
    expect(errB instanceof A.RequestError).toBe(true);
    expect(errB instanceof A.HTTPError).toBe(false);
    expect(errB instanceof A.ProxyError).toBe(false);
  });

  it('and the other way round', async () => {
    const B = await otherCopy();
    const errA = new A.ProxyError('x');
    expect(errA instanceof B.ProxyError).toBe(true);
    expect(errA instanceof B.ConnectionError).toBe(true);
    expect(errA instanceof B.SSLError).toBe(false);
  });

  it('ConnectTimeoutError from the other copy is ConnectionError and TimeoutError here', async () => {
    const B = await otherCopy();
    const errB = new B.ConnectTimeoutError('x');
    expect(errB instanceof A.ConnectTimeoutError).toBe(true);
    expect(errB instanceof A.ConnectionError).toBe(true);
    expect(errB instanceof A.TimeoutError).toBe(true);
    expect(errB instanceof A.ReadTimeoutError).toBe(false);
  });

  it('ReadTimeoutError from the other copy is not a ConnectionError here', async () => {
    const B = await otherCopy();
    const errB = new B.ReadTimeoutError('x');
    expect(errB instanceof A.TimeoutError).toBe(true);
    expect(errB instanceof A.ConnectionError).toBe(false);
  });

  it.each(TABLE.map(([Cls]) => [Cls.brand]))('%s from the other copy keeps name and code', async (brand) => {
    const B = await otherCopy();
    const BCls = (B as unknown as Record<string, ErrorClass>)[brand];
    const ACls = (A as unknown as Record<string, ErrorClass>)[brand];
    if (!BCls || !ACls) throw new Error(`missing ${brand}`);
    const errB = new BCls('x');
    expect(errB instanceof ACls).toBe(true);
    expect(errB.name).toBe(brand);
    expect(errB.code).toBe(new ACls('x').code);
  });
});
