import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Session } from '@sess/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Http2Adapter } from '../src/index.js';
import { tlsFiles } from './support/fixtures.js';
import { FLAG, FRAME, frame, literal, PREFACE, settingsFrame } from './support/frames.js';
import { type Forwarder, startForwarder } from './support/interop-forwarder.js';
import { burst, samplePool } from './support/interop-load.js';
import { interopSkip, type NghttpdServer, sha256, startNghttpd } from './support/interop-servers.js';
import { until } from './support/send.js';

// Debian's nghttpd (nghttp2-server) as child processes: TLS (`nghttpd <port> <key> <cert>`) and
// cleartext h2c (`--no-tls`), serving a docroot (`-d`) and echoing POST bodies (`--echo-upload`).
const { skip } = interopSkip('nghttpd', 'nghttp2-server');

let tls: NghttpdServer;
let h2c: NghttpdServer;
let narrow: NghttpdServer;
const closers: Array<() => Promise<unknown>> = [];

let startError: unknown;

beforeAll(async () => {
  if (skip) return;
  const started = await Promise.allSettled([
    startNghttpd({ tls: true, maxConcurrentStreams: 250 }),
    startNghttpd({ tls: false, maxConcurrentStreams: 250 }),
    startNghttpd({ tls: false, maxConcurrentStreams: 10 }),
  ]);
  const [a, b, c] = started.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
  if (a) tls = a;
  if (b) h2c = b;
  if (c) narrow = c;
  startError = started.find((r) => r.status === 'rejected')?.reason;
});

