import type { PreparedRequest } from '@sess/core';
import type { SendScope } from './scope.js';

/** What one Exchange is given: the request, its send's scope, and its own clocks' budgets. */
export interface ExchangeInit {
  request: PreparedRequest;
  scope: SendScope;
  viaProxy: boolean;
  /**
   * Milliseconds from dispatch until a pooled connection takes the request
   * (0: no limit). Only measurable with the adapter's own pools.
   */
  poolTimeout: number;
  /**
   * Milliseconds from a connection taking the request until it is written
   * (0: no limit): connecting, TLS, proxy tunnel. Never the pool wait.
   */
  connectTimeout: number;
  /** Milliseconds the server may stay silent (0: no limit). */
  readTimeout: number;
  /**
   * undici will keep the connection after this request as far as the request
   * goes: not a HEAD, no `Connection: close`, no body on a method that does
   * not expect one (undici closes the connection after those).
   */
  keepsConnection: boolean;
  /** `performance.now()` when send() began, for `elapsed`. */
  startedAt: number;
}
