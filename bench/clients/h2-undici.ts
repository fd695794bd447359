/**
 * undici over HTTP/2: `undici.request` on an `Agent` with `allowH2` (h2 by
 * ALPN), trusting the test CA. Two rows: the Agent as the docs show it, and
 * with `pipelining` raised. undici 7 lets an h2 connection carry only
 * `pipelining` streams at once, 1 by default, so the first opens a
 * connection per request in flight (nodejs/undici#4143, fixed in undici 8).
 */
import { Agent, request } from 'undici';
import { caPem } from '../lib/tls.js';
import { type BenchClient, badStatus, type ClientDef } from './types.js';

function undiciH2Def(name: string, pipelining?: number): ClientDef {
  return {
    name,
    setup(origin, headers): BenchClient {
      const dispatcher = new Agent({
        allowH2: true,
        connect: { ca: caPem() },
        ...(pipelining === undefined ? {} : { pipelining }),
      });
      const postHeaders = { ...headers, 'content-type': 'application/json' };
      return {
        async get(path, as) {
          const { statusCode, body } = await request(origin + path, { dispatcher, headers });
          if (statusCode !== 200) {
            await body.dump();
            throw badStatus(name, statusCode);
          }
          return as === 'json' ? body.json() : (await body.arrayBuffer()).byteLength;
        },
        async postJson(path, obj) {
          const { statusCode, body } = await request(origin + path, {
            dispatcher,
            method: 'POST',
            headers: postHeaders,
            body: JSON.stringify(obj),
          });
          if (statusCode !== 200) {
            await body.dump();
            throw badStatus(name, statusCode);
          }
          return body.json();
        },
        close: () => dispatcher.close(),
      };
    },
  };
}

/** `new Agent({ allowH2: true, connect: { ca } })`. */
export const undiciHttp2 = undiciH2Def('undici.request (allowH2)');
/** The same with `pipelining: 100`: 100 streams per connection, undici's default `maxConcurrentStreams`. */
export const undiciHttp2Multiplexed = undiciH2Def('undici.request (allowH2, pipelining: 100)', 100);
