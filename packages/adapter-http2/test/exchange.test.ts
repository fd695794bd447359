import { constants } from 'node:http2';
import { ConnectionError, Headers, InvalidSchemaError, Response, Session } from '@sess/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Http2Adapter } from '../src/index.js';
import { type H2TestServer, respond, startH2 } from './support/h2-server.js';
import { prepare, rejection, sendOptions, text } from './support/send.js';

let servers: H2TestServer[] = [];
let adapters: Http2Adapter[] = [];
afterEach(async () => {
  await Promise.all(adapters.map((a) => a.close()));
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  adapters = [];
});
async function serve(...args: Parameters<typeof startH2>): Promise<H2TestServer> {
  const s = await startH2(...args);
  servers.push(s);
  return s;
}
function adapter(options: ConstructorParameters<typeof Http2Adapter>[0] = {}): Http2Adapter {
  const a = new Http2Adapter(options);
  adapters.push(a);
  return a;
}

describe('one exchange', () => {
  it('resolves at the headers with httpVersion 2, the raw body, and trailers', async () => {
    const server = await serve((stream) => {
      stream.respond(
        { ':status': 201, 'x-one': 'a', 'set-cookie': ['a=1', 'b=2'] },
        { waitForTrailers: true },
      );
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-checksum': 'abc' }));
      stream.end('created');
    });
    const res = await adapter().send(await prepare(`${server.origin}/x`), sendOptions());
    expect(res).toBeInstanceOf(Response);
    expect(res.statusCode).toBe(201);
    expect(res.httpVersion).toBe('2');
    expect(res.reason).toBe('Created');
    expect(res.headers.get('x-one')).toBe('a');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers.has(':status')).toBe(false);
    expect(res.url).toBe(`${server.origin}/x`);
    expect(text(await res.read())).toBe('created');
    expect(res.trailers.get('x-checksum')).toBe('abc');
  });

  it('maps the request onto pseudo-headers and drops connection-specific fields', async () => {
    let seen: Record<string, unknown> = {};
    const server = await serve((stream, headers) => {
      seen = { ...headers };
      respond(stream, 'ok');
    });
    const req = await prepare(`${server.origin}/p/a?q=1`, {
      method: 'POST',
      data: 'hello',
      headers: {
        Host: 'example.test',
        Connection: 'keep-alive',
        'Keep-Alive': 'timeout=5',
        'Transfer-Encoding': 'chunked',
        Upgrade: 'websocket',
        'Proxy-Connection': 'keep-alive',
        TE: 'trailers',
        'X-Custom': 'Yes',
        'Proxy-Authorization': 'Basic c2VjcmV0',
      },
    });
    const res = await adapter().send(req, sendOptions());
    await res.read();
    expect(seen[':method']).toBe('POST');
    expect(seen[':path']).toBe('/p/a?q=1');
    expect(seen[':scheme']).toBe('https');
    expect(seen[':authority']).toBe('example.test');
    expect(seen['x-custom']).toBe('Yes');
    expect(seen.te).toBe('trailers');
    for (const h of [
      'connection',
      'keep-alive',
      'transfer-encoding',
      'upgrade',
      'proxy-connection',
      'host',
    ]) {
      expect(seen).not.toHaveProperty(h);
    }
    // Proxy credentials never reach an origin.
    expect(seen).not.toHaveProperty('proxy-authorization');
  });

  it('drops TE unless it is "trailers"', async () => {
    let seen: Record<string, unknown> = {};
    const server = await serve((stream, headers) => {
      seen = { ...headers };
      respond(stream);
    });
    const res = await adapter().send(
      await prepare(`${server.origin}/`, { headers: { TE: 'gzip' } }),
      sendOptions(),
    );
    await res.read();
    expect(seen).not.toHaveProperty('te');
    expect(seen[':authority']).toBe(`127.0.0.1:${server.port}`);
  });

  it('passes body null for HEAD and 204, and leaves the session usable', async () => {
    const server = await serve((stream, headers) => {
      if (headers[':path'] === '/204') {
        stream.respond({ ':status': 204 }, { endStream: true });
        return;
      }
      stream.respond({ ':status': 200, 'content-length': '5' });
      stream.end(headers[':method'] === 'HEAD' ? undefined : 'hello');
    });
    const a = adapter();
    const head = await a.send(await prepare(`${server.origin}/`, { method: 'HEAD' }), sendOptions());
    expect(head.headers.get('content-length')).toBe('5');
    expect((await head.read()).byteLength).toBe(0);
    const none = await a.send(await prepare(`${server.origin}/204`), sendOptions());
    expect(none.statusCode).toBe(204);
    expect((await none.read()).byteLength).toBe(0);
    const full = await a.send(await prepare(`${server.origin}/`), sendOptions());
    expect(text(await full.read())).toBe('hello');
    expect(server.connections).toBe(1);
  });

  it('hands the body over raw: content-encoding is left for core', async () => {
    const { gzipSync } = await import('node:zlib');
    const zipped = gzipSync('squeezed');
    const server = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-encoding': 'gzip' });
      stream.end(zipped);
    });
    const res = await adapter().send(await prepare(`${server.origin}/`), sendOptions());
    // Core decodes: read() yields the decoded text, proving the adapter passed raw bytes with the header.
    expect(text(await res.read())).toBe('squeezed');
  });

  it('works mounted on a Session', async () => {
    const server = await serve((stream, headers) => respond(stream, `hi ${headers[':path']}`));
    const s = new Session();
    const a = adapter();
    s.mount(`${server.origin}/`, a);
    const res = await s.get(`${server.origin}/there`, { verify: false });
    expect(res.httpVersion).toBe('2');
    expect(res.text).toBe('hi /there');
    await s.close();
  });

  it('refuses http:// without h2c and without a fallback, and any send after close', async () => {
    const a = adapter();
    expect(await rejection(a.send(await prepare('http://127.0.0.1:9/'), sendOptions()))).toBeInstanceOf(
      InvalidSchemaError,
    );
    await a.close();
    const err = await rejection(a.send(await prepare('https://127.0.0.1:9/'), sendOptions()));
    expect(err).toBeInstanceOf(ConnectionError);
  });

  it('resets the stream with CANCEL when the caller closes an unread body', async () => {
    let rst: number | undefined;
    const closed = new Promise<void>((resolve) => {
      void serve((stream) => {
        stream.respond({ ':status': 200 });
        stream.write(Buffer.alloc(100_000));
        stream.on('close', () => {
          rst = stream.rstCode;
          resolve();
        });
      }).then(async (server) => {
        const a = adapter();
        const res = await a.send(await prepare(`${server.origin}/`), sendOptions());
        await res.close();
      });
    });
    await closed;
    expect(rst).toBe(constants.NGHTTP2_CANCEL);
  });

  it('fills a Headers object for trailers even when there are none', async () => {
    const server = await serve((stream) => respond(stream, 'x'));
    const res = await adapter().send(await prepare(`${server.origin}/`), sendOptions());
    await res.read();
    expect(res.trailers).toBeInstanceOf(Headers);
    expect(res.trailers.size).toBe(0);
  });
});
