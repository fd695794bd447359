import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConnectionError } from '@sess/core';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAdapter } from '../src/index.js';
import {
  allClosed,
  httpServer,
  httpsServer,
  nextRequest,
  prepare,
  rejection,
  send,
  sendOptions,
  settle,
  silentServer,
  type TestServer,
  text,
  tlsFiles,
  within,
} from './helpers.js';
import { startProxy } from './proxy-server.js';

let servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve<T extends TestServer>(p: Promise<T>): Promise<T> {
  const s = await p;
  servers.push(s);
  return s;
}

function count(kind: string): number {
  return process.getActiveResourcesInfo().filter((r) => r === kind).length;
}

/** Sockets of the test's own servers (and the proxy's tunnels) still open: not the adapter's. */
function testSocketsOpen(): number {
  const theirs = servers.flatMap((s) => [...s.sockets, ...('tunnels' in s ? (s.tunnels as Socket[]) : [])]);
  return theirs.filter((s) => !s.destroyed).length;
}

describe('close()', () => {
  it('leaves no socket and no timer of the adapter behind', async () => {
    const plain = await serve(httpServer((_req, res) => res.end('plain')));
    const secure = await serve(httpsServer((_req, res) => res.end('secure')));
    const proxy = await serve(startProxy());
    const sockets = count('TCPSocketWrap');
    const timers = count('Timeout');

    const adapter = new UndiciAdapter();
    const timeout = { connect: 5000, read: 5000, total: 10_000 };
    await send(adapter, await prepare(`${plain.origin}/`), sendOptions({ timeout }));
    await send(adapter, await prepare(`${secure.origin}/`), sendOptions({ timeout, verify: tlsFiles.ca }));
    await send(adapter, await prepare(`${secure.origin}/`), sendOptions({ verify: false }));
    await send(
      adapter,
      await prepare(`${secure.origin}/`),
      sendOptions({ timeout, verify: tlsFiles.ca, proxies: { https: proxy.origin } }),
    );
    await send(adapter, await prepare(`${plain.origin}/`), sendOptions({ proxies: { http: proxy.origin } }));
    // Pooled connections are open now.
    expect(count('TCPSocketWrap')).toBeGreaterThan(sockets);

    await adapter.close();
    // What is still open is only the servers' ends, closing as they read our FINs.
    expect(count('TCPSocketWrap') - testSocketsOpen()).toBeLessThanOrEqual(sockets);
    expect(count('Timeout')).toBeLessThanOrEqual(timers);
    // undici unrefs idle sockets, which hides them from getActiveResourcesInfo(); the servers'
    // ends show whether ours were closed: each closes once it reads our FIN.
    expect(
      await allClosed(
        servers.flatMap((s) => s.sockets),
        2000,
      ),
    ).toBe(true);
  });

  it('lets a child process that made requests exit on its own', async () => {
    const plain = await serve(
      httpServer((req, res) => res.end(req.url === '/streamed' ? 'y'.repeat(300_000) : 'plain')),
    );
    const secure = await serve(httpsServer((_req, res) => res.end('secure')));
    const script = fileURLToPath(new URL('./child/request-and-close.ts', import.meta.url));
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      ['--conditions=@sess/source', '--import', 'tsx', script, plain.origin, secure.origin, tlsFiles.ca],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // Killed only if it hangs; then the exit code below is null and the test fails.
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(guard);
    const ms = performance.now() - t0;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ plain: 'plain', secure: 'secure', streamed: 300_000 });
    expect(ms).toBeLessThan(10_000);
  });

  it('makes later sends fail with ConnectionError', async () => {
    const plain = await serve(httpServer((_req, res) => res.end('x')));
    const adapter = new UndiciAdapter();
    await adapter.close();
    await adapter.close();
    const err = await rejection(send(adapter, await prepare(`${plain.origin}/`), sendOptions()));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(plain.sockets).toHaveLength(0);
  });

  it('does not cut off a response still being streamed; its connection closes when it is read', async () => {
    let release: (() => void) | undefined;
    const plain = await serve(
      httpServer((_req, res: ServerResponse) => {
        res.writeHead(200, { 'Content-Length': '10' });
        res.write('hello');
        release = () => res.end('world');
      }),
    );
    const adapter = new UndiciAdapter();
    const res = await send(adapter, await prepare(`${plain.origin}/`), sendOptions({ stream: true }));
    await adapter.close();
    release?.();
    expect(text(await res.read())).toBe('helloworld');
    const socket = plain.sockets[0] as Socket;
    if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
    expect(socket.destroyed).toBe(true);
  });

  it('does not hang on a request aborted while its connection never completes', async () => {
    const hole = await serve(silentServer());
    const adapter = new UndiciAdapter();
    const controller = new AbortController();
    const sending = send(
      adapter,
      await prepare(`https://127.0.0.1:${hole.port}/`),
      sendOptions({ signal: controller.signal }),
    );
    await new Promise<void>((resolve) => hole.server.once('connection', () => resolve()));
    controller.abort();
    await rejection(sending);
    await adapter.close();
    const socket = hole.sockets[0] as Socket;
    if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
    expect(socket.destroyed).toBe(true);
  });

  it('fails a request still waiting for its response headers, and closes its connection', async () => {
    const hole = await serve(silentServer());
    const sockets = count('TCPSocketWrap');
    const adapter = new UndiciAdapter();
    const written = new Promise<void>((resolve) =>
      hole.server.once('connection', (socket: Socket) => socket.once('data', () => resolve())),
    );
    // No timeout, and a server that accepts and never answers: only close() can end this.
    const sending = settle(send(adapter, await prepare(`${hole.origin}/`), sendOptions()));
    await written;
    await adapter.close();
    const outcome = await within(sending, 2000);
    expect(outcome).toMatchObject({ ok: false });
    const error = (outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toBe('The adapter was closed');
    expect((error as ConnectionError).cause).toBeUndefined();
    expect((error as ConnectionError).request).toBeDefined();
    // Our socket is closed (the server's end follows on our FIN), and nothing of the adapter is left.
    expect(await allClosed(hole.sockets, 2000)).toBe(true);
    expect(count('TCPSocketWrap')).toBeLessThanOrEqual(sockets);
  });

  it('fails a request still connecting (a TLS handshake that never completes)', async () => {
    const hole = await serve(silentServer());
    const sockets = count('TCPSocketWrap');
    const adapter = new UndiciAdapter();
    const accepted = new Promise<void>((resolve) => hole.server.once('connection', () => resolve()));
    const sending = settle(send(adapter, await prepare(`https://127.0.0.1:${hole.port}/`), sendOptions()));
    await accepted;
    await adapter.close();
    const outcome = await within(sending, 2000);
    expect(outcome).toMatchObject({ ok: false });
    expect((outcome as { error: unknown }).error).toBeInstanceOf(ConnectionError);
    expect(await allClosed(hole.sockets, 2000)).toBe(true);
    expect(count('TCPSocketWrap')).toBeLessThanOrEqual(sockets);
  });

  it('fails the waiting request but lets a response being streamed finish', async () => {
    let release: (() => void) | undefined;
    const plain = await serve(
      httpServer((req, res: ServerResponse) => {
        if (req.url === '/silent') return;
        res.writeHead(200, { 'Content-Length': '10' });
        res.write('hello');
        release = () => res.end('world');
      }),
    );
    const adapter = new UndiciAdapter();
    const streamed = await send(
      adapter,
      await prepare(`${plain.origin}/streamed`),
      sendOptions({ stream: true }),
    );
    const arrived = nextRequest(plain.server);
    const waiting = settle(send(adapter, await prepare(`${plain.origin}/silent`), sendOptions()));
    await arrived;
    await adapter.close();
    const outcome = await within(waiting, 2000);
    expect(outcome).toMatchObject({ ok: false });
    expect((outcome as { error: unknown }).error).toBeInstanceOf(ConnectionError);
    release?.();
    expect(text(await streamed.read())).toBe('helloworld');
    expect(await allClosed(plain.sockets, 2000)).toBe(true);
  });

  it('never closes a dispatcher it was given', async () => {
    const plain = await serve(httpServer((_req, res) => res.end('mine')));
    const agent = new Agent();
    let connects = 0;
    agent.on('connect', () => {
      connects += 1;
    });
    const adapter = new UndiciAdapter({ dispatcher: agent });
    const res = await send(adapter, await prepare(`${plain.origin}/`), sendOptions());
    expect(text(res.content)).toBe('mine');
    expect(connects).toBe(1);
    await adapter.close();
    expect(agent.closed).toBe(false);
    const again = await agent.request({ origin: plain.origin, path: '/', method: 'GET' });
    expect(await again.body.text()).toBe('mine');
    await agent.close();
  });
});
