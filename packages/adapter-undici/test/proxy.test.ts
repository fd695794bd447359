import type { IncomingHttpHeaders } from 'node:http';
import {
  basicAuthHeader,
  ConnectTimeoutError,
  HTTPProxyAuth,
  InvalidURLError,
  ProxyError,
  SSLError,
} from '@sess/core';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAdapter } from '../src/index.js';
import {
  allClosed,
  closedPort,
  httpServer,
  httpsServer,
  prepare,
  rejection,
  send,
  sendOptions,
  silentServer,
  type TestServer,
  text,
  timed,
  tlsFiles,
} from './helpers.js';
import { startProxy, type TestProxy } from './proxy-server.js';

let servers: TestServer[] = [];
let adapter: UndiciAdapter | undefined;

afterEach(async () => {
  await adapter?.close();
  await Promise.all(servers.map((s) => s.close()));
  adapter = undefined;
  servers = [];
});

/** Origins that echo what they received and remember every request's headers. */
async function origins() {
  const seen: IncomingHttpHeaders[] = [];
  const handler = (
    req: { headers: IncomingHttpHeaders; url?: string | undefined },
    res: { end(s: string): void },
  ) => {
    seen.push(req.headers);
    res.end(`origin ${req.url}`);
  };
  const plain = await httpServer(handler);
  const secure = await httpsServer(handler);
  servers.push(plain, secure);
  return { plain, secure, seen };
}

async function proxy(behaviour?: Parameters<typeof startProxy>[0]): Promise<TestProxy> {
  const p = await startProxy(behaviour);
  servers.push(p);
  return p;
}

/** No header, no value anywhere, that carries the proxy credentials. */
function expectNoCredentials(headers: IncomingHttpHeaders, ...secrets: string[]) {
  expect(headers['proxy-authorization']).toBeUndefined();
  const all = JSON.stringify(headers);
  for (const secret of secrets) expect(all).not.toContain(secret);
}

const CREDENTIALS = basicAuthHeader('user', 's3cret');
const B64 = CREDENTIALS.slice('Basic '.length);

