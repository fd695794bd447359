/** got with a keep-alive http.Agent; retries off so a failure is not hidden (or repeated) by the client. */
import { Agent } from 'node:http';
import got from 'got';
import type { BenchClient, ClientDef } from './types.js';

export const gotClient: ClientDef = {
  name: 'got',
  setup(origin, headers): BenchClient {
    const agent = new Agent({ keepAlive: true });
    // got throws HTTPError for any status outside 2xx; the server answers 200 or an error status.
    const api = got.extend({ headers, agent: { http: agent }, retry: { limit: 0 } });
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
