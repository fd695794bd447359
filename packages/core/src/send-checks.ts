import type { ProgressCallback } from './progress.js';
import type { Extensions } from './send-options.js';
import type { Timeout } from './timeout.js';

/**
 * Options of `session.send()` (and the transport part of `request()`'s).
 * Each is merged with the session's and the environment's (request >
 * session > environment > defaults); `proxies` are merged again for every
 * redirect hop, since NO_PROXY depends on the host.
 */
export interface SessionSendOptions {
  /** Hand the body over unread; default `session.stream`. */
  stream?: boolean | undefined;
  /** Milliseconds; default `session.timeout`. `null`: no limit. */
  timeout?: Timeout | null | undefined;
  /** TLS verification; default `session.verify`, then the environment's CA bundle, then `true`. */
  verify?: boolean | string | undefined;
  /** Client certificate; default `session.cert`. */
  cert?: string | readonly [string, string] | null | undefined;
  /** The request's own proxies, merged with the session's and the environment's per hop. */
  proxies?: Record<string, string | null> | null | undefined;
  /** Cancels the request at any stage. */
  signal?: AbortSignal | undefined;
  /** Follow redirects; default `true`. */
  allowRedirects?: boolean | undefined;
  /** Redirects followed before TooManyRedirectsError; default `session.maxRedirects`. */
  maxRedirects?: number | undefined;
  /** Decoded body bytes allowed; default `session.maxResponseSize`; `null`: no limit. */
  maxResponseSize?: number | null | undefined;
  /** Per-request settings for plugins and the adapter. */
  extensions?: Extensions | undefined;
  /** Upload progress, at most every 50 ms and once at the end. */
  onUploadProgress?: ProgressCallback | undefined;
  /** Download progress of the decoded body, at most every 50 ms and once at the end. */
  onDownloadProgress?: ProgressCallback | undefined;
}

function hasKeys(o: object): boolean {
  for (const _key in o) return true;
  return false;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Run-time checks of the transport options, for plain-JavaScript callers:
 * a wrong type is a TypeError naming the option and what was given, before
 * anything is sent. Cheap: a few `typeof`s for the options that are set.
 */
export function checkSendOptions(o: SessionSendOptions): void {
  // Most calls pass no options at all: nothing to check.
  if (!hasKeys(o)) return;
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal))
    throw new TypeError(`signal must be an AbortSignal, got ${describe(o.signal)}`);
  if (o.stream !== undefined && typeof o.stream !== 'boolean')
    throw new TypeError(`stream must be a boolean, got ${describe(o.stream)}`);
  if (o.allowRedirects !== undefined && typeof o.allowRedirects !== 'boolean')
    throw new TypeError(`allowRedirects must be a boolean, got ${describe(o.allowRedirects)}`);
  if (o.maxRedirects !== undefined && !(Number.isInteger(o.maxRedirects) && o.maxRedirects >= 0))
    throw new TypeError(`maxRedirects must be an integer >= 0, got ${describe(o.maxRedirects)}`);
  const max = o.maxResponseSize;
  if (max !== undefined && max !== null && !(typeof max === 'number' && max >= 0 && !Number.isNaN(max)))
    throw new TypeError(`maxResponseSize must be a number of bytes >= 0 or null, got ${describe(max)}`);
  if (o.extensions !== undefined && (typeof o.extensions !== 'object' || o.extensions === null))
    throw new TypeError(`extensions must be an object, got ${describe(o.extensions)}`);
  for (const name of ['onUploadProgress', 'onDownloadProgress'] as const) {
    const fn = o[name];
    if (fn !== undefined && typeof fn !== 'function')
      throw new TypeError(`${name} must be a function, got ${describe(fn)}`);
  }
  const t = (o as { throwHttpErrors?: unknown }).throwHttpErrors;
  if (t !== undefined && typeof t !== 'boolean')
    throw new TypeError(`throwHttpErrors must be a boolean, got ${describe(t)}`);
  if (o.verify !== undefined && typeof o.verify !== 'boolean' && typeof o.verify !== 'string')
    throw new TypeError(`verify must be a boolean or a CA bundle path, got ${describe(o.verify)}`);
}
