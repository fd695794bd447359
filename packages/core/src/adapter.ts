import type { PreparedRequest } from './prepared-request.js';
import type { Response } from './response.js';
import type { SendOptions } from './send-options.js';

/**
 * A transport: turns one PreparedRequest into one Response (requests'
 * `BaseAdapter`, httpx's transport). An adapter makes exactly one hop: it
 * never follows redirects, never retries a request that reached the server,
 * never touches cookies, and hands the body over unread as a `BodySource`
 * (core decodes, bounds and times it). It honours `options.signal` at every
 * stage, keeps the `connect`, `read` and `pool` clocks of `options.timeout`,
 * and maps its own failures onto sess's error classes.
 * `adapterConformance()` from `@sess/testkit` checks all of this.
 */
export interface Adapter {
  send(request: PreparedRequest, options: SendOptions): Promise<Response>;
  /** Releases every pooled connection. A closed adapter may refuse further sends. */
  close(): Promise<void>;
}
