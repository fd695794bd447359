import type { Plugin, PreparedRequest, Response, SendFn, SendOptions } from '@sess/core';
import { CacheContext, selectVariant } from './context.js';
import { decide } from './decide.js';
import { requestDirectives } from './directives.js';
import { invalidationKeys, SAFE_METHODS } from './invalidation.js';
import { cacheKey } from './keys.js';
import { checkStoredSize } from './limits.js';
import { type CacheMode, modeOf, withModeHeaders } from './modes.js';
import { type Exchange, fetchAndStore, headThrough, revalidate, revalidateInBackground } from './network.js';
import { type CacheOptions, resolveOptions } from './options.js';
import { gatewayTimeout, responseFromStore } from './respond.js';
import { markStatus } from './status.js';
import type { CacheStore } from './stores/store.js';
import { isPromise } from './stores/store.js';

/** The plugin `cache()` returns. */
export interface CachePlugin extends Plugin {
  readonly name: 'cache';
  /** The store it uses. */
  readonly store: CacheStore;
  /** `true` for shared-cache rules. */
  readonly shared: boolean;
  /**
   * Resolves when the background work the plugin started
   * (stale-while-revalidate validations) is done: for tests, and before
   * closing a store.
   */
  idle(): Promise<void>;
  send(request: PreparedRequest, options: SendOptions, next: SendFn): Promise<Response>;
}

/**
 * An HTTP cache (RFC 9111, with RFC 5861's stale-while-revalidate and
 * stale-if-error) as a plugin. Private by default; `shared: true` for
 * shared-cache rules. Add it first, so that it is outermost and a hit
 * costs nothing of the plugins after it:
 *
 * ```ts
 * s.use(cache()); s.use(retry()); s.use(logging());
 * ```
 *
 * A cached answer is a core Response with `fromCache: true` and an `Age`
 * header; `cacheStatusOf(response)` tells hit, stale, revalidated, miss or
 * bypass. Per request, `extensions: { cache: mode }` takes fetch's cache
 * modes (see CacheMode).
 */
export function cache(options: CacheOptions = {}): CachePlugin {
  const ctx = new CacheContext(resolveOptions(options));
  return {
    name: 'cache',
    store: ctx.options.store,
    shared: ctx.options.shared,
    idle: () => ctx.idle(),
    send: (request, sendOptions, next) => send(ctx, request, sendOptions, next),
  };
}

async function send(
  ctx: CacheContext,
  request: PreparedRequest,
  options: SendOptions,
  next: SendFn,
): Promise<Response> {
  const method = request.method;
  if (!ctx.options.methods.has(method)) {
    if (SAFE_METHODS.has(method)) return next(request, options);
    // An unsafe method that succeeded changed the resource: what is stored for it is outdated (§4.4).
    const res = await next(request, options);
    const keys = invalidationKeys(request, res);
    if (keys.length > 0) await ctx.remove(keys);
    return markStatus(res, 'bypass');
  }
  const asked = options.extensions.cache as CacheMode | undefined;
  const mode = modeOf(request, asked);
  const sent = asked === undefined ? request : withModeHeaders(request, asked);
  // This cache does not combine ranges (RFC 9111 §3.3): a Range request goes through untouched.
  const key = mode === 'no-store' || request.headers.has('range') ? undefined : cacheKey(request);
  if (key === undefined) return markStatus(await next(sent, options), 'bypass');

  const started = performance.now();
  const requestCC = requestDirectives(request.headers);
  let previous = mode === 'reload' ? undefined : ctx.lookup(key);
  if (isPromise(previous)) previous = await previous;
  const x: Exchange = { ctx, key, previous, request, requestCC, options, next, started };
  const onlyIfCached = mode === 'only-if-cached' || requestCC.has('only-if-cached');
  const stored = previous && selectVariant(previous, request.headers);
  if (stored) {
    const decision = decide(stored, requestCC, mode, ctx.now(), ctx.policy);
    if (decision.kind !== 'validate') checkStoredSize(stored, request, options);
    switch (decision.kind) {
      case 'fresh':
        return responseFromStore(stored, request, ctx.now(), started, 'hit');
      case 'stale':
        return responseFromStore(stored, request, ctx.now(), started, 'stale');
      case 'stale-while-revalidate':
        // only-if-cached forbids contacting the server, in the background too.
        if (!onlyIfCached) ctx.background(key, () => revalidateInBackground(x, stored));
        return responseFromStore(stored, request, ctx.now(), started, 'stale');
      case 'validate':
        if (onlyIfCached) return gatewayTimeout(request, started);
        if (method === 'HEAD') return headThrough(x, sent, stored);
        return revalidate(x, stored, sent, decision.staleIfError);
    }
  }
  if (onlyIfCached) return gatewayTimeout(request, started);
  if (method === 'HEAD') return headThrough(x, sent, undefined);
  return fetchAndStore(x, sent);
}
