import type { RequestOptions } from '../request.js';
import type { Response as CoreResponse } from '../response.js';
import type { Extensions } from '../send-options.js';
import type { Timeout } from '../timeout.js';

/**
 * What `sessionFetch` needs from a session: its public `request()`. Typed
 * structurally so that this folder never imports session.ts (which imports
 * this folder to offer `session.fetch`).
 */
export interface FetchSession {
  request(method: string, url: string | URL, options?: RequestOptions): Promise<CoreResponse>;
}

/**
 * The global `RequestInit`, plus what sess adds per call. Everything a
 * fetch caller passes keeps its meaning; these two are sess's own.
 */
export type SessFetchInit = RequestInit & {
  /** This call's timeout (ms or `{ connect, read, pool, total }`); `null` waits forever. Default: the session's. */
  timeout?: Timeout | null | undefined;
  /** Per-request settings for plugins and the adapter, e.g. `{ retry: false }`. */
  extensions?: Extensions | undefined;
  /**
   * fetch's cache mode (missing from Node's `RequestInit` typings): becomes
   * `extensions.cache`, which @sess/plugin-cache reads. Without that plugin
   * nothing is cached, whatever the mode.
   */
  cache?: FetchCacheMode | undefined;
};

/** fetch's cache modes (Node's typings have no global name for them). */
export type FetchCacheMode =
  | 'default'
  | 'no-store'
  | 'reload'
  | 'no-cache'
  | 'force-cache'
  | 'only-if-cached';

/**
 * A WHATWG fetch: the signature of the global `fetch`, so it can be given
 * to any SDK that takes a `fetch` option.
 */
export type SessFetch = (input: string | URL | Request, init?: SessFetchInit) => Promise<Response>;

/** Hooks into one fetch call's life, for callers that own the session (the `sess` package's throw-away one). */
export interface FetchLifecycle {
  /**
   * Called once when the call no longer needs the session: it failed, or
   * its response body was read to the end, errored or was cancelled (at
   * once for a response without a body).
   */
  onDone?: (() => void) | undefined;
}
