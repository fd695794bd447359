import type { Context } from './context.js';
import { type Route, route } from './router.js';

const EPOCH = 'Thu, 01 Jan 1970 00:00:00 GMT';

/** The request's cookies by name; the first of a repeated name wins (RFC 6265 puts the most specific first). */
function requestCookies(ctx: Context): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const header = ctx.req.headers.cookie ?? '';
  for (const piece of header.split(';')) {
    const eq = piece.indexOf('=');
    if (eq === -1) continue;
    const name = piece.slice(0, eq).trim();
    if (name && !(name in out)) out[name] = piece.slice(eq + 1).trim();
  }
  return out;
}

function setCookies(ctx: Context, pairs: Iterable<readonly [string, string]>): void {
  const values = [...pairs].map(([name, value]) => `${name}=${value}; Path=/`);
  ctx.redirect('/cookies', 302, { 'Set-Cookie': values });
}

/** /cookies, /cookies/set, /cookies/set/NAME/VALUE and /cookies/delete, each redirecting back to /cookies. */
export const cookieRoutes: readonly Route[] = [
  route('/cookies', (ctx) => ctx.json({ cookies: requestCookies(ctx) }), ['GET']),
  route('/cookies/set', (ctx) => setCookies(ctx, ctx.url.searchParams), ['GET']),
  route('/cookies/set/:name/:value', (ctx, [name = '', value = '']) => setCookies(ctx, [[name, value]]), [
    'GET',
  ]),
  route(
    '/cookies/delete',
    (ctx) => {
      const names = new Set(ctx.url.searchParams.keys());
      const values = [...names].map((name) => `${name}=; Expires=${EPOCH}; Max-Age=0; Path=/`);
      ctx.redirect('/cookies', 302, { 'Set-Cookie': values });
    },
    ['GET'],
  ),
];
