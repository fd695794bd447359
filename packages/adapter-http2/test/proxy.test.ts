import { ConnectTimeoutError, ProxyError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { startTestProxy } from '../../testkit/src/proxy.js';
import { respond } from './support/h2-server.js';
import { harness } from './support/harness.js';
import { prepare, rejection, sendOptions, text, timed } from './support/send.js';

const h = harness();
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('through an HTTP CONNECT proxy', () => {
  it('tunnels h2; the credentials reach the proxy only; a burst shares one tunnel', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const server = await h.serve((stream, headers) => {
      seen.push({ ...headers });
      respond(stream, 'via proxy');
    });
    const proxy = h.track(await startTestProxy({ requireAuth: basic('user', 'pa ss') }));
    const adapter = h.adapter();
    const proxies = { https: `http://user:pa%20ss@127.0.0.1:${proxy.port}` };
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await adapter.send(await prepare(`${server.origin}/`), sendOptions({ proxies }));
        return [res.httpVersion, text(await res.read())];
      }),
    );
    expect(results).toEqual(Array(20).fill(['2', 'via proxy']));
    const connects = proxy.log.filter((e) => e.kind === 'connect');
    expect(connects).toHaveLength(1);
    expect(connects[0]?.target).toBe(`127.0.0.1:${server.port}`);
    expect(connects[0]?.headers['proxy-authorization']).toBe(basic('user', 'pa ss'));
    expect(server.connections).toBe(1);
    for (const headers of seen) {
      expect(headers).not.toHaveProperty('proxy-authorization');
      expect(JSON.stringify(headers)).not.toContain('pa ss');
    }
  });

  it('a Proxy-Authorization header on the request goes to the CONNECT, not to the origin', async () => {
    let seen: Record<string, unknown> = {};
    const server = await h.serve((stream, headers) => {
      seen = { ...headers };
      respond(stream, 'ok');
    });
    const proxy = h.track(await startTestProxy({ requireAuth: basic('a', 'b') }));
    const res = await h
      .adapter()
      .send(
        await prepare(`${server.origin}/`, { headers: { 'Proxy-Authorization': basic('a', 'b') } }),
        sendOptions({ proxies: { all: `http://127.0.0.1:${proxy.port}` } }),
      );
    expect(text(await res.read())).toBe('ok');
    expect(seen).not.toHaveProperty('proxy-authorization');
  });

  it('ProxyError when the proxy refuses the CONNECT (407, 403)', async () => {
    const server = await h.serve((stream) => respond(stream, 'ok'));
    const needsAuth = h.track(await startTestProxy({ requireAuth: basic('user', 'right') }));
    const adapter = h.adapter();
    const wrong = await rejection(
      adapter.send(
        await prepare(`${server.origin}/`),
        sendOptions({ proxies: { https: `http://user:wrong@127.0.0.1:${needsAuth.port}` } }),
      ),
    );
    expect(wrong).toBeInstanceOf(ProxyError);
    expect(wrong.message).toMatch(/407/);
    const refusing = h.track(await startTestProxy({ connectStatus: 403 }));
    const refused = await rejection(
      adapter.send(
        await prepare(`${server.origin}/`),
        sendOptions({ proxies: { https: `http://127.0.0.1:${refusing.port}` } }),
      ),
    );
    expect(refused).toBeInstanceOf(ProxyError);
    expect(server.connections).toBe(0);
  });

  it('ProxyError when the proxy cannot be reached', async () => {
    const proxy = await startTestProxy();
    await proxy.close();
    const err = await rejection(
      h.adapter().send(await prepare('https://127.0.0.1:9/'), sendOptions({ proxies: { https: proxy.url } })),
    );
    expect(err).toBeInstanceOf(ProxyError);
  });

  it('ConnectTimeoutError when the proxy never answers the CONNECT', async () => {
    const server = await h.serve((stream) => respond(stream, 'ok'));
    const proxy = h.track(await startTestProxy({ silentConnect: true }));
    const { error, ms } = await timed(
      h
        .adapter()
        .send(
          await prepare(`${server.origin}/`),
          sendOptions({ proxies: { https: proxy.url }, timeout: { connect: 200 } }),
        ),
    );
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(ms).toBeLessThan(400);
  });
});
