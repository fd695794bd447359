import type { Plugin, PreparedRequest, Response, SendOptions } from '@sess/core';
import { curlLine } from './curl.js';
import {
  checkLevel,
  DEFAULT_LEVELS,
  LEVEL_RANK,
  type LevelSetting,
  type LogLevel,
  type Outcome,
  outcomeOf,
} from './levels.js';
import { collectProxy, proxyOf } from './proxy.js';
import { type RedactOptions, Redactor, type Secrets } from './redact.js';
import { type Emit, type LineDestination, type LoggerLike, makeEmit } from './sink.js';

/** Options of `logging()`. */
export interface LoggingOptions extends RedactOptions {
  /** A pino-compatible logger; without one, JSON lines go to `destination` (stderr). */
  logger?: LoggerLike;
  /** Where JSON lines go when there is no logger. Default `process.stderr`. */
  destination?: LineDestination;
  /** Records below this level are not emitted; `debug` adds headers and a curl line; `silent` costs nothing. Default `info`. */
  level?: LevelSetting;
  /** The level of each outcome. Default info for 1xx-3xx, warn for 4xx, error for 5xx and errors. */
  levels?: Partial<Record<Outcome, LogLevel>>;
  /** At debug, add a curl line to each record. Default true. */
  curl?: boolean;
}

/** The error part of a record. */
export interface LoggedError {
  name: string;
  code?: string | undefined;
  message: string;
}

/** One record: a hop (one attempt of it) that got a response, or one that failed. */
export interface LogRecord {
  /** `response` or `error`. */
  event: 'response' | 'error';
  method: string;
  /** The URL, userinfo and secret query values redacted. */
  url: string;
  status?: number;
  reason?: string;
  httpVersion?: string;
  /** Milliseconds from handing the hop on to the response headers (or the failure). */
  elapsed: number;
  /** Body bytes when known: the read body's length, else Content-Length. */
  bytes?: number;
  /** The attempt number (from @sess/plugin-retry's `extensions.attempt`; 1 without it). */
  attempt: number;
  /** Retries @sess/plugin-retry made before this response, when logging is added before (outside) retry. */
  retries?: number;
  /** `response.timings`, when the adapter provided them. */
  timings?: unknown;
  error?: LoggedError;
  /** Debug: the request headers, secrets redacted. */
  requestHeaders?: Record<string, string | string[]>;
  /** Debug: the response headers, secrets redacted. */
  responseHeaders?: Record<string, string | string[]>;
  /** Debug: the proxy used, credentials redacted. */
  proxy?: string;
  /** Debug: a curl command for the request, secrets redacted. */
  curl?: string;
}

/** The plugin `logging()` returns. */
export interface LoggingPlugin extends Plugin {
  readonly name: 'logging';
  readonly level: LevelSetting;
}

/**
 * One structured, redacted record per hop (per attempt when added after
 * retry) and per failure. Recommended order:
 * `s.use(cache()); s.use(retry()); s.use(logging())` (the first added is outermost).
 */
export function logging(options: LoggingOptions = {}): LoggingPlugin {
  const threshold = options.level ?? 'info';
  checkLevel(threshold, 'logging() level');
  const levels = { ...DEFAULT_LEVELS, ...options.levels };
  for (const [k, v] of Object.entries(levels)) checkLevel(v, `logging() levels.${k}`);
  // Nothing to log: no send at all, so the chain skips the plugin.
  if (threshold === 'silent') return { name: 'logging', level: threshold };
  const min = LEVEL_RANK[threshold];
  const redactor = new Redactor(options);
  const emit = makeEmit(options.logger, options.destination);
  const debug = threshold === 'debug';
  const withCurl = options.curl ?? true;
  const ctx: Ctx = { redactor, emit, debug, withCurl };
  return {
    name: 'logging',
    level: threshold,
    async send(request, sendOptions, next) {
      const t0 = performance.now();
      let res: Response;
      try {
        res = await next(request, sendOptions);
      } catch (err) {
        const level = levels.error;
        if (LEVEL_RANK[level] >= min) logError(ctx, level, request, sendOptions, err, performance.now() - t0);
        throw err;
      }
      const level = levels[outcomeOf(res.statusCode)];
      if (LEVEL_RANK[level] >= min)
        logResponse(ctx, level, request, sendOptions, res, performance.now() - t0);
      return res;
    },
  };
}

