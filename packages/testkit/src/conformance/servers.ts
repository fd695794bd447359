import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  answer,
  groupLines,
  notFound,
  PATHS,
  type Reply,
  type SeenRequest,
  type Tracker,
  Trackers,
} from './routes.js';

/** `h1`: plain HTTP/1.1. `h1-tls`: HTTP/1.1 over TLS. `h2`: HTTP/2 over TLS (ALPN h2 only). */
export type ServerKind = 'h1' | 'h1-tls' | 'h2';

/** Where the suite's requests go: a server, or `kit.handler` for an adapter without network. */
export interface Target {
  readonly kind: ServerKind | 'handler';
  /** `http://127.0.0.1:PORT`, `https://…`, or the handler's made-up origin. */
  readonly origin: string;
  /** Every request that reached a route, oldest first. */
  readonly log: readonly SeenRequest[];
  /** A tracker for one exchange; put `?t=${tracker.token}` on its URL (see `url`). */
  track(): Tracker;
  /** The absolute URL of `path`, with the tracker's token and `query` added. */
  url(path: string, tracker?: Tracker, query?: Record<string, string | number>): string;
}

/** A conformance server: a Target with sockets to count. */
export interface ServerTarget extends Target {
  readonly kind: ServerKind;
  readonly port: number;
  /** TCP connections accepted since start. */
  readonly connectionCount: number;
  /** TCP connections open now. */
  readonly openConnections: number;
  /**
   * Whether every connection (from the `since`-th accepted on) is closed
   * within `ms`: a bound for failing, not a wait for success.
   */
  allClosed(ms: number, since?: number): Promise<boolean>;
  close(): Promise<void>;
}

function fixture(name: string): string {
  // From src/conformance/ the fixtures sit next to this file; from dist/conformance/ they are in the shipped src.
  const here = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return existsSync(here)
    ? here
    : fileURLToPath(new URL(`../../src/conformance/fixtures/${name}`, import.meta.url));
}

/** The PEM files of the suite's TLS servers: `ca` is the path to pass as `verify`. */
export const TLS_FILES = {
  get ca(): string {
    return fixture('cert.pem');
  },
  get cert(): string {
    return fixture('cert.pem');
  },
  get key(): string {
    return fixture('key.pem');
  },
};

export function urlFor(
  origin: string,
  path: string,
  tracker?: Tracker,
  query: Record<string, string | number> = {},
): string {
  const u = new URL(path, origin);
  if (tracker) u.searchParams.set('t', tracker.token);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, String(v));
  return u.href;
}

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/** Writes body bytes (both kinds of response have the same `write`; only their overloads' types differ). */
function write(res: Res, chunk: Uint8Array): boolean {
  return (res as http.ServerResponse).write(chunk);
}

interface State {
  kind: ServerKind;
  log: SeenRequest[];
  trackers: Trackers;
}

const CHUNK = 64 * 1024;

function seenOf(req: Req, body: Uint8Array | null): SeenRequest {
  const headers: Array<[string, string]> = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!name.startsWith(':')) headers.push([name, raw[i + 1] as string]);
  }
  return { method: req.method ?? 'GET', target: req.url ?? '/', headers, body };
}

async function readAll(req: Req): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

function writeHead(state: State, res: Res, status: number, lines: Array<[string, string]>): void {
  if (state.kind !== 'h2') {
    (res as http.ServerResponse).writeHead(status, lines.flat());
    return;
  }
  // HTTP/2 field names are lower case; repeated names become one array, in order.
  (res as http2.Http2ServerResponse).writeHead(status, groupLines(lines, true));
}

function writeReply(state: State, req: Req, res: Res, reply: Reply): void {
  const lines = [...reply.headers];
  const bodyless = req.method === 'HEAD' || reply.status === 204 || reply.status === 304;
  if (!bodyless && !lines.some(([n]) => n.toLowerCase() === 'content-length')) {
    lines.push(['Content-Length', String(reply.body.byteLength)]);
  }
  writeHead(state, res, reply.status, lines);
  if (bodyless) res.end();
  else res.end(reply.body);
}

