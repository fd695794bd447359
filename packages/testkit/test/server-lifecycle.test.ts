import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/index.js';
import { send } from './helpers.js';

const started: TestServer[] = [];
async function start(options?: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(options);
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

describe('startTestServer', () => {
  it('listens on 127.0.0.1 and a free port', async () => {
    const a = await start();
    const b = await start();
    expect(a.host).toBe('127.0.0.1');
    expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
    expect(a.port).toBeGreaterThan(0);
    expect(a.port).not.toBe(b.port);
    expect((await send(`${b.url}/get`)).status).toBe(200);
  });

  it('counts connections: keep-alive requests share one socket', async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 3; i++) expect((await send(`${server.url}/get`, { agent })).status).toBe(200);
      expect(server.connectionCount).toBe(1);
      expect(server.openConnections).toBe(1);
      await send(`${server.url}/get`, { agent: false });
      expect(server.connectionCount).toBe(2);
    } finally {
      agent.destroy();
    }
  });

  it('close() shuts idle keep-alive sockets at once, and nothing connects afterwards', async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true });
    try {
      await send(`${server.url}/get`, { agent });
      expect(server.openConnections).toBe(1);
      // Without closing keep-alive sockets this would wait out their 5 s timeout, past the test's limit.
      await server.close();
      expect(server.openConnections).toBe(0);
      await expect(send(`${server.url}/get`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      agent.destroy();
    }
  }, 3000);

  it('close() cuts a request in progress and waits for its handler to stop', async () => {
    const server = await start();
    const failed = new Promise<unknown>((resolve) => {
      const req = request(`${server.url}/delay/10`);
      req.on('error', resolve);
      req.end();
    });
    await vi.waitFor(() => expect(server.activeRequests).toBe(1));
    await server.close();
    expect(server.activeRequests).toBe(0);
    expect(server.openConnections).toBe(0);
    await expect(failed).resolves.toMatchObject({ code: 'ECONNRESET' });
  }, 5000);

  it('close() can be called twice', async () => {
    const server = await start();
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });

  it('supports await using', async () => {
    let url: string;
    {
      await using server = await startTestServer();
      url = server.url;
      expect((await send(`${url}/get`)).status).toBe(200);
    }
    // A fresh socket: the global agent may still hold the kept-alive one the server just cut.
    await expect(send(`${url}/get`, { agent: false })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('answers a request line it cannot parse with 400 and stays up', async () => {
    const server = await start();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () =>
        socket.end('GET http://[bad/ HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect((await send(`${server.url}/get`)).status).toBe(200);
  });

  it('serves HTTPS with the given key and certificate', async () => {
    const fixtures = new URL('./fixtures/', import.meta.url);
    const cert = readFileSync(new URL('cert.pem', fixtures));
    const server = await start({ https: { key: readFileSync(new URL('key.pem', fixtures)), cert } });
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    const res = await send(`${server.url}/get?tls=1`, { ca: cert } as Parameters<typeof send>[1]);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ url: `${server.url}/get?tls=1`, args: { tls: '1' } });
    expect(server.connectionCount).toBe(1);
    // The certificate is self-signed: a client that verifies without it as CA must refuse.
    await expect(send(`${server.url}/get`)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });
});