interface Ctx {
  redactor: Redactor;
  emit: Emit;
  debug: boolean;
  withCurl: boolean;
}

function base(
  ctx: Ctx,
  event: LogRecord['event'],
  request: PreparedRequest,
  options: SendOptions,
  elapsed: number,
): LogRecord {
  return {
    event,
    method: request.method,
    url: ctx.redactor.url(request.url),
    elapsed: Math.round(elapsed * 10) / 10,
    attempt: attemptOf(options),
  };
}

function logResponse(
  ctx: Ctx,
  level: LogLevel,
  request: PreparedRequest,
  options: SendOptions,
  res: Response,
  elapsed: number,
): void {
  const record = base(ctx, 'response', request, options, elapsed);
  record.status = res.statusCode;
  record.reason = res.reason;
  record.httpVersion = res.httpVersion;
  const bytes = bodyBytes(res);
  if (bytes !== undefined) record.bytes = bytes;
  const retries = (res as { retries?: unknown }).retries;
  if (Array.isArray(retries) && retries.length > 0) record.retries = retries.length;
  const timings = (res as { timings?: unknown }).timings;
  if (timings !== undefined) record.timings = timings;
  if (ctx.debug) addDebug(ctx, record, request, options, res);
  ctx.emit(
    level,
    record,
    `${record.method} ${record.url} ${res.statusCode} ${res.reason} (${record.elapsed} ms)`,
  );
}

function logError(
  ctx: Ctx,
  level: LogLevel,
  request: PreparedRequest,
  options: SendOptions,
  err: unknown,
  elapsed: number,
): void {
  const record = base(ctx, 'error', request, options, elapsed);
  const secrets = ctx.redactor.collect(new Set(), request.headers.rawEntries(), request.url);
  collectProxy(ctx.redactor, secrets, request, options);
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  record.error = {
    name: e.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: ctx.redactor.text(e.message, secrets),
  };
  const retries = (e as { retries?: unknown }).retries;
  if (Array.isArray(retries) && retries.length > 0) record.retries = retries.length;
  if (ctx.debug) addDebug(ctx, record, request, options, undefined, secrets);
  ctx.emit(
    level,
    record,
    `${record.method} ${record.url} failed: ${record.error.name}: ${record.error.message}`,
  );
}

function addDebug(
  ctx: Ctx,
  record: LogRecord,
  request: PreparedRequest,
  options: SendOptions,
  res: Response | undefined,
  known?: Secrets,
): void {
  const secrets =
    known ??
    collectProxy(
      ctx.redactor,
      ctx.redactor.collect(new Set(), request.headers.rawEntries(), request.url),
      request,
      options,
    );
  record.requestHeaders = headerObject(ctx.redactor.headers(request.headers.rawEntries()));
  if (res) record.responseHeaders = headerObject(ctx.redactor.headers(res.headers.rawEntries()));
  const proxy = proxyOf(request, options);
  if (proxy) record.proxy = ctx.redactor.url(proxy);
  if (ctx.withCurl) record.curl = curlLine(request, ctx.redactor, secrets, record.proxy);
}

/** The attempt number @sess/plugin-retry puts in `extensions.attempt` (absent on the first). */
export function attemptOf(options: SendOptions): number {
  const a = options.extensions.attempt;
  return typeof a === 'number' ? a : 1;
}

/** Headers as an object; a name with several values (Set-Cookie) maps to a list. */
export function headerObject(entries: Array<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of entries) {
    const have = out[name];
    if (have === undefined) out[name] = value;
    else out[name] = Array.isArray(have) ? [...have, value] : [have, value];
  }
  return out;
}

/** The body's size when known: the read body, else a Content-Length. */
export function bodyBytes(res: Response): number | undefined {
  if (res.isRead) return res.content.byteLength;
  const length = res.headers.get('content-length');
  return length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
}
