/** `undici.request(url)`: the same engine as the Pool row, through the global dispatcher (an Agent). */
import { request } from 'undici';
import { type BenchClient, badStatus, type ClientDef } from './types.js';

const NAME = 'undici.request';

export const undiciRequest: ClientDef = {
  name: NAME,
  setup(origin, headers): BenchClient {
    const postHeaders = { ...headers, 'content-type': 'application/json' };
    return {
      async get(path, as) {
        const { statusCode, body } = await request(origin + path, { headers });
        if (statusCode !== 200) {
          await body.dump();
          throw badStatus(NAME, statusCode);
        }
        return as === 'json' ? body.json() : (await body.arrayBuffer()).byteLength;
      },
      async postJson(path, obj) {
        const payload = JSON.stringify(obj);
        const { statusCode, body } = await request(origin + path, {
          method: 'POST',
          headers: postHeaders,
          body: payload,
        });
        if (statusCode !== 200) {
          await body.dump();
          throw badStatus(NAME, statusCode);
        }
        return body.json();
      },
      // The global dispatcher is shared with fetch and ky: it is not this row's to close.
      close: async () => {},
    };
  },
};
