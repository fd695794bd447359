import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  ACCEPT_ENCODING,
  type Adapter,
  type Data,
  normalizeTimeout,
  type PreparedRequest,
  Request,
  type Response,
  type SendOptions,
  type Timeout,
  TimeoutError,
} from '@sess/core';

/** Absolute path of a file in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export const tlsFiles = {
  ca: fixture('ca.pem'),
  serverCert: fixture('server.pem'),
  serverKey: fixture('server.key'),
  clientCert: fixture('client.pem'),
  clientKey: fixture('client.key'),
  clientCombined: fixture('client-combined.pem'),
};

/** Key and certificate for an https test server on 127.0.0.1 / localhost, signed by fixtures/ca.pem. */
export function serverTls(name = 'server'): { key: Buffer; cert: Buffer } {
  return { key: readFileSync(fixture(`${name}.key`)), cert: readFileSync(fixture(`${name}.pem`)) };
}

/** A listening server, the sockets it accepted, and a close() that leaves nothing behind. */
export interface TestServer<S extends Server = Server> {
  server: S;
  port: number;
  /** `http://127.0.0.1:port` (or https). */
  origin: string;
  /** Every TCP connection accepted so far. */
  sockets: Socket[];
  close(): Promise<void>;
}

async function listen<S extends Server>(server: S, scheme: string): Promise<TestServer<S>> {
  const sockets: Socket[] = [];
  server.on('connection', (s: Socket) => {
    sockets.push(s);
    // A socket the client resets must not surface as an unhandled error in the test server.
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    origin: `${scheme}://127.0.0.1:${port}`,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function httpServer(handler: http.RequestListener): Promise<TestServer<http.Server>> {
  return listen(http.createServer(handler), 'http');
}

export function httpsServer(
  handler: http.RequestListener,
  options: https.ServerOptions = serverTls(),
): Promise<TestServer<https.Server>> {
  return listen(https.createServer(options, handler), 'https');
}

/**
 * A TCP server that accepts and never says a word. It reads (and drops) what
 * it is sent, so it notices, and closes its end, when the client closes.
 */
export function silentServer(): Promise<TestServer<net.Server>> {
  return listen(
    net.createServer((socket) => socket.resume()),
    'http',
  );
}

export function rawServer(onSocket: (socket: Socket) => void): Promise<TestServer<net.Server>> {
  return listen(net.createServer(onSocket), 'http');
}

/** A port nothing listens on (a server was bound there, then closed). */
export async function closedPort(): Promise<number> {
  const s = await silentServer();
  await s.close();
  return s.port;
}

export interface PrepareInit {
  method?: string;
  headers?: Record<string, string>;
  data?: Data;
  json?: unknown;
}

/** A PreparedRequest carrying the headers a Session adds by default. */
export async function prepare(url: string, init: PrepareInit = {}): Promise<PreparedRequest> {
  return new Request({
    method: init.method ?? 'GET',
    url,
    headers: {
      'User-Agent': 'sess-test',
      Accept: '*/*',
      'Accept-Encoding': ACCEPT_ENCODING,
      Connection: 'keep-alive',
      ...init.headers,
    },
    data: init.data,
    json: init.json,
  }).prepare();
}

/** What a test asks for: SendOptions in the form a caller writes them, plus the session's body limit. */
export type TestSendOptions = Omit<Partial<SendOptions>, 'timeout'> & {
  timeout?: Timeout | null;
  maxResponseSize?: number;
};

export function sendOptions(overrides: TestSendOptions = {}): TestSendOptions {
  return overrides;
}

/**
 * One hop as the Session makes it: the timeout normalised, `total` turned
 * into a deadline and a signal that fires then (with the caller's signal
 * linked), the body read unless streaming and bounded by `maxResponseSize`.
 */
export async function send(
  adapter: Adapter,
  request: PreparedRequest,
  o: TestSendOptions = {},
): Promise<Response> {
  const timeout = normalizeTimeout(o.timeout);
  let signal = o.signal;
  let timer: NodeJS.Timeout | undefined;
  let deadline: number | undefined;
  if (timeout.total !== undefined) {
    const controller = new AbortController();
    const total = timeout.total;
    deadline = performance.now() + total;
    timer = setTimeout(() => controller.abort(new TimeoutError(`total timeout of ${total} ms`)), total);
    if (signal) {
      const caller = signal;
      if (caller.aborted) controller.abort(caller.reason);
      else caller.addEventListener('abort', () => controller.abort(caller.reason), { once: true });
    }
    signal = controller.signal;
  }
  const stream = o.stream ?? false;
  const options: SendOptions = {
    stream,
    timeout,
    deadline,
    signal,
    verify: o.verify ?? true,
    cert: o.cert ?? null,
    proxies: o.proxies ?? {},
    extensions: o.extensions ?? {},
  };
  try {
    const res = await adapter.send(request, options);
    res.limitBody({ maxSize: o.maxResponseSize, signal });
    if (!stream) await res.read();
    return res;
  } finally {
    if (!stream && timer) clearTimeout(timer);
  }
}

/** The settled value or error of a promise, for asserting on rejections by class. */
export async function settle<T>(
  p: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The rejection of `p`; fails the test if `p` resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  const r = await settle(p);
  if (r.ok) throw new Error('expected a rejection, got a value');
  return r.error as Error;
}

/** Milliseconds `p` took to settle, and how. */
export async function timed<T>(p: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const t0 = performance.now();
  const r = await settle(p);
  return { ms: performance.now() - t0, error: r.ok ? undefined : r.error };
}

/** Whether every socket closes within `ms` (a bound for failing, not a wait for success). */
export async function allClosed(sockets: readonly Socket[], ms: number): Promise<boolean> {
  let guard: NodeJS.Timeout | undefined;
  const closed = Promise.all(
    sockets.map((s) => (s.destroyed ? undefined : new Promise((resolve) => s.once('close', resolve)))),
  ).then(() => true);
  const late = new Promise<boolean>((resolve) => {
    guard = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([closed, late]);
  clearTimeout(guard);
  return result;
}

/**
 * `p`'s value, or `'pending'` if it has not settled within `ms`: a bound for
 * failing, not a wait (the timer is cleared as soon as `p` settles).
 */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  let guard: NodeJS.Timeout | undefined;
  const late = new Promise<'pending'>((resolve) => {
    guard = setTimeout(() => resolve('pending'), ms);
  });
  const result = await Promise.race([p, late]);
  clearTimeout(guard);
  return result;
}

/** Resolves with the next request `server` receives (its URL). */
export function nextRequest(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.once('request', (req: http.IncomingMessage) => resolve(req.url ?? '')),
  );
}

export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
