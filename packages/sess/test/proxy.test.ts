import { startTestProxy, startTestServer, type TestProxy, type TestServer } from '@sess/testkit';
import { Session } from 'sess';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** Proxy precedence end to end: a real proxy and a real origin on loopback. */
let origin: TestServer;
let proxy: TestProxy;
let other: TestProxy;
beforeAll(async () => {
  origin = await startTestServer();
  proxy = await startTestProxy();
  other = await startTestProxy();
});
afterAll(async () => {
  await Promise.all([origin.close(), proxy.close(), other.close()]);
});
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
  ]) {
    vi.stubEnv(k, undefined);
  }
  proxy.log.length = 0;
  other.log.length = 0;
});
afterEach(() => {
  vi.unstubAllEnvs();
});

type Echo = { headers: Record<string, string> };

describe('proxies through sess', () => {
  it('HTTP_PROXY from the environment carries the request', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    await using s = new Session();
    const res = await s.get(`${origin.url}/get`);
    expect(res.statusCode).toBe(200);
    expect(proxy.log.map((l) => l.target)).toEqual([`${origin.url}/get`]);
  });

  it('NO_PROXY bypasses it', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    vi.stubEnv('NO_PROXY', '127.0.0.1');
    await using s = new Session();
    expect((await s.get(`${origin.url}/get`)).statusCode).toBe(200);
    expect(proxy.log).toHaveLength(0);
  });

  it('trustEnv = false ignores it', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    await using s = new Session();
    s.trustEnv = false;
    await s.get(`${origin.url}/get`);
    expect(proxy.log).toHaveLength(0);
  });

  it('session proxies beat the environment, request proxies beat the session', async () => {
    vi.stubEnv('HTTP_PROXY', 'http://127.0.0.1:9/');
    await using s = new Session();
    s.proxies = { http: proxy.url };
    await s.get(`${origin.url}/get`);
    await s.get(`${origin.url}/get`, { proxies: { http: other.url } });
    expect(proxy.log).toHaveLength(1);
    expect(other.log).toHaveLength(1);
  });

  it('credentials in the proxy URL go to the proxy, never to the origin', async () => {
    const withCreds = proxy.url.replace('http://', 'http://puser:ppass@');
    await using s = new Session();
    const res = await s.get(`${origin.url}/headers`, { proxies: { http: withCreds } });
    expect(proxy.log[0]?.headers['proxy-authorization']).toBe(
      `Basic ${Buffer.from('puser:ppass').toString('base64')}`,
    );
    const seen = JSON.stringify(res.json<Echo>().headers);
    expect(seen).not.toContain('Proxy-Authorization');
    expect(seen).not.toContain(Buffer.from('puser:ppass').toString('base64'));
  });
});