function drained(res: Res): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The server side of every route: the shared ones through `answer`, the ones that need a socket here. */
async function serve(state: State, req: Req, res: Res): Promise<void> {
  const target = req.url ?? '/';
  const tracker = state.trackers.of(target);
  // Whether the route ended its response. Not 'finish': HTTP/2's compat layer emits it for a reset stream too.
  res.once('close', () => tracker?.close(res.writableEnded));
  req.on('error', () => {});
  res.on('error', () => {});
  const path = new URL(target, 'http://x').pathname;
  const q = new URL(target, 'http://x').searchParams;
  const arrive = (body: Uint8Array | null) => {
    const seen = seenOf(req, body);
    state.log.push(seen);
    tracker?.receive(seen);
  };
  switch (path) {
    case PATHS.never:
      arrive(null);
      return;
    case PATHS.stallBody:
      arrive(null);
      writeHead(state, res, 200, [
        ['Content-Type', 'application/octet-stream'],
        ['Content-Length', String(1024 * 1024)],
      ]);
      write(res, Buffer.alloc(16 * 1024, 1));
      return;
    case PATHS.upload: {
      arrive(null);
      // Not reading for a while: a client that streams with backpressure must stop producing.
      await sleep(300);
      const hash = createHash('sha1');
      for await (const chunk of req as AsyncIterable<Buffer>) {
        if (tracker) tracker.bytesIn += chunk.byteLength;
        hash.update(chunk);
      }
      writeReply(state, req, res, {
        status: 200,
        headers: [['Content-Type', 'application/json']],
        body: Buffer.from(JSON.stringify({ length: tracker?.bytesIn ?? -1, sha1: hash.digest('hex') })),
      });
      return;
    }
    case PATHS.download: {
      arrive(null);
      const n = Number(q.get('n') ?? 0);
      writeHead(state, res, 200, [
        ['Content-Type', 'application/octet-stream'],
        ['Content-Length', String(n)],
      ]);
      const block = Buffer.alloc(CHUNK, 0x61);
      for (let sent = 0; sent < n; sent += CHUNK) {
        if (res.destroyed || tracker?.isClosed) return;
        const part = block.subarray(0, Math.min(CHUNK, n - sent));
        if (tracker) tracker.bytesOut += part.byteLength;
        if (!write(res, part)) await drained(res);
      }
      res.end();
      return;
    }
    case PATHS.interim: {
      arrive(null);
      if (q.get('kind') === '100') res.writeContinue();
      else res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      await sleep(20);
      writeReply(state, req, res, {
        status: 200,
        headers: [['Content-Type', 'text/plain']],
        body: Buffer.from('final'),
      });
      return;
    }
    case PATHS.truncated: {
      arrive(null);
      if (state.kind !== 'h2') break;
      const stream = (res as http2.Http2ServerResponse).stream;
      writeHead(state, res, 200, [['Content-Length', '1000']]);
      write(res, Buffer.alloc(100, 0x62));
      setTimeout(() => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR), 30);
      return;
    }
  }
  const seen = seenOf(req, await readAll(req));
  state.log.push(seen);
  tracker?.receive(seen);
  writeReply(state, req, res, answer(seen) ?? notFound(seen));
}

/** Starts a conformance server of `kind` on 127.0.0.1 and a free port. */
export async function startConformanceServer(kind: ServerKind): Promise<ServerTarget> {
  const state: State = { kind, log: [], trackers: new Trackers() };
  const onRequest = (req: Req, res: Res) => {
    serve(state, req, res).catch(() => {
      if (kind === 'h2')
        (res as http2.Http2ServerResponse).stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      else (res as http.ServerResponse).destroy();
    });
  };
  const tls = { key: readFileSync(TLS_FILES.key), cert: readFileSync(TLS_FILES.cert) };
  let server: Server;
  if (kind === 'h1') server = http.createServer(onRequest);
  else if (kind === 'h1-tls') server = https.createServer(tls, onRequest);
  else {
    const h2 = http2.createSecureServer({ ...tls, allowHTTP1: false }, onRequest);
    h2.on('sessionError', () => {});
    server = h2;
  }
  return listen(server, kind, state);
}

async function listen(server: Server, kind: ServerKind, state: State): Promise<ServerTarget> {
  const open = new Set<Socket>();
  // Whether each accepted connection is still open, in accept order.
  const live: boolean[] = [];
  const waiters = new Set<() => void>();
  server.on('connection', (socket: Socket) => {
    const index = live.push(true) - 1;
    open.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => {
      open.delete(socket);
      live[index] = false;
      for (const w of waiters) w();
    });
  });
  server.on('error', () => {});
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `${kind === 'h1' ? 'http' : 'https'}://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    kind,
    origin,
    port,
    log: state.log,
    get connectionCount() {
      return live.length;
    },
    get openConnections() {
      return open.size;
    },
    track: () => state.trackers.create(),
    url: (path, tracker, query) => urlFor(origin, path, tracker, query),
    allClosed(ms, since = 0) {
      const quiet = () => !live.slice(since).includes(true);
      if (quiet()) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(ok);
        };
        const wake = () => {
          if (quiet()) done(true);
        };
        const timer = setTimeout(() => done(false), ms);
        waiters.add(wake);
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of open) s.destroy();
      });
      return closing;
    },
  };
}
