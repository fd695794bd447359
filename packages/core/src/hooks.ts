import type { SendFn, SendOptions } from './adapter.js';
import type { PreparedRequest } from './prepared-request.js';
import type { Response } from './response.js';

/** What a hook gets besides its subject: a way to send another hop through the same plugins. */
export interface HookContext {
  /** Sends one request (no redirects followed) with the current hop's options, through every plugin. */
  send(request: PreparedRequest): Promise<Response>;
  /** The options of the current hop. */
  readonly options: SendOptions;
}

/** Runs on every response, redirect hops included; a returned Response replaces the one passed on. */
export type ResponseHook = (
  response: Response,
  context: HookContext,
) => Response | undefined | void | Promise<Response | undefined | void>;

/** Runs before each hop is sent (the first request and every redirect); may change the request in place. */
export type BeforeRequestHook = (request: PreparedRequest, options: SendOptions) => void | Promise<void>;

/** Runs after a redirect's next request is built, before it is sent. */
export type BeforeRedirectHook = (next: PreparedRequest, response: Response) => void | Promise<void>;

/** Event hooks: plain lists of functions, run in order (httpx's event hooks, requests' `hooks`). */
export interface Hooks {
  response: ResponseHook[];
  beforeRequest: BeforeRequestHook[];
  beforeRedirect: BeforeRedirectHook[];
}

/** Hooks as options accept them: a single function or a list per stage. */
export type HooksInit = {
  [K in keyof Hooks]?: Hooks[K][number] | Hooks[K];
};

export const HOOK_NAMES = [
  'response',
  'beforeRequest',
  'beforeRedirect',
] as const satisfies readonly (keyof Hooks)[];

/** An empty set of hooks. */
export function defaultHooks(): Hooks {
  return { response: [], beforeRequest: [], beforeRedirect: [] };
}

/** Normalises `HooksInit`; unknown stage names are a TypeError rather than silently ignored. */
export function toHooks(init: HooksInit | null | undefined): Hooks {
  const hooks = defaultHooks();
  if (!init) return hooks;
  for (const [name, v] of Object.entries(init)) {
    if (!(HOOK_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(
        `Unknown hook stage ${JSON.stringify(name)}; expected one of ${HOOK_NAMES.join(', ')}`,
      );
    }
    if (v === undefined || v === null) continue;
    const list = (Array.isArray(v) ? v : [v]) as unknown[];
    for (const fn of list) {
      if (typeof fn !== 'function') throw new TypeError(`hooks.${name} must hold functions`);
    }
    (hooks[name as keyof Hooks] as unknown[]).push(...list);
  }
  return hooks;
}

/** Session hooks run first, then the request's (requests' `merge_hooks` appends). */
export function mergeHooks(request: Hooks, session: Hooks): Hooks {
  return {
    response: [...session.response, ...request.response],
    beforeRequest: [...session.beforeRequest, ...request.beforeRequest],
    beforeRedirect: [...session.beforeRedirect, ...request.beforeRedirect],
  };
}

export type { SendFn };
