/**
 * The HTTP/2 baseline: node:http2 by hand, one `ClientHttp2Session` and a
 * `session.request()` per request, the whole body read. Every ratio of the
 * HTTP/2 scenario is against it.
 */
import { once } from 'node:events';
import { connect, type OutgoingHttpHeaders } from 'node:http2';
import { caPem } from '../lib/tls.js';
import { type BenchClient, badStatus, type ClientDef } from './types.js';

export const H2_BASELINE = 'node:http2';

export const nodeHttp2: ClientDef = {
  name: H2_BASELINE,
  async setup(origin, headers): Promise<BenchClient> {
    const session = connect(origin, { ca: caPem() });
    // A failing session fails its streams, and so their requests; this keeps it from crashing the process.
    session.on('error', () => {});
    await once(session, 'connect');

    function send(method: string, path: string, hdrs: OutgoingHttpHeaders, body?: string): Promise<Buffer> {
      return new Promise((resolve, reject) => {
        const stream = session.request(
          { ':method': method, ':path': path, ...hdrs },
          { endStream: body === undefined },
        );
        let status = 0;
        const chunks: Buffer[] = [];
        stream.on('response', (h) => {
          status = Number(h[':status']);
        });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (status !== 200) reject(badStatus(H2_BASELINE, status));
          else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
        });
        stream.on('error', reject);
        if (body !== undefined) stream.end(body);
      });
    }

    return {
      async get(path, as) {
        const buf = await send('GET', path, headers);
        return as === 'json' ? JSON.parse(buf.toString('utf8')) : buf.byteLength;
      },
      async postJson(path, obj) {
        const payload = JSON.stringify(obj);
        const hdrs = {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        };
        return JSON.parse((await send('POST', path, hdrs, payload)).toString('utf8'));
      },
      close: () => new Promise<void>((resolve) => session.close(resolve)),
    };
  },
};
