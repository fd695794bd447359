import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ConnectionError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { isSocketAdopter } from '../src/index.js';
import { AdoptingH1Adapter, FakeH1Adapter } from './support/fake-h1.js';
import { serverTls, tlsFiles } from './support/fixtures.js';
import { harness } from './support/harness.js';
import { prepare, rejection, sendOptions, sleep, text } from './support/send.js';

const h = harness();
const ca = readFileSync(tlsFiles.ca);

/** An https server that speaks HTTP/1.1 only, counting connections, TLS handshakes and ALPN offers. */
async function h1Server() {
  let handshakes = 0;
  let connections = 0;
  const alpnOffers: string[][] = [];
  const server = https.createServer(
    {
      ...serverTls(),
      ALPNCallback: ({ protocols }) => {
        alpnOffers.push(protocols);
        return protocols.includes('http/1.1') ? 'http/1.1' : undefined;
      },
    },
    (req, res) => res.end(`h1 ${req.url}`),
  );
  server.on('secureConnection', () => handshakes++);
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  h.track({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    /** TLS handshakes the server completed. */
    get handshakes() {
      return handshakes;
    },
    /** TCP connections, each one a TLS handshake at least begun (the client may drop a probe first). */
    get connections() {
      return connections;
    },
    alpnOffers,
  };
}

async function burst(adapter: ReturnType<typeof h.adapter>, origin: string, n: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await adapter.send(await prepare(`${origin}/${i}`), sendOptions());
      return [res.httpVersion, text(await res.read())];
    }),
  );
}

describe('HTTP/1.1 fallback', () => {
  it('50 requests to an h1-only origin cost ONE TLS handshake when the fallback adopts the probe socket', async () => {
    const server = await h1Server();
    const fallback = new AdoptingH1Adapter(ca);
    expect(isSocketAdopter(fallback)).toBe(true);
    const adapter = h.adapter({ fallback });
    const results = await burst(adapter, server.origin, 50);
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => ['1.1', `h1 /${i}`]));
    expect(server.connections).toBe(1);
    expect(server.handshakes).toBe(1);
    expect(fallback.adoptions).toEqual([server.origin]);
    expect(server.alpnOffers[0]).toEqual(['h2', 'http/1.1']);
    // Remembered: later requests go straight to the fallback, no new probe.
    await burst(adapter, server.origin, 5);
    expect(server.connections).toBe(1);
    expect(fallback.sends).toBe(55);
    console.info(`h1-only origin, adopting fallback: 55 requests, ${server.handshakes} TLS handshake`);
  });

  it('without adoptSocket: two handshakes in all (the probe and the fallback own), not one per request', async () => {
    const server = await h1Server();
    const fallback = new FakeH1Adapter(ca);
    expect(isSocketAdopter(fallback)).toBe(false);
    const adapter = h.adapter({ fallback });
    const results = await burst(adapter, server.origin, 50);
    expect(results).toHaveLength(50);
    expect(server.connections).toBe(2);
    console.info(`h1-only origin, plain fallback: 50 requests, ${server.connections} TLS connections`);
  });

  it('probes again once fallbackTtl has passed', async () => {
    const server = await h1Server();
    const fallback = new FakeH1Adapter(ca);
    const adapter = h.adapter({ fallback, fallbackTtl: 50 });
    await burst(adapter, server.origin, 3);
    expect(server.connections).toBe(2);
    await sleep(80);
    await burst(adapter, server.origin, 1);
    // One more probe; the fallback keeps its own connection.
    expect(server.connections).toBe(3);
  });

  it('http:// without h2c goes to the fallback', async () => {
    const fallback = new FakeH1Adapter(ca);
    let got: string | undefined;
    fallback.send = async (request) => {
      got = request.url;
      throw new ConnectionError('not really sent', { request });
    };
    const adapter = h.adapter({ fallback });
    await rejection(adapter.send(await prepare('http://127.0.0.1:9/x'), sendOptions()));
    expect(got).toBe('http://127.0.0.1:9/x');
  });

  it('without a fallback, an h1-only origin is a ConnectionError', async () => {
    const server = await h1Server();
    const err = await rejection(h.adapter().send(await prepare(`${server.origin}/`), sendOptions()));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/fallback/);
  });

  it('close() closes the fallback too', async () => {
    const fallback = new FakeH1Adapter(ca);
    const adapter = h.adapter({ fallback });
    await adapter.close();
    expect(fallback.closed).toBe(true);
  });
});
