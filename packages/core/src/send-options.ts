import type { Subjects } from './subjects.js';
import type { TimeoutConfig } from './timeout.js';

// Through the registry (subjects.ts): hooks, below PreparedRequest, are given these options.
type PreparedRequest = Subjects['PreparedRequest'];
type Response = Subjects['Response'];

/** Proxy URLs by key: `http`, `https`, `all`, or `scheme://host` for one host. */
export type Proxies = Record<string, string>;

/**
 * Per-request settings for plugins and adapters (httpx's `extensions`): an
 * open bag that reaches every plugin and the adapter unchanged. Plugins type
 * their own key by augmenting this interface:
 *
 * ```ts
 * declare module '@sess/core' {
 *   interface Extensions { retry?: false | RetryOptions }
 * }
 * ```
 */
export interface Extensions {
  [key: string]: unknown;
}

/** What the session hands each plugin and, at the end of the chain, the adapter, for one hop. */
export interface SendOptions {
  /**
   * `true`: the caller reads the body lazily. Informational for plugins and
   * adapters: an adapter always hands the body over unread, and the session
   * reads it after the plugin chain when this is `false`.
   */
  readonly stream: boolean;
  /**
   * The request's timeout, normalised once by the session. Adapters keep the
   * clocks that are theirs: `connect`, `read` and `pool`. `total` is the
   * session's: see `deadline` and `signal`.
   */
  readonly timeout: TimeoutConfig;
  /**
   * `performance.now()` value by which the whole request must be done
   * (`timeout.total`), or `undefined`. `signal` fires then too.
   */
  readonly deadline: number | undefined;
  /**
   * Fires when the caller aborts (reason: their reason, mapped to AbortError)
   * or at the deadline (reason: a TimeoutError). `abortReason()` turns it
   * into the error to throw. The session makes it when it is first read (an
   * AbortSignal is costly): `stopOf(options)` gives the same as a
   * RequestStop without making one, for adapters and plugins on a hot path.
   */
  readonly signal: AbortSignal | undefined;
  /** `true` verifies TLS against Node's CAs, `false` disables checks, a string is a CA bundle path. */
  readonly verify: boolean | string;
  /** A client certificate: a PEM file holding cert and key, or `[certPath, keyPath]`. */
  readonly cert: string | readonly [string, string] | null;
  /** The proxies that apply (environment already merged in); pick one with `selectProxy`. */
  readonly proxies: Proxies;
  /** Per-request settings for plugins and the adapter; never `undefined`. */
  readonly extensions: Extensions;
  /**
   * Decoded body bytes allowed for this request (`maxResponseSize`, request >
   * session); `undefined`: no limit. A plugin that reads a body inside the
   * chain calls `res.limitBody({ maxSize: options.maxResponseSize, signal:
   * options.signal })` before `res.read()`, so the limit holds there too.
   */
  readonly maxResponseSize?: number | undefined;
}

/** One hop: what a plugin calls to go on, and what the adapter ends. */
export type SendFn = (request: PreparedRequest, options: SendOptions) => Promise<Response>;
