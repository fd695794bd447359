import type { Context } from './context.js';

/** Answers a matched request; `params` are the decoded `:name` and `*` parts of the path, in order. */
export type RouteHandler = (ctx: Context, params: readonly string[]) => void | Promise<void>;

export interface Route {
  readonly pattern: RegExp;
  /** Allowed methods; `undefined` allows any. GET implies HEAD. */
  readonly methods: readonly string[] | undefined;
  readonly handle: RouteHandler;
}

/**
 * Declares a route. `path` is literal except for `:name` (one segment) and a
 * trailing `/*` (optionally anything below, as in `/anything/*`).
 */
export function route(path: string, handle: RouteHandler, methods?: readonly string[]): Route {
  let source = path.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  source = source.replace(/\/\*$/, '(?:/(.*))?');
  source = source.replace(/:[a-zA-Z_]+/g, '([^/]+)');
  return { pattern: new RegExp(`^${source}$`), methods, handle };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Runs the first route whose path matches; 405 for a known path with another method, 404 otherwise. */
export async function dispatch(ctx: Context, routes: readonly Route[]): Promise<void> {
  const method = ctx.method;
  for (const r of routes) {
    const m = r.pattern.exec(ctx.url.pathname);
    if (!m) continue;
    const allowed = r.methods;
    if (allowed && !allowed.includes(method) && !(method === 'HEAD' && allowed.includes('GET'))) {
      const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
      if (method === 'OPTIONS') ctx.send(200, '', { Allow: allow });
      else ctx.fail(405, `method ${method} not allowed`, { Allow: allow });
      return;
    }
    await r.handle(
      ctx,
      m.slice(1).map((p) => decode(p ?? '')),
    );
    return;
  }
  ctx.fail(404, `no route for ${ctx.url.pathname}`);
}
