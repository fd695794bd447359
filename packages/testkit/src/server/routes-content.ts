import type { Context } from './context.js';
import { echo } from './echo.js';
import { DENY_PAGE, HTML_PAGE, JSON_DOCUMENT, ROBOTS_TXT, UTF8_PAGE, XML_DOCUMENT } from './pages.js';
import { type Route, route } from './router.js';

const HTML = { 'Content-Type': 'text/html; charset=utf-8' };
const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };
const MAX_LINKS = 200;

/** /base64/VALUE: the URL-safe (or standard) base64 value, decoded. */
function base64(ctx: Context, [value = '']: readonly string[]): void {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) {
    // httpbin answers a bad value with a hint and 200, not an error status.
    ctx.send(200, 'Incorrect Base64 data try: c2VzcyB0ZXN0a2l0', HTML);
    return;
  }
  ctx.send(200, Buffer.from(value, 'base64url'), HTML);
}

/** /links/N/OFFSET: an HTML page linking to its N siblings, plus a Link header (first, prev, next, last). */
function links(ctx: Context, [countText = '', offsetText = '']: readonly string[]): void {
  const n = Math.min(Number(countText), MAX_LINKS);
  const offset = Number(offsetText);
  if (!/^\d+$/.test(countText) || !/^\d+$/.test(offsetText) || n < 1 || offset >= n) {
    ctx.fail(404, 'links need a count >= 1 and an offset below it');
    return;
  }
  const href = (i: number) => `/links/${n}/${i}`;
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(i === offset ? `${i} ` : `<a href="${href(i)}">${i}</a> `);
  const rels = [`<${href(0)}>; rel="first"`, `<${href(n - 1)}>; rel="last"`];
  if (offset > 0) rels.push(`<${href(offset - 1)}>; rel="prev"`);
  if (offset < n - 1) rels.push(`<${href(offset + 1)}>; rel="next"`);
  const html = `<html><head><title>Links</title></head><body>${items.join('')}</body></html>\n`;
  ctx.send(200, html, { ...HTML, Link: rels.join(', ') });
}

/** The entity tags listed in an If-Match / If-None-Match header, quotes and weak markers removed. */
function tagList(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header.split(',').map((t) =>
    t
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1'),
  );
}

/** /etag/ETAG: 304 when If-None-Match names it, 412 when If-Match does not, else the echo with that ETag. */
async function etag(ctx: Context, [tag = '']: readonly string[]): Promise<void> {
  const headers = { ETag: `"${tag}"` };
  const noneMatch = tagList(ctx.req.headers['if-none-match']);
  if (noneMatch.includes(tag) || noneMatch.includes('*')) {
    ctx.send(304, '', headers);
    return;
  }
  const match = tagList(ctx.req.headers['if-match']);
  if (match.length > 0 && !match.includes(tag) && !match.includes('*')) {
    ctx.send(412, '', headers);
    return;
  }
  ctx.json(await echo(ctx, ['args', 'headers', 'origin', 'url']), 200, headers);
}

/** Fixed documents of each common type, and the small utilities around them. */
export const contentRoutes: readonly Route[] = [
  route('/html', (ctx) => ctx.send(200, HTML_PAGE, HTML), ['GET']),
  route('/json', (ctx) => ctx.json(JSON_DOCUMENT), ['GET']),
  route('/xml', (ctx) => ctx.send(200, XML_DOCUMENT, { 'Content-Type': 'application/xml' }), ['GET']),
  route('/robots.txt', (ctx) => ctx.send(200, ROBOTS_TXT, TEXT), ['GET']),
  route('/deny', (ctx) => ctx.send(200, DENY_PAGE, TEXT), ['GET']),
  route('/encoding/utf8', (ctx) => ctx.send(200, UTF8_PAGE, HTML), ['GET']),
  route('/base64/:value', base64, ['GET']),
  route('/links/:n', (ctx, [n = '']) => ctx.redirect(`/links/${n}/0`), ['GET']),
  route('/links/:n/:offset', links, ['GET']),
  route('/etag/:etag', etag, ['GET']),
];
