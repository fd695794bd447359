import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAdapter, type UndiciAdapterOptions } from '../src/index.js';
import {
  httpsServer,
  prepare,
  rawServer,
  send,
  sendOptions,
  type TestServer,
  text,
  tlsFiles,
} from './helpers.js';
import { startProxy } from './proxy-server.js';

let servers: TestServer[] = [];
let adapter: UndiciAdapter | undefined;

afterEach(async () => {
  await adapter?.close();
  await Promise.all(servers.map((s) => s.close()));
  adapter = undefined;
  servers = [];
});

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A whole keep-alive response, every character one byte (latin-1). */
const response = (statusLine: string, body = 'ok') =>
  latin1(`${statusLine}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);

/** A server that answers every request with `statusLine` (raw bytes) and a two-byte body. */
async function answering(statusLine: Uint8Array): Promise<TestServer> {
  const server = await rawServer((socket: Socket) => {
    socket.once('data', () => {
      socket.write(statusLine);
      socket.end('\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    });
  });
  servers.push(server);
  return server;
}

/**
 * A server that answers the requests on a connection, in order, with
 * `answers` (raw bytes, one write each), keeping the connection open.
 */
async function keepingAlive(answers: Uint8Array[]): Promise<TestServer> {
  const server = await rawServer((socket: Socket) => {
    let next = 0;
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      for (let end = received.indexOf('\r\n\r\n'); end !== -1; end = received.indexOf('\r\n\r\n')) {
        received = received.slice(end + 4);
        const answer = answers[next++];
        if (answer) socket.write(answer);
      }
    });
  });
  servers.push(server);
  return server;
}

/** The reason phrase the adapter hands to core for a status line of these bytes. */
async function reasonFor(statusLine: Uint8Array): Promise<string> {
  const s = await answering(statusLine);
  adapter = new UndiciAdapter();
  const res = await send(adapter, await prepare(`${s.origin}/`));
  expect(res.statusCode).toBe(200);
  return res.reason;
}

/** The reasons of sequential requests to `server` (one connection: keep-alive). */
async function reasons(server: TestServer, count: number, options?: UndiciAdapterOptions): Promise<string[]> {
  adapter = new UndiciAdapter(options);
  const out: string[] = [];
  for (let i = 0; i < count; i++)
    out.push((await send(adapter, await prepare(`${server.origin}/${i}`))).reason);
  return out;
}

describe('UndiciAdapter: non-ASCII reason phrases', () => {
  it('an ASCII reason phrase arrives as sent', async () => {
    expect(await reasonFor(latin1('HTTP/1.1 200 Fine'))).toBe('Fine');
  });

  it('a UTF-8 reason phrase arrives decoded as UTF-8 (not as latin-1 mojibake, unlike requests)', async () => {
    expect(await reasonFor(new TextEncoder().encode('HTTP/1.1 200 Café'))).toBe('Café');
  });

  it('a latin-1 reason phrase (0xE9) arrives as é', async () => {
    expect(await reasonFor(latin1('HTTP/1.1 200 Caf\u00e9'))).toBe('Caf\u00e9');
  });

  it('a reason that is not valid UTF-8 is read as latin-1 as a whole, valid sequences included', async () => {
    // C3 A9 is UTF-8 for é, but the lone E9 makes the reason invalid UTF-8: latin-1 throughout.
    expect(await reasonFor(latin1('HTTP/1.1 200 \u00c3\u00a9 \u00e9'))).toBe('\u00c3\u00a9 \u00e9');
  });

  it('a latin-1 reason split over two reads is not recovered: the standard phrase, never U+FFFD', async () => {
    // undici decodes (only) the part of the reason in the second read; the sniffer sees whole lines only.
    const server = await rawServer((socket: Socket) => {
      socket.once('data', () => {
        socket.write(latin1('HTTP/1.1 200 Ca'));
        setTimeout(() => socket.end(response('f\u00e9')), 30);
      });
    });
    servers.push(server);
    expect(await reasons(server, 1)).toEqual(['OK']);
  });

  it('two keep-alive responses on one connection each get their own latin-1 reason', async () => {
    const server = await keepingAlive([
      response('HTTP/1.1 200 Caf\u00e9'),
      response('HTTP/1.1 200 Caf\u00e8'),
      response('HTTP/1.1 200 Fine'),
    ]);
    expect(await reasons(server, 3)).toEqual(['Caf\u00e9', 'Caf\u00e8', 'Fine']);
    expect(server.sockets).toHaveLength(1);
  });

  it('pipelined: a response read in one chunk with the end of the previous one gets its own reason', async () => {
    // undici pipelines the second request once the first response's headers are in (as in pool.test).
    const server = await rawServer((socket: Socket) => {
      let seen = '';
      socket.on('data', (d: Buffer) => {
        seen += d.toString('latin1');
        const requests = (seen.match(/GET \//g) ?? []).length;
        if (requests === 1) socket.write(latin1('HTTP/1.1 200 Caf\u00e9\r\nContent-Length: 1\r\n\r\n'));
        if (requests === 2)
          socket.write(Buffer.concat([latin1('a'), response('HTTP/1.1 200 Caf\u00e8', 'b')]));
      });
    });
    servers.push(server);
    const a = new UndiciAdapter({ connections: 1, pipelining: 2 });
    adapter = a;
    const got = await Promise.all(
      ['/1', '/2'].map(async (p) => {
        const res = await send(a, await prepare(`${server.origin}${p}`));
        return [res.reason, text(res.content)];
      }),
    );
    expect(got).toEqual([
      ['Caf\u00e9', 'a'],
      ['Caf\u00e8', 'b'],
    ]);
    expect(server.sockets).toHaveLength(1);
  });

  it('a status line in a body does not give a later response its reason', async () => {
    const fake = 'Hi, HTTP/1.1 is text; HTTP/1.1 200 X\u00e9\r\n';
    const server = await keepingAlive([
      // The lookalike garbles exactly as the next real reason does (X U+FFFD): only the bytes differ.
      response('HTTP/1.1 200 Fine', fake),
      response('HTTP/1.1 200 X\u00e8'),
      // And in the body of the very response whose reason it mimics, after its real status line.
      response('HTTP/1.1 200 X\u00e8', fake),
      response('HTTP/1.1 200 Caf\u00e9'),
    ]);
    expect(await reasons(server, 4)).toEqual(['Fine', 'X\u00e8', 'X\u00e8', 'Caf\u00e9']);
  });

  it('an interim 1xx response with a lookalike latin-1 reason does not lend it to the final one', async () => {
    // Both in one write, answering the same request: the 103 garbles as the 200 does (X U+FFFD).
    const server = await keepingAlive([
      Buffer.concat([latin1('HTTP/1.1 103 X\u00e9\r\n\r\n'), response('HTTP/1.1 200 X\u00e8')]),
    ]);
    expect(await reasons(server, 1)).toEqual(['X\u00e8']);
  });

  it('through a proxy tunnel (CONNECT) a latin-1 reason arrives as latin-1', async () => {
    // Node's http server writes the status message as latin-1.
    const origin = await httpsServer((_req, res) => res.writeHead(200, 'Caf\u00e9').end('ok'));
    const proxy = await startProxy();
    servers.push(origin, proxy);
    adapter = new UndiciAdapter();
    const res = await send(
      adapter,
      await prepare(`${origin.origin}/`),
      sendOptions({ proxies: { https: proxy.origin }, verify: tlsFiles.ca }),
    );
    expect(res.reason).toBe('Caf\u00e9');
    expect(proxy.log.map((e) => e.kind)).toEqual(['connect']);
  });

  it('on an adopted socket (the HTTP/2 ALPN probe) a latin-1 reason arrives as latin-1', async () => {
    const origin = await httpsServer((_req, res) => res.writeHead(200, 'Caf\u00e9').end('ok'));
    servers.push(origin);
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: origin.port,
      ca: readFileSync(tlsFiles.ca),
      ALPNProtocols: ['http/1.1'],
    });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    adapter = new UndiciAdapter();
    expect(adapter.adoptSocket(origin.origin, socket)).toBe(true);
    const res = await send(adapter, await prepare(`${origin.origin}/`), sendOptions({ verify: tlsFiles.ca }));
    expect(res.reason).toBe('Caf\u00e9');
    expect(origin.sockets).toHaveLength(1);
  });
});