describe('through a proxy', () => {
  it('forwards plain http as an absolute-form request; URL credentials go to the proxy only', async () => {
    const { plain, seen } = await origins();
    const p = await proxy({ requireAuth: CREDENTIALS });
    adapter = new UndiciAdapter();
    const proxyUrl = `http://user:s3cret@127.0.0.1:${p.port}`;
    const res = await send(
      adapter,
      await prepare(`${plain.origin}/a?b=1`),
      sendOptions({ proxies: { http: proxyUrl } }),
    );
    expect(text(res.content)).toBe('origin /a?b=1');
    expect(p.log).toHaveLength(1);
    expect(p.log[0]).toMatchObject({ kind: 'forward', target: `${plain.origin}/a?b=1` });
    expect(p.log[0]?.headers['proxy-authorization']).toBe(CREDENTIALS);
    expect(seen).toHaveLength(1);
    expectNoCredentials(seen[0] as IncomingHttpHeaders, 's3cret', B64);
  });

  it('a header given twice reaches the origin twice, through a forwarding proxy and a tunnel', async () => {
    const { plain, secure, seen } = await origins();
    const p = await proxy();
    adapter = new UndiciAdapter();
    const proxyUrl = `http://127.0.0.1:${p.port}`;
    const opts = sendOptions({ proxies: { http: proxyUrl, https: proxyUrl }, verify: tlsFiles.ca });
    for (const origin of [plain.origin, secure.origin]) {
      const req = await prepare(`${origin}/twice`);
      req.headers.append('X-Tag', 'a');
      req.headers.append('X-Tag', 'b');
      expect(text((await send(adapter, req, opts)).content)).toBe('origin /twice');
    }
    expect(p.log.map((l) => l.kind)).toEqual(['forward', 'connect']);
    // Node joins a repeated custom header with ', ': both values arrived, in order.
    expect(seen.map((h) => h['x-tag'])).toEqual(['a, b', 'a, b']);
  });

  it('tunnels https with CONNECT; URL credentials go on the CONNECT only', async () => {
    const { secure, seen } = await origins();
    const p = await proxy({ requireAuth: CREDENTIALS });
    adapter = new UndiciAdapter();
    const proxyUrl = `http://user:s3cret@127.0.0.1:${p.port}`;
    const opts = sendOptions({ proxies: { https: proxyUrl }, verify: tlsFiles.ca });
    const first = await send(adapter, await prepare(`${secure.origin}/x`), opts);
    const second = await send(adapter, await prepare(`${secure.origin}/y`), opts);
    expect(text(first.content)).toBe('origin /x');
    expect(text(second.content)).toBe('origin /y');
    // One tunnel, kept alive for both requests.
    expect(p.log).toEqual([expect.objectContaining({ kind: 'connect', target: `127.0.0.1:${secure.port}` })]);
    expect(p.log[0]?.headers['proxy-authorization']).toBe(CREDENTIALS);
    expect(seen).toHaveLength(2);
    for (const h of seen) expectNoCredentials(h, 's3cret', B64);
    expect(secure.sockets).toHaveLength(1);
  });

  it('keeps one tunnel for requests with different connect timeouts', async () => {
    const { secure } = await origins();
    const p = await proxy();
    adapter = new UndiciAdapter();
    const proxies = { https: `http://127.0.0.1:${p.port}` };
    for (let i = 0; i < 20; i++) {
      const timeout = { connect: 10_000 + i, total: 20_000 - i };
      const res = await send(
        adapter,
        await prepare(`${secure.origin}/${i}`),
        sendOptions({ proxies, timeout, verify: tlsFiles.ca }),
      );
      expect(text(res.content)).toBe(`origin /${i}`);
    }
    expect(p.log).toEqual([expect.objectContaining({ kind: 'connect' })]);
    expect(p.connectionCount).toBe(1);
    expect(secure.sockets).toHaveLength(1);
  });

  it('sends an HTTPProxyAuth header to the proxy, never through the tunnel', async () => {
    const { secure, seen } = await origins();
    const p = await proxy({ requireAuth: CREDENTIALS });
    adapter = new UndiciAdapter();
    const req = await prepare(`${secure.origin}/`);
    new HTTPProxyAuth('user', 's3cret').apply(req);
    const res = await send(
      adapter,
      req,
      sendOptions({ proxies: { https: `http://127.0.0.1:${p.port}` }, verify: tlsFiles.ca }),
    );
    expect(res.statusCode).toBe(200);
    expect(p.log[0]).toMatchObject({ kind: 'connect' });
    expect(p.log[0]?.headers['proxy-authorization']).toBe(CREDENTIALS);
    expectNoCredentials(seen[0] as IncomingHttpHeaders, B64);
    // The request object itself is left as the caller built it.
    expect(req.headers.get('proxy-authorization')).toBe(CREDENTIALS);
  });

  it('sends an HTTPProxyAuth header on a forwarded http request; it wins over URL credentials', async () => {
    const { plain, seen } = await origins();
    const p = await proxy({ requireAuth: CREDENTIALS });
    adapter = new UndiciAdapter();
    const req = await prepare(`${plain.origin}/`);
    new HTTPProxyAuth('user', 's3cret').apply(req);
    const res = await send(
      adapter,
      req,
      sendOptions({ proxies: { http: `http://other:wrong@127.0.0.1:${p.port}` } }),
    );
    expect(res.statusCode).toBe(200);
    expect(p.log[0]?.headers['proxy-authorization']).toBe(CREDENTIALS);
    expectNoCredentials(seen[0] as IncomingHttpHeaders, B64, 'wrong');
  });

  it('does not send a Proxy-Authorization header when no proxy is used', async () => {
    const { plain, seen } = await origins();
    adapter = new UndiciAdapter();
    const req = await prepare(`${plain.origin}/`);
    new HTTPProxyAuth('user', 's3cret').apply(req);
    await send(adapter, req, sendOptions());
    expectNoCredentials(seen[0] as IncomingHttpHeaders, B64);
  });

  it('speaks TLS to an https:// proxy, verified like the origin', async () => {
    const { plain, secure, seen } = await origins();
    const p = await proxy({ tls: true });
    adapter = new UndiciAdapter();
    const proxies = { all: `https://127.0.0.1:${p.port}` };
    for (const url of [`${plain.origin}/p`, `${secure.origin}/s`]) {
      const res = await send(adapter, await prepare(url), sendOptions({ proxies, verify: tlsFiles.ca }));
      expect(res.statusCode).toBe(200);
    }
    expect(p.log.map((l) => l.kind)).toEqual(['connect', 'connect']);
    expect(seen).toHaveLength(2);
    // Node's CA store does not know the test CA: the proxy's certificate is refused.
    const err = await rejection(send(adapter, await prepare(`${plain.origin}/`), sendOptions({ proxies })));
    expect(err).toBeInstanceOf(SSLError);
  });

  it('takes a proxy given without a scheme as http://', async () => {
    const { plain } = await origins();
    const p = await proxy();
    adapter = new UndiciAdapter();
    const res = await send(
      adapter,
      await prepare(`${plain.origin}/`),
      sendOptions({ proxies: { http: `127.0.0.1:${p.port}` } }),
    );
    expect(res.statusCode).toBe(200);
    expect(p.log).toHaveLength(1);
  });

  it('an unusable proxy URL: InvalidURLError that does not repeat its credentials', async () => {
    const { plain, seen } = await origins();
    adapter = new UndiciAdapter();
    const err = await rejection(
      send(
        adapter,
        await prepare(`${plain.origin}/`),
        sendOptions({ proxies: { http: 'ftp://user:s3cret@127.0.0.1:1' } }),
      ),
    );
    expect(err).toBeInstanceOf(InvalidURLError);
    expect(err.message).not.toContain('s3cret');
    expect(seen).toHaveLength(0);
  });

  it('uses the proxy only for the schemes it is selected for', async () => {
    const { plain, seen } = await origins();
    const p = await proxy();
    adapter = new UndiciAdapter();
    const res = await send(
      adapter,
      await prepare(`${plain.origin}/direct`),
      sendOptions({ proxies: { https: `http://127.0.0.1:${p.port}` } }),
    );
    expect(text(res.content)).toBe('origin /direct');
    expect(p.log).toHaveLength(0);
    expect(seen).toHaveLength(1);
  });
});

