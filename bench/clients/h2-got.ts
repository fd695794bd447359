/**
 * got over HTTP/2: `http2: true` (http2-wrapper, h2 by ALPN) on its own
 * http2-wrapper Agent, so that closing the row closes its sessions;
 * retries off, the test CA trusted.
 */
import got from 'got';
import http2wrapper from 'http2-wrapper';
import { caPem } from '../lib/tls.js';
import type { BenchClient, ClientDef } from './types.js';

export const gotHttp2: ClientDef = {
  name: 'got (http2: true)',
  setup(origin, headers): BenchClient {
    const agent = new http2wrapper.Agent();
    // got throws HTTPError for any status outside 2xx; the server answers 200 or an error status.
    const api = got.extend({
      http2: true,
      headers,
      https: { certificateAuthority: caPem() },
      agent: { http2: agent },
      retry: { limit: 0 },
    });
    return {
      async get(path, as) {
        if (as === 'json') return api.get(origin + path).json();
        return (await api.get(origin + path).buffer()).byteLength;
      },
      postJson: (path, body) => api.post(origin + path, { json: body }).json(),
      close: async () => agent.destroy(),
    };
  },
};
