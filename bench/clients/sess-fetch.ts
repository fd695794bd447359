/**
 * `session.fetch`: the WHATWG fetch facade over the batteries-included
 * Session, read the way fetch users read bodies (`json()`, `arrayBuffer()`).
 * Compare with `undici.fetch`: the same API, undici's own implementation.
 */
import { createFetch } from '@sess/core';
import { Session } from 'sess';
import { type BenchClient, badStatus, type ClientDef } from './types.js';

const NAME = 'sess.fetch';
const JSON_HEADERS = { 'content-type': 'application/json' };

export const sessFetch: ClientDef = {
  name: NAME,
  // The session sends sess's default headers itself, as the `sess` row does.
  setup(origin): BenchClient {
    const s = new Session();
    const fetch = createFetch(s);
    return {
      async get(path, as) {
        const res = await fetch(origin + path);
        if (res.status !== 200) {
          await res.arrayBuffer();
          throw badStatus(NAME, res.status);
        }
        return as === 'json' ? res.json() : (await res.arrayBuffer()).byteLength;
      },
      async postJson(path, obj) {
        const res = await fetch(origin + path, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: JSON.stringify(obj),
        });
        if (res.status !== 200) {
          await res.arrayBuffer();
          throw badStatus(NAME, res.status);
        }
        return res.json();
      },
      close: () => s.close(),
    };
  },
};
