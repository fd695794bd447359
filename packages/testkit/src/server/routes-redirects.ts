import type { Context } from './context.js';
import { firstValue } from './form-values.js';
import { type Route, route } from './router.js';

/** A count from the path, or undefined when it is not a positive integer. */
function count(text: string | undefined): number | undefined {
  if (!text || !/^\d{1,6}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}

function relative(ctx: Context, n: number): void {
  ctx.redirect(n === 1 ? '/get' : `/relative-redirect/${n - 1}`);
}

function absolute(ctx: Context, n: number): void {
  ctx.redirect(n === 1 ? `${ctx.url.origin}/get` : `${ctx.url.origin}/absolute-redirect/${n - 1}`);
}

/** A Location header may only hold visible ASCII; anything else is percent-encoded as a browser would. */
function headerSafe(location: string): string {
  return location.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

function withCount(go: (ctx: Context, n: number) => void) {
  return (ctx: Context, [text]: readonly string[]) => {
    const n = count(text);
    if (n === undefined) ctx.fail(404, 'the redirect count must be a positive integer');
    else go(ctx, n);
  };
}

/** /redirect/N, /relative-redirect/N, /absolute-redirect/N (302 chains ending at /get) and /redirect-to. */
export const redirectRoutes: readonly Route[] = [
  route(
    '/redirect/:n',
    withCount((ctx, n) =>
      ctx.url.searchParams.get('absolute') === 'true' ? absolute(ctx, n) : relative(ctx, n),
    ),
    ['GET'],
  ),
  route('/relative-redirect/:n', withCount(relative), ['GET']),
  route('/absolute-redirect/:n', withCount(absolute), ['GET']),
  route('/redirect-to', async (ctx) => {
    // httpbin reads the target from the query, or from a form body for POST-style methods.
    let args = ctx.args;
    if (firstValue(args, 'url') === undefined && ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      args = (await ctx.body()).form;
    }
    const url = firstValue(args, 'url');
    if (url === undefined) {
      ctx.fail(400, 'the url parameter is required');
      return;
    }
    const code = Number(firstValue(args, 'status_code') ?? '302');
    ctx.redirect(headerSafe(url), Number.isInteger(code) && code >= 300 && code < 400 ? code : 302);
  }),
];
