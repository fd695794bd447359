/**
 * Every client row, in table order. Adding a row (an HTTP/2 client,
 * `session.fetch`, ...) is one module exporting a `ClientDef`, listed here.
 */
import { axiosClient } from './axios.js';
import { gotClient } from './got.js';
import { kyClient } from './ky.js';
import { nodeHttp } from './node-http.js';
import { sess } from './sess.js';
import { sessFetch } from './sess-fetch.js';
import type { ClientDef } from './types.js';
import { undiciFetch } from './undici-fetch.js';
import { undiciPool } from './undici-pool.js';
import { undiciRequest } from './undici-request.js';

export { sessEmptyJar, sessFullJar, sessTimeout } from './sess.js';
export type { BenchClient, BodyKind, ClientDef } from './types.js';
export { BASELINE } from './undici-pool.js';
export { sess, sessFetch, undiciPool };

/** The clients of the scenarios that compare libraries: (a), (b), (c) and (e). */
export const ALL_CLIENTS: readonly ClientDef[] = [
  undiciPool,
  sess,
  undiciRequest,
  undiciFetch,
  sessFetch,
  nodeHttp,
  gotClient,
  axiosClient,
  kyClient,
];
