import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ConnectionError,
  HTTPError,
  InvalidHeaderError,
  SessionClosedError,
  TimeoutError,
} from '../src/errors.js';
import { redactUrl } from '../src/redact.js';
import { Request } from '../src/request.js';
import { HostJar, mockSession } from './support/session.js';

/** requests behaviours users lean on, and the Node conventions beside them (each failed before). */

describe('requests behaviours', () => {
  it('keeps a Content-Length the caller set on a request without a body', async () => {
    const { s, mock } = mockSession(() => ({}));
    await s.post('http://a.test/', { headers: { 'Content-Length': '0' } });
    await s.request('PURGE', 'http://a.test/', { headers: { 'Content-Length': '17' } });
    await s.post('http://a.test/');
    expect(mock.calls.map((c) => c.request.headers.get('content-length'))).toEqual(['0', '17', '0']);
  });

  it('follows a redirect whose body does not decode (a wrong Content-Encoding), as requests does', async () => {
    const { s } = mockSession((req) =>
      req.url.endsWith('/r')
        ? { status: 302, headers: { Location: '/ok', 'Content-Encoding': 'gzip' }, body: 'not gzip at all' }
        : { body: gzipSync('fine'), headers: { 'Content-Encoding': 'gzip' } },
    );
    const res = await s.get('http://a.test/r');
    expect(res.text).toBe('fine');
    expect(res.history.map((h) => h.statusCode)).toEqual([302]);
  });

  it('refuses two different Content-Length values in one response; identical copies are one', async () => {
    const { s } = mockSession((req) => ({
      headers: { 'Content-Length': ['5', req.url.endsWith('/same') ? '5' : '7'] },
      body: 'hello',
    }));
    await expect(s.get('http://a.test/diff')).rejects.toBeInstanceOf(InvalidHeaderError);
    expect((await s.get('http://a.test/same')).text).toBe('hello');
  });

  it('uses a CookieJar given as a request’s cookies: its cookies for that host only, never stored', async () => {
    const given = new HostJar();
    given.setCookiesFromResponse(['mine=1'], 'http://a.test/');
    given.setCookiesFromResponse(['other=2'], 'http://b.test/');
    const { s, mock, jar } = mockSession((req) =>
      req.url.includes('/away') ? { status: 302, headers: { Location: 'http://b.test/x' } } : {},
    );
    await s.get('http://a.test/', { cookies: given });
    expect(mock.calls[0]?.request.headers.get('cookie')).toBe('mine=1');
    await s.get('http://a.test/away', { cookies: given });
    // The hop to another host carries none of them.
    expect(mock.calls[2]?.request.url).toBe('http://b.test/x');
    expect(mock.calls[2]?.request.headers.get('cookie')).toBeUndefined();
    expect(jar.byHost.size).toBe(0);
  });

  it('throwHttpErrors (session and request; default false as in requests) raises after the body is read', async () => {
    const { s } = mockSession(() => ({ status: 404, body: 'nope' }));
    expect((await s.get('http://a.test/')).statusCode).toBe(404);
    const err = await s.get('http://a.test/', { throwHttpErrors: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HTTPError);
    expect((err as HTTPError).response?.text).toBe('nope');
    s.throwHttpErrors = true;
    await expect(s.get('http://a.test/')).rejects.toBeInstanceOf(HTTPError);
    expect((await s.get('http://a.test/', { throwHttpErrors: false })).statusCode).toBe(404);
    await expect(s.get('http://a.test/', { throwHttpErrors: 'yes' as never })).rejects.toThrow(
      /throwHttpErrors must be a boolean/,
    );
  });

  it('error messages name the method and URL, credentials and query secrets redacted, ms rounded', async () => {
    const { s } = mockSession(() => {
      throw new ConnectionError('Connection refused');
    });
    const err = (await s
      .get('http://user:pw@a.test/path?token=s3cr3t&page=2')
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('Connection refused (GET http://a.test/path?token=[REDACTED]&page=2)');
    expect(err.message).not.toContain('s3cr3t');
    expect(err.message).not.toContain('pw');
    expect(err.stack?.split('\n')[0]).toContain('(GET http://a.test/path');

    const slow = mockSession(() => new Promise(() => {})).s;
    const timeout = (await slow
      .get('http://a.test/', { timeout: { total: 12.7 } })
      .catch((e: unknown) => e)) as Error;
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect(timeout.message).toBe(
      'The request took longer than its total timeout of 13 ms (GET http://a.test/)',
    );
  });

  it('a request on a closed session is a SessionClosedError that names the request', async () => {
    const { s } = mockSession(() => ({}));
    await s.close();
    const err = (await s.post('http://a.test/x').catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(SessionClosedError);
    expect(err.message).toContain('(POST http://a.test/x)');
  });

  it('send() given a Request instead of a PreparedRequest explains itself', async () => {
    const { s } = mockSession(() => ({}));
    await expect(s.send(new Request({ url: 'http://a.test/' }) as never)).rejects.toThrow(
      /send\(\) takes a PreparedRequest/,
    );
  });

  it('redactUrl masks userinfo and secret query values, and leaves plain URLs alone', () => {
    expect(redactUrl('https://a.test/x')).toBe('https://a.test/x');
    expect(redactUrl('https://u:p@a.test/x?API_KEY=1&q=2')).toBe(
      'https://***:***@a.test/x?API_KEY=[REDACTED]&q=2',
    );
  });
});
