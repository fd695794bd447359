import { readFileSync } from 'node:fs';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { ConnectionError, SSLError } from '@sess/core';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAdapter } from '../src/index.js';
import {
  fixture,
  httpServer,
  httpsServer,
  prepare,
  rejection,
  send,
  sendOptions,
  serverTls,
  type TestServer,
  text,
  tlsFiles,
} from './helpers.js';

let servers: TestServer[] = [];
let adapter: UndiciAdapter | undefined;

afterEach(async () => {
  await adapter?.close();
  await Promise.all(servers.map((s) => s.close()));
  adapter = undefined;
  servers = [];
});

async function serve(name = 'server', extra: Record<string, unknown> = {}): Promise<TestServer> {
  const s = await httpsServer(
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.end(peer?.subject ? `hello ${peer.subject.CN}` : 'hello');
    },
    { ...serverTls(name), ...extra },
  );
  servers.push(s);
  return s;
}

describe('verify', () => {
  it('verify: false accepts a certificate Node does not trust', async () => {
    const s = await serve();
    adapter = new UndiciAdapter();
    const res = await send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: false }));
    expect(text(res.content)).toBe('hello');
  });

  it('verify: true rejects it with SSLError', async () => {
    const s = await serve();
    adapter = new UndiciAdapter();
    const err = await rejection(send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: true })));
    expect(err).toBeInstanceOf(SSLError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.cause).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect((err as SSLError).request?.url).toBe(`${s.origin}/`);
  });

  it('verify: <CA bundle path> accepts a server signed by that CA', async () => {
    const s = await serve();
    adapter = new UndiciAdapter();
    const res = await send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: tlsFiles.ca }));
    expect(text(res.content)).toBe('hello');
    // Also by name: the certificate is for localhost as well as 127.0.0.1.
    const byName = await send(
      adapter,
      await prepare(`https://localhost:${s.port}/`),
      sendOptions({ verify: tlsFiles.ca }),
    );
    expect(byName.statusCode).toBe(200);
  });

  it('rejects a self-signed certificate with SSLError', async () => {
    const s = await serve('self-signed');
    adapter = new UndiciAdapter();
    const err = await rejection(send(adapter, await prepare(`${s.origin}/`), sendOptions()));
    expect(err).toBeInstanceOf(SSLError);
    expect(err.cause).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const res = await send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: false }));
    expect(res.statusCode).toBe(200);
  });

  it('rejects a certificate for another host name with SSLError', async () => {
    const s = await serve('wrong-host');
    adapter = new UndiciAdapter();
    const err = await rejection(
      send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: tlsFiles.ca })),
    );
    expect(err).toBeInstanceOf(SSLError);
    expect(err.cause).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('keeps verify settings apart: an unverified connection is never reused for a verified request', async () => {
    const s = await serve();
    adapter = new UndiciAdapter();
    expect(
      (await send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: false }))).statusCode,
    ).toBe(200);
    const err = await rejection(send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: true })));
    expect(err).toBeInstanceOf(SSLError);
    expect(
      (await send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: false }))).statusCode,
    ).toBe(200);
    // Two connections: one per configuration, the unverified one reused.
    expect(s.sockets).toHaveLength(2);
  });

  it('fails with SSLError, before any connection, when the CA bundle cannot be read', async () => {
    const s = await serve();
    adapter = new UndiciAdapter();
    const err = await rejection(
      send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: fixture('does-not-exist.pem') })),
    );
    expect(err).toBeInstanceOf(SSLError);
    expect(err.message).toContain('does-not-exist.pem');
    expect(s.sockets).toHaveLength(0);
  });

  it('does not apply TLS settings to plain http', async () => {
    adapter = new UndiciAdapter();
    const s = await serve();
    // An unreadable CA path is not even looked at for an http URL.
    const plain = await httpServer((_req, res) => res.end('plain'));
    servers.push(plain);
    const res = await send(
      adapter,
      await prepare(`${plain.origin}/`),
      sendOptions({ verify: fixture('nope.pem') }),
    );
    expect(text(res.content)).toBe('plain');
    expect(s.sockets).toHaveLength(0);
  });
});

describe('client certificate', () => {
  function serveMutual(): Promise<TestServer> {
    return serve('server', { ca: readFileSync(tlsFiles.ca), requestCert: true, rejectUnauthorized: true });
  }

  it('is sent from one PEM file holding certificate and key', async () => {
    const s = await serveMutual();
    adapter = new UndiciAdapter();
    const res = await send(
      adapter,
      await prepare(`${s.origin}/`),
      sendOptions({ verify: tlsFiles.ca, cert: tlsFiles.clientCombined }),
    );
    expect(text(res.content)).toBe('hello sess test client');
  });

  it('is sent from [certPath, keyPath]', async () => {
    const s = await serveMutual();
    adapter = new UndiciAdapter();
    const res = await send(
      adapter,
      await prepare(`${s.origin}/`),
      sendOptions({ verify: tlsFiles.ca, cert: [tlsFiles.clientCert, tlsFiles.clientKey] }),
    );
    expect(text(res.content)).toBe('hello sess test client');
  });

  it('without one, a server that requires it refuses the connection', async () => {
    const s = await serveMutual();
    adapter = new UndiciAdapter();
    const err = await rejection(
      send(adapter, await prepare(`${s.origin}/`), sendOptions({ verify: tlsFiles.ca })),
    );
    expect(err).toBeInstanceOf(ConnectionError);
  });
});

describe('adoptSocket', () => {
  it('uses a connected TLS socket handed over (an HTTP/2 ALPN probe) as the next connection: one handshake', async () => {
    let handshakes = 0;
    const server = await httpsServer((req, res) => res.end(`h1 ${req.url}`));
    server.server.on('secureConnection', () => handshakes++);
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: server.port,
      ca: readFileSync(tlsFiles.ca),
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    expect(socket.alpnProtocol).toBe('http/1.1');
    const a = new UndiciAdapter();
    try {
      expect(a.adoptSocket(server.origin, socket)).toBe(true);
      for (let i = 0; i < 5; i++) {
        const res = await send(
          a,
          await prepare(`${server.origin}/n${i}`),
          sendOptions({ verify: tlsFiles.ca }),
        );
        expect(text(res.content)).toBe(`h1 /n${i}`);
      }
      expect(handshakes).toBe(1);
      expect(server.sockets).toHaveLength(1);
    } finally {
      await a.close();
      await server.close();
    }
  });

  it('declines a socket for a non-https origin or after close()', async () => {
    const a = new UndiciAdapter();
    const fake = { destroyed: false, once() {} } as unknown as TLSSocket;
    expect(a.adoptSocket('http://127.0.0.1:1', fake)).toBe(false);
    await a.close();
    expect(a.adoptSocket('https://127.0.0.1:1', fake)).toBe(false);
  });
});

describe('https:// to a plain-HTTP port', () => {
  it('says the server speaks plain HTTP instead of repeating OpenSSL’s record-layer text', async () => {
    const server = await httpServer((_req, res) => res.end('plain'));
    const a = new UndiciAdapter();
    try {
      const err = await rejection(send(a, await prepare(`https://127.0.0.1:${server.port}/`), sendOptions()));
      expect(err).toBeInstanceOf(SSLError);
      expect(err.message).toMatch(/answered in plain HTTP, not TLS/);
      expect(err.message).not.toMatch(/wrong version number/);
    } finally {
      await a.close();
      await server.close();
    }
  });
});
