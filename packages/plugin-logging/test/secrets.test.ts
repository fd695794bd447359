import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BearerAuth, HTTPDigestAuth, type Plugin } from '@sess/core';
import { har, logging } from '@sess/plugin-logging';
import { retry } from '@sess/plugin-retry';
import { startTestProxy, startTestServer, type TestProxy, type TestServer } from '@sess/testkit';
import validator from 'har-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSession, memoryLogger } from './helpers.js';

const BASIC_USER = 'alice';
const BASIC_PASS = 'basic-pass-9f3a';
const BEARER = 'bearer-tok-7c1d';
const PROXY_USER = 'puser';
const PROXY_PASS = 'proxy-pass-5e2b';
const COOKIE = 'cookie-val-8a4e';
const QUERY_TOKEN = 'query-tok-2b6f';
// The test server takes the digest password in its URL (httpbin's API), so that string is not
// scanned for; the Authorization headers digest produces are (see `sent` below).
const DIGEST_PASS = 'digest-pw';
const b64 = (s: string) => Buffer.from(s).toString('base64');

let origin: TestServer;
let proxy: TestProxy;
beforeAll(async () => {
  origin = await startTestServer();
  proxy = await startTestProxy({ requireAuth: `Basic ${b64(`${PROXY_USER}:${PROXY_PASS}`)}` });
});
afterAll(async () => {
  await Promise.all([origin.close(), proxy.close()]);
});

/** Innermost spy: every credential-bearing header value that went on the wire. */
function wireSpy(sent: Set<string>): Plugin {
  return {
    name: 'wire-spy',
    send(request, options, next) {
      for (const name of ['authorization', 'proxy-authorization', 'cookie']) {
        const v = request.headers.get(name);
        if (v) sent.add(v);
      }
      return next(request, options);
    },
  };
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('no secret reaches any output', () => {
  it('basic, digest, bearer, proxy credentials, Cookie, Set-Cookie and ?token= are redacted everywhere', async () => {
    const logger = memoryLogger();
    const lines: string[] = [];
    const sent = new Set<string>();
    const redact = { redactQuery: ['sid'] };
    const rec = har(redact);
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503] }));
    s.use(logging({ ...redact, logger, level: 'debug' }));
    s.use(logging({ ...redact, level: 'debug', destination: { write: (l: string) => lines.push(l) } }));
    s.use(rec);
    s.use(wireSpy(sent));

    const basic = await s.get(`${origin.url}/get?token=${QUERY_TOKEN}&plain=1`, {
      auth: [BASIC_USER, BASIC_PASS],
    });
    expect(basic.json<{ headers: Record<string, string> }>().headers.Authorization).toBe(
      `Basic ${b64(`${BASIC_USER}:${BASIC_PASS}`)}`,
    );
    const bearer = await s.get(`${origin.url}/bearer`, { auth: new BearerAuth(BEARER) });
    expect(bearer.json()).toEqual({ authenticated: true, token: BEARER });
    const digest = await s.get(`${origin.url}/digest-auth/auth/dave/${DIGEST_PASS}`, {
      auth: new HTTPDigestAuth('dave', DIGEST_PASS),
    });
    expect(digest.statusCode).toBe(200);
    const cookies = await s.get(`${origin.url}/cookies/set?sid=${COOKIE}`);
    expect(cookies.json()).toEqual({ cookies: { sid: COOKIE } });
    const viaProxy = await s.get(`${origin.url}/headers`, {
      proxies: { http: `http://${PROXY_USER}:${PROXY_PASS}@127.0.0.1:${proxy.port}` },
    });
    expect(viaProxy.statusCode).toBe(200);
    expect(proxy.log.length).toBeGreaterThan(0);
    const port = await closedPort();
    await expect(
      s.get(`http://${BASIC_USER}:${BASIC_PASS}@127.0.0.1:${port}/x?token=${QUERY_TOKEN}`, {
        extensions: { retry: false },
      }),
    ).rejects.toThrow();

    const harText = JSON.stringify(rec.toJSON());
    await validator.har(rec.toJSON());
    const output = [logger.dump(), lines.join(''), harText].join('\n');
    const secrets = [
      BASIC_PASS,
      b64(`${BASIC_USER}:${BASIC_PASS}`),
      BEARER,
      PROXY_PASS,
      b64(`${PROXY_USER}:${PROXY_PASS}`),
      COOKIE,
      QUERY_TOKEN,
      ...sent,
    ];
    // Digest's Authorization header went out (and was collected) on the second try.
    expect([...sent].some((v) => v.startsWith('Digest '))).toBe(true);
    for (const secret of secrets) expect(output, `secret ${secret} leaked`).not.toContain(secret);
    // And the output is there to be scanned: headers, curl lines and HAR bodies all present.
    expect(logger.lines.length).toBeGreaterThanOrEqual(8);
    expect(logger.lines.every((l) => typeof l.record.curl === 'string')).toBe(true);
    expect(lines.length).toBe(logger.lines.length);
    expect(output).toContain('[REDACTED]');
    expect(harText).toContain('authenticated');
  });
});