// A server that did not start fails every test (counted as failures, not a hook error).
beforeEach(() => {
  if (startError) throw startError;
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

afterAll(async () => {
  await Promise.all([tls?.close(), h2c?.close(), narrow?.close()]);
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

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

describe('interop: nghttpd', () => {
  for (const mode of ['TLS', 'h2c'] as const) {
    it.skipIf(skip)(`${mode}: GET a small and a 1 MiB file, POST uploads echoed intact`, async () => {
      const server = mode === 'TLS' ? tls : h2c;
      const s = session(`${server.origin}/`, new Http2Adapter({ h2c: mode === 'h2c' }));
      for (const name of ['small.txt', 'big.bin'] as const) {
        const res = await s.get(`${server.origin}/${name}`);
        expect(res.statusCode).toBe(200);
        expect(res.httpVersion).toBe('2');
        expect(res.headers.get('server')).toMatch(/^nghttpd/);
        expect(res.content.byteLength).toBe(server.docroot.files[name].bytes.byteLength);
        expect(sha256(res.content)).toBe(server.docroot.files[name].sha256);
      }
      // A 1 MiB body in one piece, and a 3 MiB one streamed in 64 KiB chunks (flow control both ways).
      const upload = randomBytes(1024 * 1024);
      const echoed = await s.post(`${server.origin}/upload`, { data: upload });
      expect(echoed.statusCode).toBe(200);
      expect(echoed.headers.get('nghttpd-response')).toBe('echo');
      expect(sha256(echoed.content)).toBe(sha256(upload));
      const streamed = randomBytes(3 * 1024 * 1024);
      const res = await s.post(`${server.origin}/upload`, { data: chunks(streamed, 64 * 1024) });
      expect(res.statusCode).toBe(200);
      expect(res.content.byteLength).toBe(streamed.byteLength);
      expect(sha256(res.content)).toBe(sha256(streamed));
    });
  }

  it.skipIf(skip)(
    'TLS: 200 concurrent requests on a cold pool use ONE connection (nghttpd -m 250)',
    async () => {
      const fwd = await forwarder(tls.port);
      const origin = `https://127.0.0.1:${fwd.port}`;
      const adapter = new Http2Adapter();
      const s = session(`${origin}/`, adapter);
      const sampler = samplePool(adapter, origin);
      const responses = await burst(s, (i) => `${origin}/small.txt?i=${i}`, 200);
      const peaks = sampler.stop();
      expect(responses.every((r) => r.statusCode === 200 && r.httpVersion === '2')).toBe(true);
      expect(responses.every((r) => sha256(r.content) === tls.docroot.files['small.txt'].sha256)).toBe(true);
      expect(fwd.accepted).toBe(1);
      expect(fwd.connections[0]?.tlsClientHello).toBe(true);
      expect(peaks.sessions).toBe(1);
      console.info(
        `nghttpd TLS -m 250, 200 cold requests: ${fwd.accepted} TCP connection; ` +
          `poolStats peak ${peaks.sessions} session, ${peaks.streams} streams`,
      );
    },
  );

  it.skipIf(skip)(
    'h2c: 200 concurrent requests on a cold pool use ONE connection, all 200 streams in flight at once on the wire',
    async () => {
      const fwd = await forwarder(h2c.port, true);
      const origin = `http://127.0.0.1:${fwd.port}`;
      const adapter = new Http2Adapter({ h2c: true });
      const s = session(`${origin}/`, adapter);
      const responses = await burst(s, (i) => `${origin}/small.txt?i=${i}`, 200);
      expect(responses.every((r) => r.statusCode === 200 && r.httpVersion === '2')).toBe(true);
      expect(fwd.accepted).toBe(1);
      const [c] = fwd.connections;
      expect(c?.parseErrors).toEqual([]);
      expect(c?.serverMaxConcurrentStreams).toBe(250);
      expect(c?.streamsOpened).toBe(200);
      expect(c?.peakInFlight).toBeLessThanOrEqual(250);
      console.info(
        `nghttpd h2c -m 250, 200 cold requests: ${fwd.accepted} TCP connection, ` +
          `${c?.streamsOpened} streams, peak ${c?.peakInFlight} in flight on the wire`,
      );
    },
  );

  it.skipIf(skip)(
    'h2c capped at 10 streams (nghttpd -m 10), maxSessionsPerOrigin 4: at most 4 connections, never more than 10 streams each',
    async () => {
      const fwd = await forwarder(narrow.port, true);
      const origin = `http://127.0.0.1:${fwd.port}`;
      const adapter = new Http2Adapter({ h2c: true, maxSessionsPerOrigin: 4 });
      const s = session(`${origin}/`, adapter);
      const sampler = samplePool(adapter, origin);
      const responses = await burst(s, (i) => `${origin}/small.txt?i=${i}`, 200);
      const peaks = sampler.stop();
      expect(responses.every((r) => r.statusCode === 200 && r.httpVersion === '2')).toBe(true);
      expect(fwd.accepted).toBeGreaterThanOrEqual(1);
      expect(fwd.accepted).toBeLessThanOrEqual(4);
      for (const c of fwd.connections) {
        expect(c.parseErrors).toEqual([]);
        expect(c.serverMaxConcurrentStreams).toBe(10);
        expect(c.peakInFlight).toBeLessThanOrEqual(10);
      }
      expect(fwd.connections.reduce((n, c) => n + c.streamsOpened, 0)).toBe(200);
      expect(peaks.sessions).toBeLessThanOrEqual(4);
      expect(peaks.streams).toBeLessThanOrEqual(40);
      console.info(
        `nghttpd h2c -m 10, 200 requests, maxSessionsPerOrigin 4: ${fwd.accepted} TCP connections; ` +
          `streams opened ${fwd.connections.map((c) => c.streamsOpened).join('/')}, ` +
          `peak in flight on the wire ${fwd.connections.map((c) => c.peakInFlight).join('/')}`,
      );
    },
  );

  it.skipIf(skip)(
    'control: the wire counter sees a raw client that ignores the 10-stream limit (20 HEADERS at once)',
    async () => {
      const fwd = await forwarder(narrow.port, true);
      const socket = connect(fwd.port, '127.0.0.1');
      closers.push(async () => socket.destroy());
      socket.on('error', () => {});
      await once(socket, 'connect');
      const request = Buffer.concat([
        literal(':method', 'GET'),
        literal(':scheme', 'http'),
        literal(':authority', `127.0.0.1:${narrow.port}`),
        literal(':path', '/small.txt'),
      ]);
      const headers = Array.from({ length: 20 }, (_, i) =>
        frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 2 * i + 1, request),
      );
      socket.write(Buffer.concat([PREFACE, settingsFrame(), ...headers]));
      socket.resume();
      // Done when every stream was answered or refused, and nghttpd's SETTINGS went by.
      await until(() => {
        const c = fwd.connections[0];
        return (
          c !== undefined &&
          c.streamsOpened === 20 &&
          c.inFlight === 0 &&
          c.serverMaxConcurrentStreams !== undefined
        );
      }, 3000);
      const c = fwd.connections[0];
      expect(c?.parseErrors).toEqual([]);
      expect(c?.serverMaxConcurrentStreams).toBe(10);
      expect(c?.streamsOpened).toBe(20);
      expect(c?.peakInFlight).toBe(20);
      console.info(
        `control, raw client: ${c?.streamsOpened} streams opened, peak ${c?.peakInFlight} in flight seen`,
      );
    },
  );
});
