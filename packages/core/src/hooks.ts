import type { SendOptions } from './send-options.js';
import type { Subjects } from './subjects.js';

// Through the registry (subjects.ts): a PreparedRequest holds its hooks, and makes them with this module.
type PreparedRequest = Subjects['PreparedRequest'];
type Response = Subjects['Response'];

/** What a hook gets besides its subject: a way to send another hop through the same plugins. */
export interface HookContext {
  /**
   * Sends one request (no redirects followed) with the current hop's
   * options, through every plugin; its body is read (unless streaming) and
   * its cookies stored, as for any hop. Digest auth answers a 401 this way.
   */
  send(request: PreparedRequest): Promise<Response>;
  /** The options of the current hop. */
  readonly options: SendOptions;
}

/** Runs on every response, redirect hops included; a returned Response replaces the one passed on. */
export type ResponseHook = (
  response: Response,
  context: HookContext,
) => Response | undefined | void | Promise<Response | undefined | void>;

/**
 * Runs before each hop is sent (the first request and every redirect); may
 * change the request in place, or return a Response to answer without
 * sending (ky's `beforeRequest`): the session then treats it as the hop's
 * response.
 */
export type BeforeRequestHook = (
  request: PreparedRequest,
  options: SendOptions,
) => Response | undefined | void | Promise<Response | undefined | void>;

/** Runs after a redirect's next request is built, before it is sent. */
export type BeforeRedirectHook = (next: PreparedRequest, response: Response) => void | Promise<void>;

/**
 * Runs when the request fails, with the error about to be thrown; a returned
 * Error replaces it (to add context, or map it to an application error).
 */
export type BeforeErrorHook = (
  error: Error,
  request: PreparedRequest | undefined,
) => Error | undefined | void | Promise<Error | undefined | void>;

/** Event hooks: plain lists of functions, run in order (httpx's event hooks, requests' `hooks`). */
export interface Hooks {
  beforeRequest: BeforeRequestHook[];
  beforeRedirect: BeforeRedirectHook[];
  response: ResponseHook[];
  beforeError: BeforeErrorHook[];
}

/** Hooks as options accept them: a single function or a list per stage. */
export type HooksInit = {
  [K in keyof Hooks]?: Hooks[K][number] | Hooks[K] | null | undefined;
};

/** Every stage, in the order a request meets them. The one list the rest is built from. */
export const HOOK_NAMES = [
  'beforeRequest',
  'beforeRedirect',
  'response',
  'beforeError',
] as const satisfies readonly (keyof Hooks)[];

/** An empty set of hooks. */
export function defaultHooks(): Hooks {
  // A literal of HOOK_NAMES' stages (one fixed shape, made per request), checked by the type.
  return { beforeRequest: [], beforeRedirect: [], response: [], beforeError: [] } satisfies Record<
    (typeof HOOK_NAMES)[number],
    unknown[]
  >;
}

/** Normalises `HooksInit`; unknown stage names are a TypeError rather than silently ignored. */
export function toHooks(init: HooksInit | null | undefined): Hooks {
  const hooks = defaultHooks();
  if (init === null || init === undefined) return hooks;
  if (typeof init !== 'object') throw new TypeError(`hooks must be an object of stages, got ${typeof init}`);
  for (const [name, v] of Object.entries(init)) {
    if (!(HOOK_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(
        `Unknown hook stage ${JSON.stringify(name)}; expected one of ${HOOK_NAMES.join(', ')}`,
      );
    }
    if (v === undefined || v === null) continue;
    const list = (Array.isArray(v) ? v : [v]) as unknown[];
    for (const fn of list) {
      if (typeof fn !== 'function')
        throw new TypeError(`hooks.${name} must hold functions, got ${typeof fn}`);
    }
    (hooks[name as keyof Hooks] as unknown[]).push(...list);
  }
  return hooks;
}

/** The lists of `first` then `second`, stage by stage (requests' `merge_hooks` appends). */
export function mergeHooks(first: Hooks, second: Hooks): Hooks {
  const out = defaultHooks();
  for (const name of HOOK_NAMES) {
    (out[name] as unknown[]).push(...first[name], ...second[name]);
  }
  return out;
}

/** Appends `extra`'s hooks to `target`'s, in place. */
export function appendHooks(target: Hooks, extra: Hooks): void {
  for (const name of HOOK_NAMES) {
    const list = extra[name];
    // Nearly always empty: no spread call for nothing.
    if (list.length > 0) (target[name] as unknown[]).push(...list);
  }
}

/** `true` when no stage has a hook. */
export function hooksEmpty(hooks: Hooks): boolean {
  for (const name of HOOK_NAMES) if (hooks[name].length > 0) return false;
  return true;
}

/** Runs beforeError hooks in order; each may replace the error. Non-Error throws pass through untouched. */
export async function runBeforeError(
  hooks: readonly BeforeErrorHook[],
  err: unknown,
  request: PreparedRequest | undefined,
): Promise<unknown> {
  let error = err;
  for (const hook of hooks) {
    if (!(error instanceof Error)) break;
    const replaced = await hook(error, request);
    if (replaced instanceof Error) error = replaced;
  }
  return error;
}
