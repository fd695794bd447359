/** The baseline: undici's Pool for one origin, driven with `pool.request`. Every ratio is against it. */
import { Pool } from 'undici';
import { type BenchClient, badStatus, type ClientDef } from './types.js';

export const BASELINE = 'undici Pool';

export const undiciPool: ClientDef = {
  name: BASELINE,
  setup(origin, headers): BenchClient {
    const pool = new Pool(origin);
    const postHeaders = { ...headers, 'content-type': 'application/json' };
    return {
      async get(path, as) {
        const { statusCode, body } = await pool.request({ path, method: 'GET', headers });
        if (statusCode !== 200) {
          await body.dump();
          throw badStatus(BASELINE, statusCode);
        }
        return as === 'json' ? body.json() : (await body.arrayBuffer()).byteLength;
      },
      async postJson(path, obj) {
        const payload = JSON.stringify(obj);
        const { statusCode, body } = await pool.request({
          path,
          method: 'POST',
          headers: postHeaders,
          body: payload,
        });
        if (statusCode !== 200) {
          await body.dump();
          throw badStatus(BASELINE, statusCode);
        }
        return body.json();
      },
      close: () => pool.close(),
    };
  },
};
