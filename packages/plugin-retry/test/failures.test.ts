import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AbortError,
  ChunkedEncodingError,
  ConnectionError,
  type Plugin,
  ReadTimeoutError,
  TimeoutError,
} from '@sess/core';
import { retry } from '@sess/plugin-retry';
import { afterEach, describe, expect, it } from 'vitest';
import { type FlakyServer, makeSession, reply, startServer } from './helpers.js';

let server: FlakyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An inner plugin that counts the attempts it sees and the `attempt` extension of each. */
function counter(): Plugin & { attempts: Array<number | undefined> } {
  const attempts: Array<number | undefined> = [];
  return {
    name: 'counter',
    attempts,
    send(request, options, next) {
      attempts.push(options.extensions.attempt);
      return next(request, options);
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('failures before and after the headers', () => {
  it('a reset before the headers is a read failure: retried for GET', async () => {
    server = await startServer((hit, res, req) =>
      hit.n === 1 ? req.socket.destroy() : reply(res, 200, 'ok'),
    );
    await using s = makeSession();
    const seen = counter();
    s.use(retry()).use(seen);
    const res = await s.get(server.url);
    expect(res.text).toBe('ok');
    expect(server.hits).toHaveLength(2);
    expect(seen.attempts).toEqual([undefined, 2]);
    expect(res.retries?.[0]?.error).toBeInstanceOf(ConnectionError);
  });

  it('... and not retried with read: 0 (ConnectionError, the reason in front)', async () => {
    server = await startServer((_hit, _res, req) => req.socket.destroy());
    await using s = makeSession();
    s.use(retry({ read: 0 }));
    const err = (await s.get(server.url).catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/^Max retries exceeded \(read retries ran out\): /);
    expect(err.cause).toBeInstanceOf(ConnectionError);
    expect(server.hits).toHaveLength(1);
  });

  it('a reset in the middle of the body is retried (the plugin reads the body)', async () => {
    server = await startServer((hit, res) => {
      if (hit.n > 1) return reply(res, 200, 'x'.repeat(100));
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('x'.repeat(10), () => res.destroy());
    });
    await using s = makeSession();
    s.use(retry());
    const res = await s.get(server.url);
    expect(res.text).toBe('x'.repeat(100));
    expect(server.hits).toHaveLength(2);
    expect(res.retries?.[0]?.error).toBeInstanceOf(ChunkedEncodingError);
  });

  it('... and not retried with read: 0: the session meets the broken body', async () => {
    server = await startServer((_hit, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('x'.repeat(10), () => res.destroy());
    });
    await using s = makeSession();
    s.use(retry({ read: 0 }));
    await expect(s.get(server.url)).rejects.toBeInstanceOf(ChunkedEncodingError);
    expect(server.hits).toHaveLength(1);
  });

  it('... nor with stream: true: the caller reads the body, after the plugin', async () => {
    server = await startServer((_hit, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('x'.repeat(10), () => res.destroy());
    });
    await using s = makeSession();
    s.use(retry());
    const res = await s.get(server.url, { stream: true });
    await expect(res.read()).rejects.toBeInstanceOf(ChunkedEncodingError);
    expect(server.hits).toHaveLength(1);
  });

  it('slow headers: a read timeout is retried', async () => {
    server = await startServer((hit, res) => {
      if (hit.n > 1) reply(res, 200, 'ok');
      // The first request is never answered; the client's read timeout gives up on it.
    });
    await using s = makeSession();
    s.use(retry());
    const res = await s.get(server.url, { timeout: { read: 150 } });
    expect(res.text).toBe('ok');
    expect(res.retries?.[0]?.error).toBeInstanceOf(ReadTimeoutError);
  });

  it('a refused connection is a connect failure: retried even for POST', async () => {
    const port = await closedPort();
    await using s = makeSession();
    const seen = counter();
    s.use(retry({ total: 2 })).use(seen);
    const err = (await s
      .post(`http://127.0.0.1:${port}/x?token=secret`, { data: 'a' })
      .catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/^Max retries exceeded \(total retries ran out\): /);
    expect(err.message).not.toContain('secret');
    expect(seen.attempts).toHaveLength(3);
    expect(err.retries?.map((e) => e.attempt)).toEqual([1, 2]);
  });
});

describe('never retried', () => {
  it('AbortError', async () => {
    server = await startServer(() => {});
    await using s = makeSession();
    s.use(retry({ total: 5 }));
    const ctl = new AbortController();
    const p = s.get(server.url, { signal: ctl.signal });
    await server.hit(1);
    ctl.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(server.hits).toHaveLength(1);
  });

  it("the session's TimeoutError at timeout.total", async () => {
    server = await startServer(() => {});
    await using s = makeSession();
    s.use(retry({ total: 5 }));
    const err = await s.get(server.url, { timeout: { total: 200 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).not.toBeInstanceOf(ReadTimeoutError);
    expect(server.hits).toHaveLength(1);
  });

  it('a read failure of POST (the server may have acted on it)', async () => {
    server = await startServer((_hit, _res, req) => req.socket.destroy());
    await using s = makeSession();
    s.use(retry());
    const err = (await s.post(server.url, { data: 'x' }).catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).not.toMatch(/retries/);
    expect(server.hits).toHaveLength(1);
  });
});
