/** ky on Node's global fetch; retries and its own timeout off, as for the other rows. */
import ky from 'ky';
import type { BenchClient, ClientDef } from './types.js';

export const kyClient: ClientDef = {
  name: 'ky',
  setup(origin, headers): BenchClient {
    // ky throws HTTPError for a status outside 2xx.
    const api = ky.create({ headers, retry: 0, timeout: false });
    return {
      async get(path, as) {
        if (as === 'json') return api.get(origin + path).json();
        return (await api.get(origin + path).arrayBuffer()).byteLength;
      },
      postJson: (path, body) => api.post(origin + path, { json: body }).json(),
      close: async () => {},
    };
  },
};
