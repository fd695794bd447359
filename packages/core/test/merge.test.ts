import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Request } from '../src/request.js';
import { mockSession } from './support/session.js';

/**
 * Every cell of the merge table: request > session > environment > default,
 * for each setting, and `null` in a request removing the session's value.
 */
const echo = () => ({ json: {} });

beforeEach(() => {
  for (const k of [
    'HTTP_PROXY',
    'http_proxy',
    'HTTPS_PROXY',
    'https_proxy',
    'ALL_PROXY',
    'all_proxy',
    'NO_PROXY',
    'no_proxy',
    'REQUESTS_CA_BUNDLE',
    'CURL_CA_BUNDLE',
    'SSL_CERT_FILE',
    'NETRC',
    'REQUEST_METHOD',
  ]) {
    vi.stubEnv(k, undefined);
  }
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('headers', () => {
  it('default headers are sent', async () => {
    const { s, mock } = mockSession(echo);
    await s.get('http://a.test/');
    const h = mock.calls[0]?.request.headers;
    expect(h?.get('user-agent')).toMatch(/^sess\/\d+\.\d+\.\d+/);
    expect(h?.get('accept')).toBe('*/*');
    expect(h?.get('accept-encoding')).toContain('gzip');
    expect(h?.get('connection')).toBe('keep-alive');
  });
  it('session headers are sent; request headers win; request null removes', async () => {
    const { s, mock } = mockSession(echo);
    s.headers.update({ 'X-Session': 's', 'X-Both': 'session' });
    await s.get('http://a.test/', { headers: { 'x-both': 'request', 'X-Req': 'r', 'User-Agent': null } });
    const h = mock.calls[0]?.request.headers;
    expect(h?.get('x-session')).toBe('s');
    expect(h?.get('x-both')).toBe('request');
    expect(h?.get('x-req')).toBe('r');
    expect(h?.has('user-agent')).toBe(false);
    // the session itself is untouched
    expect(s.headers.get('x-both')).toBe('session');
    expect(s.headers.has('user-agent')).toBe(true);
  });
  it('request headers as pairs or a Headers object', async () => {
    const { s, mock } = mockSession(echo);
    await s.get('http://a.test/', { headers: [['X-A', '1']] });
    expect(mock.calls[0]?.request.headers.get('x-a')).toBe('1');
  });
});

describe('params', () => {
  it('session params, request params, null removes, arrays repeat', async () => {
    const { s, mock } = mockSession(echo);
    s.params = { session_param: 'persistent', drop: 'x', both: 's' };
    await s.get('http://a.test/p?q=1', { params: { both: 'r', drop: null, many: [1, 2] } });
    expect(mock.calls[0]?.request.url).toBe(
      'http://a.test/p?q=1&session_param=persistent&both=r&many=1&many=2',
    );
  });
  it('session params alone', async () => {
    const { s, mock } = mockSession(echo);
    s.params.k = 'v w';
    await s.get('http://a.test/');
    expect(mock.calls[0]?.request.url).toBe('http://a.test/?k=v+w');
  });
  it('URLSearchParams are appended after the session params', async () => {
    const { s, mock } = mockSession(echo);
    s.params.a = '1';
    await s.get('http://a.test/', { params: new URLSearchParams([['a', '2']]) });
    expect(mock.calls[0]?.request.url).toBe('http://a.test/?a=1&a=2');
  });
});

describe('auth', () => {
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  function netrc(text: string) {
    const dir = mkdtempSync(join(tmpdir(), 'sess-netrc-'));
    writeFileSync(join(dir, 'netrc'), text);
    vi.stubEnv('NETRC', join(dir, 'netrc'));
  }
  it('request auth beats session auth', async () => {
    const { s, mock } = mockSession(echo);
    s.auth = ['s', 'spw'];
    await s.get('http://a.test/', { auth: ['r', 'rpw'] });
    expect(mock.calls[0]?.request.headers.get('authorization')).toBe(basic('r', 'rpw'));
  });
  it('session auth beats netrc', async () => {
    netrc('machine a.test login n password npw\n');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    s.auth = ['s', 'spw'];
    await s.get('http://a.test/');
    expect(mock.calls[0]?.request.headers.get('authorization')).toBe(basic('s', 'spw'));
  });
  it('netrc applies when nothing else does and trustEnv', async () => {
    netrc('machine a.test login n password npw\n');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    await s.get('http://a.test/');
    expect(mock.calls[0]?.request.headers.get('authorization')).toBe(basic('n', 'npw'));
  });
  it('netrc is ignored when trustEnv is false', async () => {
    netrc('machine a.test login n password npw\n');
    const { s, mock } = mockSession(echo);
    await s.get('http://a.test/');
    expect(mock.calls[0]?.request.headers.has('authorization')).toBe(false);
  });
  it('request auth null removes the session auth (and netrc)', async () => {
    netrc('machine a.test login n password npw\n');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    s.auth = ['s', 'spw'];
    await s.get('http://a.test/', { auth: null });
    expect(mock.calls[0]?.request.headers.has('authorization')).toBe(false);
  });
  it('default: no auth', async () => {
    const { s, mock } = mockSession(echo);
    await s.get('http://a.test/');
    expect(mock.calls[0]?.request.headers.has('authorization')).toBe(false);
  });
});

describe('proxies', () => {
  it('request > session > env, one layer at a time', async () => {
    vi.stubEnv('HTTP_PROXY', 'http://env-http:1');
    vi.stubEnv('HTTPS_PROXY', 'http://env-https:1');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    s.proxies = { http: 'http://session:1' };
    await s.get('http://a.test/', { proxies: { https: 'http://request:1' } });
    await s.get('https://a.test/', { proxies: { https: 'http://request:1' } });
    await s.get('https://a.test/');
    expect(mock.calls.map((c) => c.options.proxies)).toEqual([
      { http: 'http://session:1' },
      { https: 'http://request:1' },
      { https: 'http://env-https:1' },
    ]);
  });
  it('a session `all` beats an environment HTTP_PROXY; a request `all` beats a session `http`', async () => {
    vi.stubEnv('HTTP_PROXY', 'http://env:1');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    s.proxies = { all: 'http://session-all:1' };
    await s.get('http://a.test/');
    s.proxies = { http: 'http://session-http:1' };
    await s.get('http://a.test/', { proxies: { all: 'http://request-all:1' } });
    expect(mock.calls.map((c) => c.options.proxies.http)).toEqual([
      'http://session-all:1',
      'http://request-all:1',
    ]);
  });
  it('env proxies apply when nothing else is set', async () => {
    vi.stubEnv('http_proxy', 'http://env:1');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    await s.get('http://a.test/');
    expect(mock.calls[0]?.options.proxies.http).toBe('http://env:1');
  });
  it('a request null means "connect directly": neither the session nor the environment refills it', async () => {
    vi.stubEnv('HTTP_PROXY', 'http://env:1');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    s.proxies = { http: 'http://session:1', https: 'http://session:2' };
    await s.get('http://a.test/', { proxies: { http: null } });
    await s.get('https://a.test/', { proxies: { http: null } });
    expect(mock.calls.map((c) => c.options.proxies)).toEqual([{}, { https: 'http://session:2' }]);
  });
  it('NO_PROXY bypasses env proxies but not explicit ones', async () => {
    vi.stubEnv('HTTP_PROXY', 'http://env:1');
    vi.stubEnv('NO_PROXY', 'a.test');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    await s.get('http://a.test/');
    await s.get('http://b.test/');
    await s.get('http://a.test/', { proxies: { http: 'http://explicit:1' } });
    expect(mock.calls[0]?.options.proxies).toEqual({});
    expect(mock.calls[1]?.options.proxies.http).toBe('http://env:1');
    expect(mock.calls[2]?.options.proxies.http).toBe('http://explicit:1');
  });
  it('trustEnv = false ignores env proxies', async () => {
    vi.stubEnv('HTTP_PROXY', 'http://env:1');
    const { s, mock } = mockSession(echo);
    await s.get('http://a.test/');
    expect(mock.calls[0]?.options.proxies).toEqual({});
  });
  it('proxies are re-chosen for each redirect hop (NO_PROXY per host)', async () => {
    vi.stubEnv('HTTP_PROXY', 'http://env:1');
    vi.stubEnv('NO_PROXY', 'internal.test');
    const { s, mock } = mockSession((req) =>
      req.url === 'http://a.test/'
        ? { status: 302, headers: { Location: 'http://internal.test/' } }
        : { json: {} },
    );
    s.trustEnv = true;
    await s.get('http://a.test/');
    expect(mock.calls[0]?.options.proxies.http).toBe('http://env:1');
    expect(mock.calls[1]?.options.proxies).toEqual({});
  });
});

describe('verify', () => {
  it('default true', async () => {
    const { s, mock } = mockSession(echo);
    await s.get('https://a.test/');
    expect(mock.calls[0]?.options.verify).toBe(true);
  });
  it('env CA bundle beats the default', async () => {
    vi.stubEnv('REQUESTS_CA_BUNDLE', '/env/ca.pem');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    await s.get('https://a.test/');
    expect(mock.calls[0]?.options.verify).toBe('/env/ca.pem');
  });
  it('session verify beats the env CA bundle (requests gets this wrong)', async () => {
    vi.stubEnv('REQUESTS_CA_BUNDLE', '/env/ca.pem');
    const { s, mock } = mockSession(echo);
    s.trustEnv = true;
    s.verify = false;
    await s.get('https://a.test/');
    expect(mock.calls[0]?.options.verify).toBe(false);
  });
  it('request verify beats session verify', async () => {
    const { s, mock } = mockSession(echo);
    s.verify = false;
    await s.get('https://a.test/', { verify: '/req/ca.pem' });
    expect(mock.calls[0]?.options.verify).toBe('/req/ca.pem');
  });
  it('trustEnv false ignores the env CA bundle', async () => {
    vi.stubEnv('SSL_CERT_FILE', '/env/ca.pem');
    const { s, mock } = mockSession(echo);
    await s.get('https://a.test/');
    expect(mock.calls[0]?.options.verify).toBe(true);
  });
});

describe('timeout, stream, cert', () => {
  it('timeout: default null, session, request wins, request null removes', async () => {
    const { s, mock } = mockSession(echo);
    await s.get('http://a.test/');
    s.timeout = 5000;
    await s.get('http://a.test/');
    await s.get('http://a.test/', { timeout: { connect: 10 } });
    await s.get('http://a.test/', { timeout: null });
    // Normalised once by the session: adapters always get the object form.
    expect(mock.calls.map((c) => c.options.timeout)).toEqual([
      {},
      { connect: 5000, read: 5000 },
      { connect: 10 },
      {},
    ]);
  });
  it('timeout.total is handed down as one absolute deadline and a signal', async () => {
    const { s, mock } = mockSession(echo);
    const before = performance.now();
    await s.get('http://a.test/', { timeout: { total: 60_000 } });
    const opts = mock.calls[0]?.options;
    expect(opts?.timeout).toEqual({ total: 60_000 });
    expect(opts?.deadline).toBeGreaterThanOrEqual(before + 60_000);
    expect(opts?.deadline).toBeLessThanOrEqual(performance.now() + 60_000);
    expect(opts?.signal).toBeInstanceOf(AbortSignal);
  });
  it('stream: default false, session, request', async () => {
    const { s, mock } = mockSession(echo);
    await s.get('http://a.test/');
    s.stream = true;
    await (await s.get('http://a.test/')).close();
    await s.get('http://a.test/', { stream: false });
    expect(mock.calls.map((c) => c.options.stream)).toEqual([false, true, false]);
  });
  it('cert: default null, session, request, request null removes', async () => {
    const { s, mock } = mockSession(echo);
    await s.get('https://a.test/');
    s.cert = '/s.pem';
    await s.get('https://a.test/');
    await s.get('https://a.test/', { cert: ['/c.pem', '/k.pem'] });
    await s.get('https://a.test/', { cert: null });
    expect(mock.calls.map((c) => c.options.cert)).toEqual([null, '/s.pem', ['/c.pem', '/k.pem'], null]);
  });
});

describe('cookies', () => {
  it('session jar cookies and per-request cookies are both sent; only the jar remembers', async () => {
    const { s, mock, jar } = mockSession((req) =>
      req.url.endsWith('/set') ? { headers: { 'Set-Cookie': 'sid=1; Path=/' } } : { json: {} },
    );
    await s.get('http://a.test/set');
    await s.get('http://a.test/', { cookies: { once: 'x' } });
    await s.get('http://a.test/');
    expect(mock.calls[1]?.request.headers.get('cookie')).toBe('once=x; sid=1');
    expect(mock.calls[2]?.request.headers.get('cookie')).toBe('sid=1');
    expect(jar.getDict()).toEqual({ sid: '1' });
  });
  it('a hand-set Cookie header wins over the jar', async () => {
    const { s, mock, jar } = mockSession(echo);
    jar.setCookiesFromResponse(['sid=1'], 'http://a.test/');
    await s.get('http://a.test/', { headers: { Cookie: 'mine=2' } });
    expect(mock.calls[0]?.request.headers.get('cookie')).toBe('mine=2');
  });
  it('response.cookies holds only what that response set', async () => {
    const { s } = mockSession(() => ({ headers: { 'Set-Cookie': ['a=1', 'b=2'] } }));
    const res = await s.get('http://a.test/');
    expect(res.cookies.getCookieHeader('http://a.test/')).toBe('a=1; b=2');
  });
});

describe('hooks', () => {
  it('session hooks run before request hooks, both on every hop', async () => {
    const seen: string[] = [];
    const { s } = mockSession((req) =>
      req.url === 'http://a.test/' ? { status: 302, headers: { Location: '/b' } } : { json: {} },
    );
    s.hooks.response.push((r) => {
      seen.push(`session ${r.statusCode}`);
    });
    await s.get('http://a.test/', { hooks: { response: (r) => void seen.push(`request ${r.statusCode}`) } });
    expect(seen).toEqual(['session 302', 'request 302', 'session 200', 'request 200']);
  });
  it('a hook that returns a Response replaces it', async () => {
    const { s } = mockSession(echo);
    const other = await mockSession(() => ({ status: 418 })).s.get('http://a.test/');
    const res = await s.get('http://a.test/', { hooks: { response: [() => other] } });
    expect(res.statusCode).toBe(418);
  });
  it('unknown hook stages are a TypeError', async () => {
    const { s } = mockSession(echo);
    await expect(s.get('http://a.test/', { hooks: { respnse: () => {} } as never })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('prepareRequest', () => {
  it('merges session state into a Request without sending', async () => {
    const { s, mock } = mockSession(echo);
    s.headers.set('X-S', '1');
    s.params = { p: '1' };
    s.auth = ['u', 'p'];
    const p = await s.prepareRequest(new Request({ method: 'post', url: 'http://a.test/', json: { a: 1 } }));
    expect(p.method).toBe('POST');
    expect(p.url).toBe('http://a.test/?p=1');
    expect(p.headers.get('x-s')).toBe('1');
    expect(p.headers.get('content-type')).toBe('application/json');
    expect(p.headers.has('authorization')).toBe(true);
    expect(mock.calls).toHaveLength(0);
    const res = await s.send(p);
    expect(res.statusCode).toBe(200);
  });
});
