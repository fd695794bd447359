import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';

/** What the proxy received: a forwarded request or a CONNECT, with its headers. */
export interface ProxyLogEntry {
  kind: 'forward' | 'connect';
  /** The absolute URL of a forwarded request, or `host:port` of a CONNECT. */
  target: string;
  headers: http.IncomingHttpHeaders;
}

/** How the test proxy behaves. */
export interface TestProxyOptions {
  /** Require this exact `Proxy-Authorization` value; anything else gets 407. */
  requireAuth?: string;
  /** Answer CONNECT with this status instead of 200. */
  connectStatus?: number;
  /** Accept CONNECT and never answer it (for connect-timeout tests). */
  silentConnect?: boolean;
  /** Speak TLS to the client (an `https://` proxy) with this key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** A running proxy on 127.0.0.1. */
export interface TestProxy {
  /** `http://127.0.0.1:PORT` (or https). */
  url: string;
  port: number;
  server: http.Server;
  /** Every request and CONNECT it received, oldest first. */
  log: ProxyLogEntry[];
  /** Client connections ever accepted. */
  readonly connectionCount: number;
  /** Every socket the proxy ever had: client connections and tunnels to targets. */
  readonly sockets: readonly net.Socket[];
  /** Closes the proxy, every client connection and every tunnel. */
  close(): Promise<void>;
}

// Hop-by-hop headers a proxy consumes and never passes on (RFC 9110 §7.6.1), credentials included.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'upgrade',
]);

// The proxy only ever connects to loopback, so a test can never send traffic elsewhere through it.
function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

/**
 * A small forward proxy for tests: absolute-form requests are forwarded,
 * CONNECT opens a tunnel, and every request is logged so a test can assert
 * what the proxy (and only the proxy) saw. It refuses targets off loopback.
 */
export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<net.Socket>();
  const everySocket: net.Socket[] = [];
  let connectionCount = 0;
  const authorized = (headers: http.IncomingHttpHeaders) =>
    options.requireAuth === undefined || headers['proxy-authorization'] === options.requireAuth;

  const forward: http.RequestListener = (req, res) => {
    log.push({ kind: 'forward', target: req.url ?? '', headers: req.headers });
    if (!authorized(req.headers)) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!isLoopback(target.hostname)) {
      res.writeHead(403).end();
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    const upstream = http.request(
      // agent: false, so the proxy pools nothing of its own that could outlive close().
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers,
        agent: false,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server = options.tls ? https.createServer(options.tls, forward) : http.createServer(forward);
  server.on('connection', (s: net.Socket) => {
    connectionCount++;
    sockets.add(s);
    everySocket.push(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    log.push({ kind: 'connect', target: req.url ?? '', headers: req.headers });
    client.on('error', () => {});
    if (options.silentConnect) return;
    if (!authorized(req.headers)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    if (options.connectStatus !== undefined) {
      client.end(`HTTP/1.1 ${options.connectStatus} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const sep = (req.url ?? '').lastIndexOf(':');
    const host = (req.url ?? '').slice(0, sep);
    const port = Number((req.url ?? '').slice(sep + 1));
    if (!isLoopback(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    everySocket.push(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    server,
    log,
    get connectionCount() {
      return connectionCount;
    },
    sockets: everySocket,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
