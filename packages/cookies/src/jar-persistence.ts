/**
 * The jar's persistence, as {@link Op}s like those of `jar-ops.ts`: the live
 * cookies out as JSON or Netscape cookies.txt, and either loaded back, each
 * cookie checked against the jar's rules and the rejects listed.
 */
import type { Cookie } from 'tough-cookie';
import { copyCookie, importCookies, type JarContext, type LoadResult, liveCookies } from './jar-ops.js';
import { formatNetscape, type NetscapeLineError, parseNetscape } from './netscape.js';
import type { Op } from './op.js';
import {
  type CookieJarJSON,
  type CookieJarJSONInput,
  cookieFromJSON,
  cookieToJSON,
  readJarJSON,
} from './serialize.js';
import type { NetscapeOptions } from './types.js';

function label(c: Cookie): string {
  return `${c.key} (${c.domain ?? '?'}${c.path ?? ''})`;
}

/** Detached copies of `cookies`, labelled for {@link importCookies}. */
export function* imported(cookies: Iterable<Cookie>): Generator<{ cookie: Cookie; label: string }> {
  for (const c of cookies) yield { cookie: copyCookie(c), label: label(c) };
}

function* fromJSONEntries(
  entries: readonly unknown[],
): Generator<{ cookie: Cookie | undefined; label: string }> {
  for (let i = 0; i < entries.length; i++) {
    const cookie = cookieFromJSON(entries[i]);
    yield { cookie, label: cookie ? label(cookie) : `#${i}` };
  }
}

function lineSkip(e: NetscapeLineError): { cookie: string; reason: string } {
  return { cookie: `line ${e.line}`, reason: e.reason };
}

/** The live cookies as `toJSON()` gives them. */
export function* exportJSON(ctx: JarContext): Op<CookieJarJSON> {
  return { version: 1, cookies: (yield* liveCookies(ctx)).map(cookieToJSON) };
}

/**
 * Loads a serialized jar, skipping (and listing) the cookies that break the
 * jar's rules. `json` is read at once: a TypeError (or SyntaxError) before
 * any store call when it is not a serialized jar.
 */
export function importJSON(ctx: JarContext, json: CookieJarJSONInput): Op<LoadResult> {
  return importCookies(ctx, fromJSONEntries(readJarJSON(json)), false);
}

/** The live cookies as Netscape cookies.txt text (session cookies only with `keepSession`). */
export function* exportNetscape(ctx: JarContext, options: NetscapeOptions): Op<string> {
  return formatNetscape(yield* liveCookies(ctx), { keepSession: options.keepSession });
}

/**
 * Loads Netscape cookies.txt text (session cookies only with `keepSession`).
 * Unreadable lines are listed first, then the cookies that break the jar's
 * rules. The text is parsed at once, before any store call.
 */
export function importNetscape(ctx: JarContext, text: string, options: NetscapeOptions): Op<LoadResult> {
  const { cookies, errors } = parseNetscape(text, { keepSession: options.keepSession });
  return withSkippedFirst(importCookies(ctx, imported(cookies), false), errors.map(lineSkip));
}

function* withSkippedFirst(op: Op<LoadResult>, skipped: LoadResult['skipped']): Op<LoadResult> {
  const result = yield* op;
  return { loaded: result.loaded, skipped: [...skipped, ...result.skipped] };
}