describe('proxy failures', () => {
  it('a proxy that refuses connections: ProxyError', async () => {
    const { plain, secure } = await origins();
    const port = await closedPort();
    adapter = new UndiciAdapter();
    const proxies = { all: `http://127.0.0.1:${port}` };
    for (const url of [`${plain.origin}/`, `${secure.origin}/`]) {
      const err = await rejection(
        send(adapter, await prepare(url), sendOptions({ proxies, verify: tlsFiles.ca })),
      );
      expect(err).toBeInstanceOf(ProxyError);
      expect(err.cause).toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('CONNECT answered with 407 or 403: ProxyError', async () => {
    const { secure, seen } = await origins();
    const needsAuth = await proxy({ requireAuth: CREDENTIALS });
    const forbids = await proxy({ connectStatus: 403 });
    adapter = new UndiciAdapter();
    for (const p of [needsAuth, forbids]) {
      const err = await rejection(
        send(
          adapter,
          await prepare(`${secure.origin}/`),
          sendOptions({ proxies: { https: `http://127.0.0.1:${p.port}` }, verify: tlsFiles.ca }),
        ),
      );
      expect(err).toBeInstanceOf(ProxyError);
    }
    expect(seen).toHaveLength(0);
  });

  it('a forwarding proxy that answers 407: ProxyError', async () => {
    const { plain, seen } = await origins();
    const p = await proxy({ requireAuth: CREDENTIALS });
    adapter = new UndiciAdapter();
    const err = await rejection(
      send(
        adapter,
        await prepare(`${plain.origin}/`),
        sendOptions({ proxies: { http: `http://127.0.0.1:${p.port}` } }),
      ),
    );
    expect(err).toBeInstanceOf(ProxyError);
    expect(seen).toHaveLength(0);
  });

  it('a CONNECT the proxy never answers: ConnectTimeoutError within twice the budget', async () => {
    const { secure } = await origins();
    const p = await proxy({ silentConnect: true });
    adapter = new UndiciAdapter();
    const budget = 300;
    const { ms, error } = await timed(
      send(
        adapter,
        await prepare(`${secure.origin}/`),
        sendOptions({ proxies: { https: `http://127.0.0.1:${p.port}` }, timeout: { connect: budget } }),
      ),
    );
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(ms).toBeLessThan(2 * budget);
  });

  it('a TLS handshake through the tunnel that never completes: ConnectTimeoutError, and the tunnel is closed', async () => {
    const hole = await silentServer();
    servers.push(hole);
    const p = await proxy();
    adapter = new UndiciAdapter();
    const budget = 300;
    const { ms, error } = await timed(
      send(
        adapter,
        await prepare(`https://127.0.0.1:${hole.port}/`),
        sendOptions({ proxies: { https: `http://127.0.0.1:${p.port}` }, timeout: { connect: budget } }),
      ),
    );
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(ms).toBeLessThan(2 * budget);
    expect(p.log).toEqual([expect.objectContaining({ kind: 'connect' })]);
    // The tunnel is closed with the attempt (the adapter is still open): the proxy closes its
    // end towards the origin, and the origin sees its connection close.
    expect(hole.sockets).toHaveLength(1);
    expect(await allClosed(hole.sockets, 1000)).toBe(true);
  });
});
