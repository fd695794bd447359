/**
 * Helpers of the session.fetch tests: a node:http server on 127.0.0.1 that
 * records what it saw, and a session configured like a real application's
 * (a cookie, a default header, the retry plugin) whose every trait the
 * fake servers check.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { retry } from '@sess/plugin-retry';
import { Session } from 'sess';
import { expect } from 'vitest';
import { createFetch } from '../../core/src/fetch/index.js';
import type { SessFetch } from '../../core/src/fetch/types.js';

/** One request as the server received it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Names and values as they came on the wire, case kept. */
  rawHeaders: string[];
  body: Buffer;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => unknown;

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

/** Starts a server whose `handler` gets the request with its body read. */
export async function startServer(handler: Handler): Promise<FakeServer> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body,
    });
    try {
      await handler(req, res, body);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends `status` with a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export const TEAM = 'sess';
export const COOKIE = 'sid=cookie-123';

/**
 * A session like an application's: a cookie in the jar for 127.0.0.1, a
 * default `X-Team` header, and @sess/plugin-retry retrying a 503 (any
 * method: the SDKs' POSTs too). The SDKs' own retries are off in the
 * tests, so a retried 503 is the plugin's doing.
 */
export function appSession(): { session: Session; fetch: SessFetch } {
  const session = new Session();
  session.cookies.set('sid', 'cookie-123', { domain: '127.0.0.1' });
  session.headers.set('X-Team', TEAM);
  session.use(retry({ total: 2, statusForcelist: [503], allowedMethods: null }));
  return { session, fetch: createFetch(session) };
}

/**
 * A gate that answers the first request for each key with a 503, as a
 * flaky upstream would; the retry plugin must then send it again.
 */
export function flaky(): (key: string, res: ServerResponse) => boolean {
  const failed = new Set<string>();
  return (key, res) => {
    if (failed.has(key)) return false;
    failed.add(key);
    sendJson(res, 503, { error: 'try again' });
    return true;
  };
}

/** Every request carried the session's cookie and default header. */
export function expectSessionTraits(seen: readonly Seen[]): void {
  expect(seen.length).toBeGreaterThan(0);
  for (const s of seen) {
    expect(s.headers.cookie, `${s.method} ${s.url}`).toContain(COOKIE);
    expect(s.headers['x-team'], `${s.method} ${s.url}`).toBe(TEAM);
  }
}

/** `path` was asked twice: a 503, then the plugin's retry. */
export function expectRetried(seen: readonly Seen[], path: string): void {
  expect(seen.filter((s) => s.url.split('?')[0] === path).length).toBe(2);
}

/** A promise with its resolve, for a test to tell a fake server to go on. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** `promise`, or `false` after `ms`: a server that waits for the client never hangs a test. */
export function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer));
}
