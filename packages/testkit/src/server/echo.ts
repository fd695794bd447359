import type { Context } from './context.js';

/** The keys httpbin puts in its echo documents, in the order it prints them. */
export type EchoField = 'args' | 'data' | 'files' | 'form' | 'headers' | 'json' | 'method' | 'origin' | 'url';

const BODY_FIELDS = new Set<EchoField>(['data', 'files', 'form', 'json']);

/** `x-custom-header` -> `X-Custom-Header`, the spelling httpbin (werkzeug) reports. */
export function titleCase(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}

/**
 * The request headers as httpbin shows them: Title-Case names, repeated
 * headers joined (`; ` for Cookie, `, ` otherwise). Built from the raw list so
 * that duplicates node:http would drop (a second User-Agent) still show.
 */
export function echoHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = titleCase(rawHeaders[i] ?? '');
    const value = rawHeaders[i + 1] ?? '';
    const prev = out[name];
    out[name] = prev === undefined ? value : `${prev}${name === 'Cookie' ? '; ' : ', '}${value}`;
  }
  return out;
}

/** Builds an httpbin echo document holding `fields`; reads the body only when a body field is asked for. */
export async function echo(ctx: Context, fields: readonly EchoField[]): Promise<Record<string, unknown>> {
  const body = fields.some((f) => BODY_FIELDS.has(f)) ? await ctx.body() : undefined;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    switch (field) {
      case 'args':
        out.args = ctx.args;
        break;
      case 'headers':
        out.headers = echoHeaders(ctx.req.rawHeaders);
        break;
      case 'method':
        out.method = ctx.method;
        break;
      case 'origin':
        out.origin = ctx.origin;
        break;
      case 'url':
        out.url = ctx.url.href;
        break;
      default:
        out[field] = body?.[field];
    }
  }
  return out;
}
