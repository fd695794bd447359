import * as http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { serverTls } from './fixtures.js';

export type StreamHandler = (
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  session: http2.ServerHttp2Session,
) => void;

export interface H2ServerOptions {
  /** TLS (default) or h2c. */
  secure?: boolean;
  settings?: http2.Settings;
  /** Extra server options (e.g. requestCert, maxSessionMemory). */
  server?: http2.SecureServerOptions;
}

/** A node:http2 server on 127.0.0.1 that counts what a pool test needs, server-side. */
export interface H2TestServer {
  port: number;
  /** `https://127.0.0.1:port` or `http://…` for h2c. */
  origin: string;
  server: http2.Http2SecureServer | http2.Http2Server;
  /** TCP connections accepted. */
  readonly connections: number;
  /** TLS handshakes completed. */
  readonly handshakes: number;
  /** Every HTTP/2 session, oldest first. */
  sessions: http2.ServerHttp2Session[];
  /** Streams received in total. */
  readonly streams: number;
  /** The most streams open at once on any one session. */
  readonly maxConcurrentPerSession: number;
  close(): Promise<void>;
}

export async function startH2(handler: StreamHandler, options: H2ServerOptions = {}): Promise<H2TestServer> {
  const secure = options.secure ?? true;
  const settings = options.settings ?? {};
  const server = secure
    ? http2.createSecureServer({ ...serverTls(), ...options.server, settings })
    : http2.createServer({ ...options.server, settings });
  const sockets: Socket[] = [];
  const sessions: http2.ServerHttp2Session[] = [];
  let connections = 0;
  let handshakes = 0;
  let streams = 0;
  let maxConcurrent = 0;
  const open = new Map<http2.ServerHttp2Session, number>();
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.push(s);
    s.on('error', () => {});
  });
  server.on('secureConnection', () => handshakes++);
  server.on('session', (session: http2.ServerHttp2Session) => {
    sessions.push(session);
    session.on('error', () => {});
  });
  server.on('stream', (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    streams++;
    const session = stream.session as http2.ServerHttp2Session;
    const n = (open.get(session) ?? 0) + 1;
    open.set(session, n);
    maxConcurrent = Math.max(maxConcurrent, n);
    stream.on('error', () => {});
    stream.once('close', () => open.set(session, (open.get(session) ?? 1) - 1));
    handler(stream, headers, session);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    server,
    get connections() {
      return connections;
    },
    get handshakes() {
      return handshakes;
    },
    sessions,
    get streams() {
      return streams;
    },
    get maxConcurrentPerSession() {
      return maxConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers 200 with `body` (default: the request's path). */
export function respond(
  stream: http2.ServerHttp2Stream,
  body?: string,
  headers: http2.OutgoingHttpHeaders = {},
) {
  if (stream.destroyed || stream.closed) return;
  stream.respond({ ':status': 200, 'content-type': 'text/plain', ...headers });
  stream.end(body);
}
