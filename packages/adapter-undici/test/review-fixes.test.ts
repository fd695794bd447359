import { ResponseTooLargeError } from '@sess/core';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAdapter } from '../src/index.js';
import { httpServer, prepare, rejection, send, sendOptions, type TestServer, text } from './helpers.js';

let server: TestServer | undefined;
let adapter: UndiciAdapter | undefined;
let agent: Dispatcher | undefined;

afterEach(async () => {
  await adapter?.close();
  await agent?.close();
  await server?.close();
  adapter = undefined;
  agent = undefined;
  server = undefined;
});

describe('a dispatcher of the caller’s, composed with an interceptor', () => {
  it('keeps repeated response headers apart (undici’s WrapHandler hands them over as one name, several values)', async () => {
    server = await httpServer((_req, res) => {
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.setHeader('Vary', ['Accept', 'Origin']);
      res.end('ok');
    });
    // A pass-through interceptor: compose() wraps the handler in undici's WrapHandler all the same.
    agent = new Agent().compose((dispatch) => (opts, handler) => dispatch(opts, handler));
    adapter = new UndiciAdapter({ dispatcher: agent });
    const res = await send(adapter, await prepare(`${server.origin}/`), sendOptions());
    expect(text(res.content)).toBe('ok');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers.get('vary')).toBe('Accept, Origin');
  });
});

describe('a body refused for its declared size', () => {
  it('gives its connection back: the next request on a one-connection pool goes through', async () => {
    let first = true;
    server = await httpServer((_req, res) => {
      if (!first) return res.end('small');
      first = false;
      // Declares 10 MB and sends 256 KiB of it: past undici's high-water mark, then silence.
      res.writeHead(200, { 'Content-Length': String(10 * 2 ** 20) });
      res.write(Buffer.alloc(256 * 1024, 120));
    });
    adapter = new UndiciAdapter({ connections: 1 });
    const big = await rejection(
      send(adapter, await prepare(`${server.origin}/big`), sendOptions({ maxResponseSize: 1000 })),
    );
    expect(big).toBeInstanceOf(ResponseTooLargeError);
    const next = await send(
      adapter,
      await prepare(`${server.origin}/small`),
      sendOptions({ timeout: { pool: 2000 } }),
    );
    expect(text(next.content)).toBe('small');
  });
});
