import type { PreparedRequest } from './prepared-request.js';
import type { Response } from './response.js';
import type { Timeout } from './timeout.js';

/** Proxy URLs by key: `http`, `https`, `all`, or `scheme://host` for one host. */
export type Proxies = Record<string, string>;

/** What the session hands an adapter along with each request. */
export interface SendOptions {
  /** `false`: the adapter (or the session) reads the whole body before resolving. */
  stream: boolean;
  /** Milliseconds; see `Timeout`. `null` means no limit. */
  timeout: Timeout | null;
  /** `true` verifies TLS against Node's CAs, `false` disables checks, a string is a CA bundle path. */
  verify: boolean | string;
  /** A client certificate: a PEM file holding cert and key, or `[certPath, keyPath]`. */
  cert: string | readonly [string, string] | null;
  /** The proxies that apply (environment already merged in); pick one with `selectProxy`. */
  proxies: Proxies;
  /** Cancels the request at any stage. */
  signal?: AbortSignal | undefined;
}

/**
 * A transport: turns one PreparedRequest into one Response (requests'
 * `BaseAdapter`). An adapter makes exactly one hop: it never follows
 * redirects, never retries a request that reached the server, and never
 * touches cookies. It maps its own failures onto sess's error classes.
 */
export interface Adapter {
  send(request: PreparedRequest, options: SendOptions): Promise<Response>;
  /** Releases every pooled connection. A closed adapter may refuse further sends. */
  close(): Promise<void>;
}

/** The single-hop send that plugins wrap. */
export type SendFn = (request: PreparedRequest, options: SendOptions) => Promise<Response>;
