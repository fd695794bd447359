import { type OutgoingHttpHeaders, validateHeaderName, validateHeaderValue } from 'node:http';
import type { Context } from './context.js';
import { type Route, route } from './router.js';

/**
 * Picks one code from `200`, `200,500` or `200:0.9,500:0.1` (weights
 * optional, default 1). Undefined when any entry is not a final status code.
 */
function pickStatus(spec: string): number | undefined {
  const choices: Array<{ code: number; weight: number }> = [];
  for (const entry of spec.split(',')) {
    const [code = '', weight = '1'] = entry.trim().split(':');
    if (!/^\d{3}$/.test(code)) return undefined;
    const c = Number(code);
    const w = Number(weight);
    // node:http cannot send an informational (1xx) code as a final answer.
    if (c < 200 || c > 599 || !Number.isFinite(w) || w < 0) return undefined;
    choices.push({ code: c, weight: w });
  }
  const total = choices.reduce((sum, c) => sum + c.weight, 0);
  let roll = Math.random() * total;
  for (const c of choices) {
    roll -= c.weight;
    if (roll < 0) return c.code;
  }
  return choices[choices.length - 1]?.code;
}

function answerStatus(ctx: Context, code: number): void {
  const headers: OutgoingHttpHeaders = { 'Content-Type': 'text/html; charset=utf-8' };
  // The extras httpbin adds so clients have something to act on.
  if (code >= 300 && code < 400 && code !== 304) headers.Location = '/redirect/1';
  if (code === 401) headers['WWW-Authenticate'] = 'Basic realm="Fake Realm"';
  if (code === 407) headers['Proxy-Authenticate'] = 'Basic realm="Fake Realm"';
  if (code === 418) {
    ctx.send(code, "I'm a teapot\n", { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    return;
  }
  ctx.send(code, '', headers);
}

/** The body httpbin's /response-headers returns: the headers themselves, Content-Length included. */
function headersDocument(headers: Record<string, string | string[]>): string {
  const doc: Record<string, string | string[]> = { 'Content-Length': '0', ...headers };
  let text = '';
  // The length printed inside the body changes the body's length; a few rounds settle it.
  for (let round = 0; round < 5; round++) {
    text = `${JSON.stringify(doc, null, 2)}\n`;
    const length = String(Buffer.byteLength(text));
    if (doc['Content-Length'] === length) break;
    doc['Content-Length'] = length;
  }
  return text;
}

function responseHeaders(ctx: Context): void {
  const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json' };
  for (const [name, value] of ctx.url.searchParams) {
    // Throws on CR/LF and bad names before anything is written; the server turns that into a 400.
    validateHeaderName(name);
    validateHeaderValue(name, value);
    const lower = name.toLowerCase();
    // The length is the server's to compute; the type replaces the default instead of doubling it.
    if (lower === 'content-length') continue;
    if (lower === 'content-type') {
      headers['Content-Type'] = value;
      continue;
    }
    const prev = Object.hasOwn(headers, name) ? headers[name] : undefined;
    headers[name] = prev === undefined ? value : [prev, value].flat();
  }
  ctx.send(200, headersDocument(headers), headers);
}

/** /status/CODES and /response-headers. */
export const statusRoutes: readonly Route[] = [
  route('/status/:codes', (ctx, [spec = '']) => {
    const code = pickStatus(spec);
    if (code === undefined) ctx.fail(400, `invalid status code ${JSON.stringify(spec)}`);
    else answerStatus(ctx, code);
  }),
  route('/response-headers', responseHeaders, ['GET', 'POST']),
];
