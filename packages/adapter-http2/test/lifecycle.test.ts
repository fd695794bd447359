import { spawn } from 'node:child_process';
import type { ServerHttp2Stream } from 'node:http2';
import { fileURLToPath } from 'node:url';
import { ConnectionError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { tlsFiles } from './support/fixtures.js';
import { respond } from './support/h2-server.js';
import { harness } from './support/harness.js';
import { prepare, sendOptions, settle, text, timed, until } from './support/send.js';

const h = harness();

function handler(stream: ServerHttp2Stream, headers: Record<string, unknown>) {
  if (headers[':path'] === '/big') {
    stream.respond({ ':status': 200 });
    stream.end(Buffer.alloc(300_000, 1));
  } else respond(stream, String(headers[':path']).slice(1));
}

interface Handles {
  TCPSocketWrap: number;
  TLSWrap: number;
  Timeout: number;
}

/** Counts of the handle kinds that would keep a process alive. */
function resources(): Handles {
  const all = process.getActiveResourcesInfo();
  const count = (kind: string) => all.filter((r) => r === kind).length;
  return { TCPSocketWrap: count('TCPSocketWrap'), TLSWrap: count('TLSWrap'), Timeout: count('Timeout') };
}

async function runChild(mode: 'close' | 'idle') {
  const secure = await h.serve(handler);
  const plain = await h.serve(handler, { secure: false });
  const script = fileURLToPath(new URL('./child/request-and-close.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--conditions=@sess/source', '--import', 'tsx', script, secure.origin, plain.origin, tlsFiles.ca, mode],
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
  // Killed only if it hangs; then the exit code is null and the test fails.
  const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(guard);
  return { code, stdout, stderr, ms: performance.now() - t0 };
}

describe('lifecycle', () => {
  it('a child process that made requests and closed the adapter exits on its own', async () => {
    const { code, stdout, stderr, ms } = await runChild('close');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      secure: ['secure', 'secure', 'secure'],
      plain: 'plain',
      big: 300_000,
    });
    console.info(`child with close(): exited by itself after ${Math.round(ms)} ms`);
  });

  it('idle sessions never keep a process alive, even without close()', async () => {
    const { code, stderr } = await runChild('idle');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('after close(), no socket or timer of the adapter is left', async () => {
    const server = await h.serve(handler);
    const before = resources();
    const adapter = h.adapter({ pingInterval: 50, idleTimeout: 10_000 });
    await Promise.all(
      ['/a', '/b', '/big'].map(async (p) =>
        (await adapter.send(await prepare(`${server.origin}${p}`), sendOptions())).read(),
      ),
    );
    const during = resources();
    expect(during.TCPSocketWrap + during.TLSWrap).toBeGreaterThan(before.TCPSocketWrap + before.TLSWrap);
    await adapter.close();
    // The server's end of the connection closes as a consequence; give it its turn.
    await until(() => server.sessions.every((s) => s.closed || s.destroyed));
    await until(() => {
      const after = resources();
      return after.TCPSocketWrap <= before.TCPSocketWrap && after.TLSWrap <= before.TLSWrap;
    });
    expect(resources().Timeout).toBeLessThanOrEqual(before.Timeout);
  });

  it('closes a session after idleTimeout', async () => {
    const server = await h.serve(handler);
    const adapter = h.adapter({ idleTimeout: 100 });
    const res = await adapter.send(await prepare(`${server.origin}/x`), sendOptions());
    expect(text(await res.read())).toBe('x');
    expect(adapter.poolStats()[server.origin]?.sessions).toBe(1);
    const t0 = performance.now();
    await until(() => server.sessions[0]?.closed === true || server.sessions[0]?.destroyed === true, 2000);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(600);
    expect(adapter.poolStats()[server.origin]?.sessions ?? 0).toBe(0);
    // The next request opens a new session.
    const again = await adapter.send(await prepare(`${server.origin}/y`), sendOptions());
    expect(text(await again.read())).toBe('y');
    expect(server.connections).toBe(2);
  });

  it('close() fails queued requests and requests waiting for headers with ConnectionError', async () => {
    const held: ServerHttp2Stream[] = [];
    const server = await h.serve((stream) => held.push(stream), { settings: { maxConcurrentStreams: 1 } });
    const adapter = h.adapter({ maxSessionsPerOrigin: 1 });
    const waiting = settle(adapter.send(await prepare(`${server.origin}/a`), sendOptions()));
    await until(() => held.length === 1);
    const queued = settle(adapter.send(await prepare(`${server.origin}/b`), sendOptions()));
    await until(() => adapter.poolStats()[server.origin]?.queued === 1);
    const { ms } = await timed(adapter.close());
    for (const r of [await waiting, await queued]) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toBeInstanceOf(ConnectionError);
    }
    expect(ms).toBeLessThan(1000);
    expect(server.streams).toBe(1);
  });

  it('close() does not wait on an unread streamed body; that session closes once the body is read', async () => {
    let finish: (() => void) | undefined;
    const server = await h.serve((stream) => {
      stream.respond({ ':status': 200 });
      stream.write('half ');
      finish = () => stream.end('done');
    });
    const adapter = h.adapter();
    const res = await adapter.send(await prepare(`${server.origin}/`), sendOptions());
    const { ms } = await timed(adapter.close());
    expect(ms).toBeLessThan(200);
    const reading = res.read();
    finish?.();
    expect(text(await reading)).toBe('half done');
    await until(() => server.sessions.every((s) => s.closed || s.destroyed));
  });
});
