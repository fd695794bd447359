import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { SSLError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { fixture, serverTls, tlsFiles } from './support/fixtures.js';
import { respond } from './support/h2-server.js';
import { harness } from './support/harness.js';
import { prepare, rejection, sendOptions, text, timed } from './support/send.js';

const h = harness();

describe('TLS', () => {
  it('verify: false talks to a self-signed server', async () => {
    const server = await h.serve((stream) => respond(stream, 'ok'), { server: serverTls('self-signed') });
    const res = await h.adapter().send(await prepare(`${server.origin}/`), sendOptions({ verify: false }));
    expect(text(await res.read())).toBe('ok');
  });

  it('verify: a CA bundle path trusts a server it signed', async () => {
    const server = await h.serve((stream) => respond(stream, 'ok'));
    const res = await h
      .adapter()
      .send(await prepare(`${server.origin}/`), sendOptions({ verify: tlsFiles.ca }));
    expect(text(await res.read())).toBe('ok');
    expect(res.httpVersion).toBe('2');
  });

  it('SSLError for an untrusted certificate, with the native error as cause', async () => {
    const server = await h.serve((stream) => respond(stream, 'ok'), { server: serverTls('self-signed') });
    const adapter = h.adapter();
    const err = await rejection(
      adapter.send(await prepare(`${server.origin}/`), sendOptions({ verify: true })),
    );
    expect(err).toBeInstanceOf(SSLError);
    expect((err.cause as { code?: string }).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const viaCa = await rejection(
      adapter.send(await prepare(`${server.origin}/`), sendOptions({ verify: tlsFiles.ca })),
    );
    expect(viaCa).toBeInstanceOf(SSLError);
  });

  it('SSLError for a CA bundle that cannot be read', async () => {
    const server = await h.serve((stream) => respond(stream, 'ok'));
    const err = await rejection(
      h.adapter().send(await prepare(`${server.origin}/`), sendOptions({ verify: fixture('missing.pem') })),
    );
    expect(err).toBeInstanceOf(SSLError);
    expect(server.connections).toBe(0);
  });

  it('presents a client certificate; a server that requires one refuses a client without', async () => {
    let peer: unknown;
    const server = await h.serve(
      (stream) => {
        peer = (stream.session?.socket as TLSSocket | undefined)?.getPeerCertificate().subject?.CN;
        respond(stream, 'hello client');
      },
      { server: { ca: readFileSync(tlsFiles.ca), requestCert: true, rejectUnauthorized: true } },
    );
    const adapter = h.adapter();
    const res = await adapter.send(
      await prepare(`${server.origin}/`),
      sendOptions({ cert: [tlsFiles.clientCert, tlsFiles.clientKey] }),
    );
    expect(text(await res.read())).toBe('hello client');
    expect(peer).toBeTruthy();
    // TLS 1.3: the server's alert comes after our handshake finished, while we wait for SETTINGS.
    const { error, ms } = await timed(
      adapter.send(await prepare(`${server.origin}/`), sendOptions({ cert: null })),
    );
    expect(error).toBeInstanceOf(SSLError);
    expect(ms).toBeLessThan(1000);
  });

  it('requests with different TLS settings never share a session', async () => {
    const server = await h.serve((stream) => respond(stream, 'ok'));
    const adapter = h.adapter();
    for (const verify of [tlsFiles.ca, false, tlsFiles.ca]) {
      const res = await adapter.send(await prepare(`${server.origin}/`), sendOptions({ verify }));
      await res.read();
    }
    expect(server.connections).toBe(2);
  });
});

describe('h2c', () => {
  it('speaks cleartext HTTP/2 by prior knowledge with h2c: true', async () => {
    const server = await h.serve((stream, headers) => respond(stream, `${headers[':scheme']} ok`), {
      secure: false,
    });
    const adapter = h.adapter({ h2c: true });
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await adapter.send(await prepare(`${server.origin}/`), sendOptions());
        return [res.httpVersion, text(await res.read())];
      }),
    );
    expect(results).toEqual(Array(20).fill(['2', 'http ok']));
    expect(server.connections).toBe(1);
  });
});
