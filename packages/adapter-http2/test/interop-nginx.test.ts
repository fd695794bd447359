import { UndiciAdapter } from '@sess/adapter-undici';
import { Session } from '@sess/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Http2Adapter } from '../src/index.js';
import { tlsFiles } from './support/fixtures.js';
import { type Forwarder, startForwarder } from './support/interop-forwarder.js';
import { burst, samplePool } from './support/interop-load.js';
import {
  interopSkip,
  type NginxLogLine,
  type NginxServer,
  sha256,
  startNginx,
} from './support/interop-servers.js';
import { until } from './support/send.js';

// Debian's nginx (1.22 on bookworm) as a child process: TLS h2 with 250 and with 10 streams per
// connection, the 10-stream block also as cleartext h2c, and a TLS HTTP/1.1-only block. A `net`
// forwarder on 127.0.0.1 in front of a port counts the client's TCP connections (and, on h2c,
// the streams in flight on each); nginx's access log counts connections with $connection.
const { skip } = interopSkip('nginx', 'nginx');

let nginx: NginxServer;
const closers: Array<() => Promise<unknown>> = [];

let startError: unknown;

beforeAll(async () => {
  if (skip) return;
  try {
    nginx = await startNginx();
  } catch (err) {
    startError = err;
  }
});

// A server that did not start fails every test (counted as failures, not a hook error).
beforeEach(() => {
  if (startError) throw startError;
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

afterAll(async () => {
  await nginx?.close();
});

function session(prefix: string, adapter: Http2Adapter): Session {
  const s = new Session();
  s.mount(prefix, adapter);
  s.verify = tlsFiles.ca;
  closers.push(() => s.close());
  return s;
}

async function forwarder(port: number, parseH2 = false): Promise<Forwarder> {
  const f = await startForwarder(port, { parseH2 });
  closers.push(() => f.close());
  return f;
}

/** The log lines of one test's requests (tagged with `?t=<tag>`). */
function tagged(lines: NginxLogLine[], tag: string): NginxLogLine[] {
  return lines.filter((l) => l.uri.includes(`t=${tag}&`) || l.uri.endsWith(`t=${tag}`));
}

/**
 * The access log lines of `tag`, once there are `count` of them: nginx writes a line as it
 * finishes a request, which may be a moment after the client has the response.
 */
async function logged(name: 'wide' | 'narrow' | 'h1', tag: string, count: number): Promise<NginxLogLine[]> {
  await until(() => tagged(nginx.accessLog(name), tag).length >= count, 2000).catch(() => {});
  return tagged(nginx.accessLog(name), tag);
}

function connectionsIn(lines: NginxLogLine[]): Set<number> {
  return new Set(lines.map((l) => l.connection));
}

describe('interop: nginx', () => {
  it.skipIf(skip)('serves a small and a 1 MiB file over TLS h2 intact, through a core Session', async () => {
    const origin = `https://127.0.0.1:${nginx.wide}`;
    const s = session(`${origin}/`, new Http2Adapter());
    for (const name of ['small.txt', 'big.bin'] as const) {
      const res = await s.get(`${origin}/${name}?t=files`);
      expect(res.statusCode).toBe(200);
      expect(res.httpVersion).toBe('2');
      expect(res.content.byteLength).toBe(nginx.docroot.files[name].bytes.byteLength);
      expect(sha256(res.content)).toBe(nginx.docroot.files[name].sha256);
    }
    const lines = await logged('wide', 'files', 2);
    expect(lines.map((l) => [l.protocol, l.status])).toEqual([
      ['HTTP/2.0', 200],
      ['HTTP/2.0', 200],
    ]);
    expect(connectionsIn(lines).size).toBe(1);
  });

  it.skipIf(skip)(
    '200 concurrent requests on a cold pool use ONE connection when nginx allows 250 streams',
    async () => {
      const fwd = await forwarder(nginx.wide);
      const origin = `https://127.0.0.1:${fwd.port}`;
      const adapter = new Http2Adapter();
      const s = session(`${origin}/`, adapter);
      const sampler = samplePool(adapter, origin);
      const responses = await burst(s, (i) => `${origin}/small.txt?t=wide&i=${i}`, 200);
      const peaks = sampler.stop();
      expect(responses.every((r) => r.statusCode === 200 && r.httpVersion === '2')).toBe(true);
      expect(responses.every((r) => sha256(r.content) === nginx.docroot.files['small.txt'].sha256)).toBe(
        true,
      );
      // Client side of the forwarder: TCP connections the adapter made.
      expect(fwd.accepted).toBe(1);
      expect(fwd.connections[0]?.tlsClientHello).toBe(true);
      // Server side: nginx's own connection serial numbers and per-connection request counter.
      const lines = await logged('wide', 'wide', 200);
      expect(lines).toHaveLength(200);
      expect(connectionsIn(lines).size).toBe(1);
      expect(Math.max(...lines.map((l) => l.connectionRequests))).toBe(200);
      expect(peaks.sessions).toBe(1);
      expect(peaks.streams).toBeLessThanOrEqual(200);
      console.info(
        `nginx wide (250 streams), 200 cold requests: ${fwd.accepted} TCP connection (forwarder), ` +
          `${connectionsIn(lines).size} nginx $connection, ${Math.max(...lines.map((l) => l.connectionRequests))} requests on it; ` +
          `poolStats peak: ${peaks.sessions} session, ${peaks.streams} streams in flight, ${peaks.queued} queued`,
      );
    },
  );

  it.skipIf(skip)(
    'nginx capped at 10 streams over TLS, maxSessionsPerOrigin 4: at most 4 connections, 10 streams each',
    async () => {
      const fwd = await forwarder(nginx.narrow);
      const origin = `https://127.0.0.1:${fwd.port}`;
      const adapter = new Http2Adapter({ maxSessionsPerOrigin: 4 });
      const s = session(`${origin}/`, adapter);
      const sampler = samplePool(adapter, origin);
      const responses = await burst(s, (i) => `${origin}/small.txt?t=narrow-tls&i=${i}`, 200);
      const peaks = sampler.stop();
      expect(responses.every((r) => r.statusCode === 200 && r.httpVersion === '2')).toBe(true);
      expect(fwd.accepted).toBeGreaterThanOrEqual(1);
      expect(fwd.accepted).toBeLessThanOrEqual(4);
      const lines = await logged('narrow', 'narrow-tls', 200);
      expect(lines).toHaveLength(200);
      const conns = connectionsIn(lines);
      expect(conns.size).toBe(fwd.accepted);
      expect(peaks.sessions).toBeLessThanOrEqual(4);
      // poolStats counts streams over all sessions: never more than 10 per session.
      expect(peaks.streams).toBeLessThanOrEqual(10 * peaks.sessions);
      expect(peaks.streams).toBeLessThanOrEqual(40);
      const perConnection = [...conns].map((c) => lines.filter((l) => l.connection === c).length);
      console.info(
        `nginx narrow (10 streams) TLS, 200 requests, maxSessionsPerOrigin 4: ${fwd.accepted} TCP connections ` +
          `(nginx: ${conns.size}, requests per connection ${perConnection.join('/')}); ` +
          `poolStats peak: ${peaks.sessions} sessions, ${peaks.streams} streams, ${peaks.queued} queued`,
      );
    },
  );

  it.skipIf(skip)(
    'nginx capped at 10 streams over h2c, maxSessionsPerOrigin 4: on the wire, never more than 10 streams in flight per connection',
    async () => {
      const fwd = await forwarder(nginx.narrowH2c, true);
      const origin = `http://127.0.0.1:${fwd.port}`;
      const adapter = new Http2Adapter({ h2c: true, maxSessionsPerOrigin: 4 });
      const s = session(`${origin}/`, adapter);
      const sampler = samplePool(adapter, origin);
      const responses = await burst(s, (i) => `${origin}/small.txt?t=narrow-h2c&i=${i}`, 200);
      const peaks = sampler.stop();
      expect(responses.every((r) => r.statusCode === 200 && r.httpVersion === '2')).toBe(true);
      expect(fwd.accepted).toBeGreaterThanOrEqual(1);
      expect(fwd.accepted).toBeLessThanOrEqual(4);
      for (const c of fwd.connections) {
        expect(c.parseErrors).toEqual([]);
        expect(c.serverMaxConcurrentStreams).toBe(10);
        expect(c.peakInFlight).toBeLessThanOrEqual(10);
      }
      // Every request went out once: nginx never had to refuse a stream over its limit.
      expect(fwd.connections.reduce((n, c) => n + c.streamsOpened, 0)).toBe(200);
      const lines = await logged('narrow', 'narrow-h2c', 200);
      expect(lines).toHaveLength(200);
      expect(lines.every((l) => l.status === 200 && l.protocol === 'HTTP/2.0')).toBe(true);
      expect(connectionsIn(lines).size).toBe(fwd.accepted);
      expect(peaks.sessions).toBeLessThanOrEqual(4);
      console.info(
        `nginx narrow (10 streams) h2c, 200 requests, maxSessionsPerOrigin 4: ${fwd.accepted} TCP connections; ` +
          `per connection streams opened ${fwd.connections.map((c) => c.streamsOpened).join('/')}, ` +
          `peak in flight on the wire ${fwd.connections.map((c) => c.peakInFlight).join('/')}; ` +
          `poolStats peak: ${peaks.sessions} sessions, ${peaks.streams} streams`,
      );
    },
  );

  it.skipIf(skip)(
    'an HTTP/1.1-only https origin behind the fallback: 50 sequential requests, ONE TCP connection and ONE TLS handshake',
    async () => {
      const fwd = await forwarder(nginx.h1);
      const origin = `https://127.0.0.1:${fwd.port}`;
      const s = session(`${origin}/`, new Http2Adapter({ fallback: new UndiciAdapter() }));
      for (let i = 0; i < 50; i++) {
        const res = await s.get(`${origin}/small.txt?t=h1-seq&i=${i}`);
        expect(res.statusCode).toBe(200);
        expect(res.httpVersion).toBe('1.1');
        expect(sha256(res.content)).toBe(nginx.docroot.files['small.txt'].sha256);
      }
      expect(fwd.accepted).toBe(1);
      expect(fwd.connections.filter((c) => c.tlsClientHello)).toHaveLength(1);
      const lines = await logged('h1', 'h1-seq', 50);
      expect(lines).toHaveLength(50);
      expect(lines.every((l) => l.protocol === 'HTTP/1.1')).toBe(true);
      expect(connectionsIn(lines).size).toBe(1);
      expect(Math.max(...lines.map((l) => l.connectionRequests))).toBe(50);
      console.info(
        `nginx h1-only, fallback UndiciAdapter, 50 sequential requests: ${fwd.accepted} TCP connection, ` +
          `${fwd.connections.filter((c) => c.tlsClientHello).length} TLS ClientHello, ` +
          `${connectionsIn(lines).size} nginx $connection`,
      );
    },
  );

  it.skipIf(skip)(
    'an HTTP/1.1-only https origin behind the fallback: 50 concurrent requests, one-connection pool, ONE TLS handshake',
    async () => {
      const fwd = await forwarder(nginx.h1);
      const origin = `https://127.0.0.1:${fwd.port}`;
      const s = session(`${origin}/`, new Http2Adapter({ fallback: new UndiciAdapter({ connections: 1 }) }));
      const responses = await burst(s, (i) => `${origin}/small.txt?t=h1-burst&i=${i}`, 50);
      expect(responses.every((r) => r.statusCode === 200 && r.httpVersion === '1.1')).toBe(true);
      expect(responses.every((r) => sha256(r.content) === nginx.docroot.files['small.txt'].sha256)).toBe(
        true,
      );
      expect(fwd.accepted).toBe(1);
      expect(fwd.connections.filter((c) => c.tlsClientHello)).toHaveLength(1);
      const lines = await logged('h1', 'h1-burst', 50);
      expect(lines).toHaveLength(50);
      expect(connectionsIn(lines).size).toBe(1);
      console.info(
        `nginx h1-only, fallback UndiciAdapter({ connections: 1 }), 50 concurrent GETs: ` +
          `${fwd.accepted} TCP connection, ${connectionsIn(lines).size} nginx $connection`,
      );
    },
  );
});
