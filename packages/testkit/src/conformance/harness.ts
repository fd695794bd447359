import { strict as assert } from 'node:assert';
import {
  type Adapter,
  type Data,
  defaultHeaders,
  type Files,
  type HeadersInit,
  normalizeTimeout,
  type PreparedRequest,
  type Proxies,
  Request,
  type Response,
  type SendOptions,
  type Timeout,
  TimeoutError,
} from '@sess/core';
import type { EchoDocument } from './routes.js';
import { TLS_FILES } from './servers.js';

/** What a check may ask of one hop, in the form a caller of the session writes it. */
export interface HopOptions {
  stream?: boolean;
  /** Normalised as the session does; `total` becomes `deadline` and fires `signal` then. */
  timeout?: Timeout | null;
  signal?: AbortSignal;
  /** Default: the suite's CA bundle, so the TLS and HTTP/2 servers are trusted. */
  verify?: boolean | string;
  proxies?: Proxies;
  maxResponseSize?: number;
}

/**
 * One hop as the Session makes it: SendOptions built the way the session
 * builds them, then `limitBody` and, unless streaming, `read()` (closing
 * the response if reading fails).
 */
export async function hop(adapter: Adapter, request: PreparedRequest, o: HopOptions = {}): Promise<Response> {
  const timeout = normalizeTimeout(o.timeout);
  let signal = o.signal;
  let deadline: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (timeout.total !== undefined) {
    const total = timeout.total;
    const controller = new AbortController();
    deadline = performance.now() + total;
    timer = setTimeout(
      () =>
        controller.abort(new TimeoutError(`The request took longer than its total timeout of ${total} ms`)),
      total,
    );
    const caller = signal;
    if (caller?.aborted) controller.abort(caller.reason);
    else caller?.addEventListener('abort', () => controller.abort(caller.reason), { once: true });
    signal = controller.signal;
  }
  const stream = o.stream ?? false;
  const options: SendOptions = {
    stream,
    timeout,
    deadline,
    signal,
    verify: o.verify ?? TLS_FILES.ca,
    cert: null,
    proxies: o.proxies ?? {},
    extensions: {},
  };
  try {
    const res = await adapter.send(request, options);
    res.limitBody({ maxSize: o.maxResponseSize, signal });
    if (!stream) {
      try {
        await res.read();
      } catch (err) {
        await res.close();
        throw err;
      }
    }
    return res;
  } finally {
    if (timer && !stream) clearTimeout(timer);
  }
}

export interface PrepareInit {
  method?: string;
  headers?: HeadersInit;
  data?: Data;
  files?: Files;
  json?: unknown;
}

/** A PreparedRequest with the session's default headers, the way `session.request()` would build it. */
export function prepare(url: string, init: PrepareInit = {}): Promise<PreparedRequest> {
  const headers = defaultHeaders('sess-conformance');
  if (init.headers) headers.update(init.headers);
  return new Request({
    method: init.method ?? 'GET',
    url,
    headers,
    data: init.data,
    files: init.files,
    json: init.json,
  }).prepare();
}

const decoder = new TextDecoder();

/** A response body as text. */
export function textOf(res: Response): string {
  return decoder.decode(res.content);
}

/** PATHS.echo's document. */
export function echoOf(res: Response): EchoDocument {
  assert.equal(res.statusCode, 200, `the echo route answered ${res.statusCode}: ${textOf(res)}`);
  return JSON.parse(textOf(res)) as EchoDocument;
}

/** The values of `name` among echoed header lines, case-insensitively. */
export function headerValues(lines: ReadonlyArray<readonly [string, string]>, name: string): string[] {
  const lower = name.toLowerCase();
  return lines.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

/** The bytes of a base64 echo body. */
export function bytesOf(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** The rejection of `p`; an AssertionError if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection, got a value');
}

/** Milliseconds `p` took to reject, and the error; an AssertionError if it resolves. */
export async function timedRejection(p: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const t0 = performance.now();
  const error = await rejection(p);
  return { ms: performance.now() - t0, error };
}

/** Asserts `err` is an instance of one of `classes` (by `instanceof`), naming what it was otherwise. */
export function assertErrorOf(
  err: unknown,
  classes: ReadonlyArray<abstract new (...a: never[]) => unknown>,
  what: string,
): void {
  if (classes.some((c) => err instanceof c)) return;
  const names = classes.map((c) => c.name).join(' or ');
  const got = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  assert.fail(`${what}: expected ${names}, got ${got}`);
}

/** `p`'s value, or `'pending'` if it has not settled within `ms` (the timer is cleared when it does). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  try {
    return (await Promise.race([p, late])) as T | 'pending';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `p` (a hop whose body the server never finishes), or an AssertionError
 * after 5 s: the contract is that `send` resolves at the response headers.
 */
export async function atHeaders<T>(p: Promise<T>, what: string): Promise<T> {
  const res = await within(p, 5000);
  if (res === 'pending') {
    p.catch(() => {});
    assert.fail(
      `${what}: no Response 5 s after the server sent its headers; send() must resolve at the headers, the body unread`,
    );
  }
  return res;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
