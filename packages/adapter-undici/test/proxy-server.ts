import * as http from 'node:http';
import * as net from 'node:net';
import { httpServer, httpsServer, type TestServer } from './helpers.js';

/** What the proxy received: the request line target and the headers, per request or CONNECT. */
export interface ProxyLog {
  kind: 'forward' | 'connect';
  target: string;
  headers: http.IncomingHttpHeaders;
}

export interface ProxyBehaviour {
  /** Answer CONNECT with this status instead of 200. */
  connectStatus?: number;
  /** Never answer CONNECT. */
  silentConnect?: boolean;
  /** Require this Proxy-Authorization value; anything else gets 407. */
  requireAuth?: string;
  /** Speak TLS to the client (an https:// proxy), with the fixtures' server certificate. */
  tls?: boolean;
}

export interface TestProxy extends TestServer<http.Server> {
  log: ProxyLog[];
  /** Tunnels opened to the target. */
  tunnels: net.Socket[];
}

// Hop-by-hop headers a proxy consumes and does not pass on (RFC 9110 §7.6.1), Proxy-Authorization included.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'upgrade',
]);

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost';
}

/**
 * A small forward proxy on 127.0.0.1: absolute-form requests are forwarded,
 * CONNECT opens a tunnel. It only ever connects to loopback.
 */
export async function startProxy(behaviour: ProxyBehaviour = {}): Promise<TestProxy> {
  const log: ProxyLog[] = [];
  const tunnels: net.Socket[] = [];
  const authorized = (headers: http.IncomingHttpHeaders) =>
    behaviour.requireAuth === undefined || headers['proxy-authorization'] === behaviour.requireAuth;

  const handler: http.RequestListener = (req, res) => {
    log.push({ kind: 'forward', target: req.url ?? '', headers: req.headers });
    if (!authorized(req.headers)) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    if (!isLoopback(target.hostname)) {
      res.writeHead(403).end();
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    const upstream = http.request(
      // agent: false, so the proxy keeps no pooled connection of its own.
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
  const base = await (behaviour.tls ? httpsServer(handler) : httpServer(handler));

  base.server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    log.push({ kind: 'connect', target: req.url ?? '', headers: req.headers });
    client.on('error', () => {});
    if (behaviour.silentConnect) return;
    if (!authorized(req.headers)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    if (behaviour.connectStatus !== undefined) {
      client.end(`HTTP/1.1 ${behaviour.connectStatus} Nope\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host = '', port = ''] = (req.url ?? '').split(':');
    if (!isLoopback(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.push(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });

  return {
    ...base,
    log,
    tunnels,
    close: async () => {
      for (const t of tunnels) t.destroy();
      await base.close();
    },
  };
}
