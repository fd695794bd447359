import type { SendFn } from './adapter.js';
import type { HooksInit } from './hooks.js';
import type { Session } from './session.js';

/**
 * A plugin attaches through `session.use(plugin)`. It may wrap the
 * single-hop send (what retry and logging need: every redirect hop and every
 * digest re-send passes through it), add hooks, or both.
 *
 * Order: plugins wrap in the order they were added, the first outermost.
 * With `use(a); use(b)` a request passes a, then b, then the adapter; the
 * response comes back through b, then a (middleware order).
 */
export interface Plugin {
  /** Shown in errors and logs. */
  readonly name: string;
  /**
   * Returns the send to use in place of `next`. Called whenever the session
   * rebuilds its chain (at every `use()`), so keep state on the plugin, not in the closure.
   */
  wrapSend?(next: SendFn, session: Session): SendFn;
  /** Hooks appended to the session's when the plugin is added. */
  readonly hooks?: HooksInit;
}
