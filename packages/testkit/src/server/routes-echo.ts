import { type EchoField, echo, echoHeaders } from './echo.js';
import { type Route, route } from './router.js';

const QUERY_ONLY: readonly EchoField[] = ['args', 'headers', 'origin', 'url'];
const WITH_BODY: readonly EchoField[] = ['args', 'data', 'files', 'form', 'headers', 'json', 'origin', 'url'];
const ANYTHING: readonly EchoField[] = [
  'args',
  'data',
  'files',
  'form',
  'headers',
  'json',
  'method',
  'origin',
  'url',
];

/** httpbin's request inspection endpoints: /get, /post, /put, /patch, /delete, /anything, /headers, /user-agent, /ip. */
export const echoRoutes: readonly Route[] = [
  route('/get', async (ctx) => ctx.json(await echo(ctx, QUERY_ONLY)), ['GET']),
  route('/post', async (ctx) => ctx.json(await echo(ctx, WITH_BODY)), ['POST']),
  route('/put', async (ctx) => ctx.json(await echo(ctx, WITH_BODY)), ['PUT']),
  route('/patch', async (ctx) => ctx.json(await echo(ctx, WITH_BODY)), ['PATCH']),
  route('/delete', async (ctx) => ctx.json(await echo(ctx, WITH_BODY)), ['DELETE']),
  route('/anything/*', async (ctx) => ctx.json(await echo(ctx, ANYTHING))),
  route('/headers', (ctx) => ctx.json({ headers: echoHeaders(ctx.req.rawHeaders) }), ['GET']),
  route('/user-agent', (ctx) => ctx.json({ 'user-agent': ctx.req.headers['user-agent'] ?? null }), ['GET']),
  route('/ip', (ctx) => ctx.json({ origin: ctx.origin }), ['GET']),
];
