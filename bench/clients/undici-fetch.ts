/** `fetch` from the undici package (not Node's bundled copy), on undici's global dispatcher. */
import { fetch } from 'undici';
import { type BenchClient, badStatus, type ClientDef } from './types.js';

const NAME = 'undici.fetch';

export const undiciFetch: ClientDef = {
  name: NAME,
  setup(origin, headers): BenchClient {
    const postHeaders = { ...headers, 'content-type': 'application/json' };
    return {
      async get(path, as) {
        const res = await fetch(origin + path, { headers });
        if (res.status !== 200) {
          await res.arrayBuffer();
          throw badStatus(NAME, res.status);
        }
        return as === 'json' ? res.json() : (await res.arrayBuffer()).byteLength;
      },
      async postJson(path, obj) {
        const res = await fetch(origin + path, {
          method: 'POST',
          headers: postHeaders,
          body: JSON.stringify(obj),
        });
        if (res.status !== 200) {
          await res.arrayBuffer();
          throw badStatus(NAME, res.status);
        }
        return res.json();
      },
      close: async () => {},
    };
  },
};
