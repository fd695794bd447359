/** axios on its Node http adapter, with a keep-alive http.Agent. */
import { Agent } from 'node:http';
import axios from 'axios';
import type { BenchClient, ClientDef } from './types.js';

export const axiosClient: ClientDef = {
  name: 'axios',
  setup(origin, headers): BenchClient {
    const agent = new Agent({ keepAlive: true });
    const api = axios.create({
      headers,
      httpAgent: agent,
      // Rejects anything but 200, like the other rows.
      validateStatus: (status) => status === 200,
    });
    return {
      // axios parses JSON bodies itself (responseType 'json' is its default).
      get: async (path, as) =>
        as === 'json'
          ? (await api.get<unknown>(origin + path)).data
          : (await api.get<ArrayBuffer>(origin + path, { responseType: 'arraybuffer' })).data.byteLength,
      postJson: async (path, body) => (await api.post<unknown>(origin + path, body)).data,
      close: async () => agent.destroy(),
    };
  },
};
