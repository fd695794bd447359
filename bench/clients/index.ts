/**
 * Every client row, in table order. Adding a row (another library, a
 * configuration of sess) is one module exporting a `ClientDef`, listed here
 * or in a scenario's `clients` (`scenarios.ts`).
 */
import { axiosClient } from './axios.js';
import { gotClient } from './got.js';
import { gotHttp2 } from './h2-got.js';
import { nodeHttp2 } from './h2-node.js';
import { sessHttp2 } from './h2-sess.js';
import { undiciHttp2, undiciHttp2Multiplexed } from './h2-undici.js';
import { kyClient } from './ky.js';
import { nodeHttp } from './node-http.js';
import { sess } from './sess.js';
import { sessFetch } from './sess-fetch.js';
import type { ClientDef } from './types.js';
import { undiciFetch } from './undici-fetch.js';
import { undiciPool } from './undici-pool.js';
import { undiciRequest } from './undici-request.js';

export { H2_BASELINE } from './h2-node.js';
export { sessEmptyJar, sessFullJar, sessTimeout } from './sess.js';
export {
  sessDiagnostics,
  sessLoggingError,
  sessLoggingNoop,
  sessLoggingSilent,
} from './sess-instrumented.js';
export type { BenchClient, BodyKind, ClientDef } from './types.js';
export { BASELINE } from './undici-pool.js';
export { sess, sessFetch, undiciPool };

/** The clients of the HTTP/1.1 scenarios that compare libraries: (a), (b), (c) and (e). */
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

/** The clients of the HTTP/2 scenario (h), against the h2-only TLS server; node:http2 is its baseline. */
export const H2_CLIENTS: readonly ClientDef[] = [
  nodeHttp2,
  sessHttp2,
  undiciHttp2,
  undiciHttp2Multiplexed,
  gotHttp2,
];
