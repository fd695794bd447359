import type { HooksInit } from './hooks.js';
import { withSignal } from './hop-options.js';
import type { PreparedRequest } from './prepared-request.js';
import type { Response } from './response.js';
import type { SendFn, SendOptions } from './send-options.js';

/**
 * A plugin attaches through `session.use(plugin)`: retry, logging, a cache,
 * or your own. Its whole context is the hop's `options` (deadline, signal,
 * extensions, ...) and `next`, the rest of the chain: it never sees the
 * Session.
 *
 * `send` runs for every hop (each redirect hop and each hook re-send, such as
 * digest's second request). It may call `next` once, several times (retry)
 * or not at all (a cache hit: return a Response of its own, which the session
 * treats like any other). It sees the response before the session reads its
 * body or stores its cookies, and may read it (`await res.read()`), replace
 * it or throw.
 *
 * Order: in the order added, the first outermost. With `use(a); use(b)` a
 * request passes a, then b, then the adapter; the response comes back
 * through b, then a. The chain is composed once per `use()`, and the plugin
 * object is used as given, so state kept on it (or in a closure that made
 * it) lives as long as the plugin.
 */
export interface Plugin {
  /** Shown in errors and logs. */
  readonly name: string;
  /** One hop: call `next` to go on, or answer yourself. */
  send?(request: PreparedRequest, options: SendOptions, next: SendFn): Promise<Response>;
  /**
   * Hooks of the plugin, run after the session's and before the request's,
   * at every stage. They live with the plugin, not in `session.hooks`.
   */
  readonly hooks?: HooksInit;
}

/** Composes `plugins` (first outermost) around `last`. */
export function composePlugins(plugins: readonly Plugin[], last: SendFn): SendFn {
  let send = last;
  for (let i = plugins.length - 1; i >= 0; i--) {
    const plugin = plugins[i] as Plugin;
    if (!plugin.send) continue;
    const withSend = plugin as Required<Pick<Plugin, 'send'>>;
    const inner = send;
    // What the plugin hands on gets its signal back if a spread lost it (see withSignal).
    const next: SendFn = (request, options) => inner(request, withSignal(options));
    // A method call, so a plugin written as a class keeps its `this`.
    send = (request, options) => withSend.send(request, options, next);
  }
  return send;
}
