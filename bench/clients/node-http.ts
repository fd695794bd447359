/** node:http's request with a keep-alive Agent: what a hand-written client on the standard library costs. */
import { Agent, type OutgoingHttpHeaders, request } from 'node:http';
import { type BenchClient, badStatus, type ClientDef } from './types.js';

const NAME = 'node:http';

export const nodeHttp: ClientDef = {
  name: NAME,
  setup(origin, headers): BenchClient {
    const agent = new Agent({ keepAlive: true });
    const { hostname, port } = new URL(origin);

    function send(method: string, path: string, hdrs: OutgoingHttpHeaders, body?: string): Promise<Buffer> {
      return new Promise((resolve, reject) => {
        const req = request({ hostname, port, path, method, headers: hdrs, agent }, (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(badStatus(NAME, res.statusCode ?? 0));
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    }

    return {
      async get(path, as) {
        const buf = await send('GET', path, headers);
        return as === 'json' ? JSON.parse(buf.toString('utf8')) : buf.byteLength;
      },
      async postJson(path, obj) {
        const payload = JSON.stringify(obj);
        // Content-Length as the other clients send it; without it node:http would switch to chunked.
        const hdrs = {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        };
        return JSON.parse((await send('POST', path, hdrs, payload)).toString('utf8'));
      },
      close: async () => agent.destroy(),
    };
  },
};
