import type { TLSSocket } from 'node:tls';
import { DEFAULT_TLS, type TlsConfig } from '@sess/core';
import { buildConnector, Client, type Dispatcher, Pool, ProxyAgent } from 'undici';
import { ClientConnector, ConnectGuard, watchTunnels } from './connector.js';
import { OriginPools, type RequestDispatcher } from './origin-pools.js';
import { TrackedClient } from './reuse.js';
import { StatusLineSniffer } from './status-line-sniffer.js';

/**
 * Dispatchers kept at most. Each distinct TLS setting and proxy (with its
 * credentials) needs its own; past this many the oldest is closed gracefully
 * rather than letting pools pile up. Nothing per request (timeouts included)
 * is part of a dispatcher's key.
 */
const MAX_DISPATCHERS = 64;

/** Milliseconds an adopted socket waits for its request before it is closed. */
const ADOPTED_TTL = 5_000;

/**
 * undici takes a server's `Keep-Alive: timeout=` hint over keepAliveTimeout,
 * even a longer one; capping the hint makes the option the longest idle time.
 */
function keepAlive(ms: number | undefined): { keepAliveTimeout?: number; keepAliveMaxTimeout?: number } {
  return ms === undefined ? {} : { keepAliveTimeout: ms, keepAliveMaxTimeout: ms };
}

/** Pool settings shared by every dispatcher the adapter creates. */
export interface PoolSettings {
  /** Connections per origin. */
  connections: number;
  pipelining: number;
  keepAliveTimeout: number | undefined;
}

/**
 * Creates and caches the undici dispatchers: one `Agent` per distinct TLS
 * configuration (each Agent keeps one keep-alive Pool per origin), and one
 * `ProxyAgent` per proxy, proxy credentials and TLS configuration. Nothing is
 * created per request once a configuration has been seen. Timeouts are not
 * part of any key: the exchange keeps them per request, so requests with
 * different budgets share connections and the `connections` cap. No redirect
 * or retry interceptors are added: the adapter makes exactly one hop.
 */
export class Dispatchers {
  readonly #settings: PoolSettings;
  readonly #owned = new Map<string, RequestDispatcher>();
  readonly #connects = new ConnectGuard();
  /** Evicted dispatchers still closing: close(true) must reach them too. */
  readonly #retired = new Set<RequestDispatcher>();
  #default: RequestDispatcher | undefined;
  /** Connected sockets handed over (see adoptSocket), by origin, waiting to be a pool's next connection. */
  readonly #adopted = new Map<string, TLSSocket[]>();

  constructor(settings: PoolSettings) {
    this.#settings = settings;
  }

  /** The dispatcher for a direct connection. */
  direct(tls: TlsConfig): RequestDispatcher {
    if (tls === DEFAULT_TLS) {
      this.#default ??= this.#remember(`direct\n${tls.key}`, this.#agent(tls));
      return this.#default;
    }
    const key = `direct\n${tls.key}`;
    return this.#owned.get(key) ?? this.#remember(key, this.#agent(tls));
  }

  /**
   * Takes a connected TLS socket for the next connection to `origin`
   * (`https://host:port`): the HTTP/2 adapter's ALPN probe, when the server
   * chose HTTP/1.1, so that connection costs no second handshake. A socket
   * not used within a few seconds is closed.
   */
  adopt(origin: string, socket: TLSSocket): boolean {
    let key: string;
    try {
      key = new URL(origin).origin;
    } catch {
      return false;
    }
    if (socket.destroyed || !key.startsWith('https:')) return false;
    const list = this.#adopted.get(key) ?? [];
    list.push(socket);
    this.#adopted.set(key, list);
    const drop = () => this.#takeAdopted(key, socket);
    socket.once('close', drop);
    setTimeout(() => {
      if (this.#takeAdopted(key, socket)) socket.destroy();
    }, ADOPTED_TTL).unref();
    return true;
  }

  /** Removes `socket` (or the next live one) from the origin's list; the one removed, if any. */
  #takeAdopted(key: string, socket?: TLSSocket): TLSSocket | undefined {
    const list = this.#adopted.get(key);
    if (!list) return undefined;
    const i = socket ? list.indexOf(socket) : list.findIndex((s) => !s.destroyed);
    if (i === -1) return undefined;
    const [taken] = list.splice(i, 1);
    if (list.length === 0) this.#adopted.delete(key);
    return taken;
  }

  /** A connector that hands out an adopted socket for its origin first. */
  #adoptingConnector(connect: buildConnector.connector): buildConnector.connector {
    return (options, callback) => {
      if (this.#adopted.size > 0 && options.protocol === 'https:') {
        const port = options.port && String(options.port) !== '443' ? `:${options.port}` : '';
        const socket = this.#takeAdopted(`https://${options.hostname}${port}`);
        if (socket) {
          // Never synchronously: undici's client is still inside its resume loop and would not
          // dispatch the waiting request on a connection reported from within it.
          process.nextTick(callback, null, socket);
          return socket;
        }
      }
      return connect(options, callback);
    };
  }

  /**
   * A connection of its own, for the one re-send after a keep-alive race:
   * the pool would hand out the next idle connection, which may be just as
   * stale as the one that failed. It closes once that request is done.
   */
  fresh(origin: string, tls: TlsConfig): RequestDispatcher {
    const { keepAliveTimeout } = this.#settings;
    const client = new Client(origin, {
      ...keepAlive(keepAliveTimeout),
      connect: this.#connects.wrap(buildConnector({ ...tls.options, timeout: 0 })),
    });
    this.#retired.add(client);
    // Graceful: undici closes it after the request queued on it now.
    queueMicrotask(() => {
      client.close().then(
        () => this.#retired.delete(client),
        () => this.#retired.delete(client),
      );
    });
    return client;
  }

  /**
   * The dispatcher for requests through `proxyUrl`. Credentials in the URL,
   * or `proxyAuthorization` (which wins), become the `Proxy-Authorization`
   * undici sends to the proxy only: on the CONNECT for tunnels, on the
   * request itself for plain-http forwarding.
   */
  proxy(proxyUrl: string, proxyAuthorization: string | undefined, tls: TlsConfig): RequestDispatcher {
    const key = `proxy\n${proxyUrl}\n${proxyAuthorization ?? ''}\n${tls.key}`;
    return this.#owned.get(key) ?? this.#remember(key, this.#proxyAgent(proxyUrl, proxyAuthorization, tls));
  }

  /**
   * Closes every dispatcher created here. Graceful: idle connections close
   * now, busy ones once their response is done. Forced: everything closes
   * now, including requests still queued (an aborted request that waits for a
   * connection that never completes, say).
   */
  async close(force: boolean): Promise<void> {
    const all = [...this.#owned.values(), ...this.#retired];
    if (!force) {
      await Promise.all(all.map((d) => d.close()));
      return;
    }
    this.#owned.clear();
    this.#retired.clear();
    for (const list of this.#adopted.values()) for (const socket of list) socket.destroy();
    this.#adopted.clear();
    this.#default = undefined;
    await Promise.all(all.map((d) => d.destroy()));
    this.#connects.abortAll();
  }

  #remember(key: string, dispatcher: RequestDispatcher): RequestDispatcher {
    if (this.#owned.size >= MAX_DISPATCHERS) {
      for (const [oldKey, old] of this.#owned) {
        if (old === this.#default) continue;
        this.#owned.delete(oldKey);
        // Graceful: requests it carries finish first.
        this.#retired.add(old);
        old.close().then(
          () => this.#retired.delete(old),
          () => this.#retired.delete(old),
        );
        break;
      }
    }
    this.#owned.set(key, dispatcher);
    return dispatcher;
  }

  /**
   * Makes the per-origin Pools of one dispatcher: their clients report
   * connection reuse and give up a connection attempt no request waits for
   * any more (see TrackedClient), and attempts in progress are closed on
   * close() (see ConnectGuard).
   */
  #poolFactory() {
    const { connections, pipelining, keepAliveTimeout } = this.#settings;
    const clientFactory = (origin: URL, options: object) => {
      const opts = options as Client.Options;
      // Pool always hands its clients a connector function.
      const connect = opts.connect as buildConnector.connector;
      // Sees the status lines undici reads on each connection, for a latin-1 reason phrase.
      const sniffer = new StatusLineSniffer();
      const client = new TrackedClient(
        origin,
        opts,
        new ClientConnector(this.#connects, sniffer.wrap(connect)),
      );
      sniffer.serve(client);
      return client;
    };
    return (origin: string | URL, options: object): Dispatcher => {
      const opts = options as Pool.Options;
      // Agent hands over its `connect` options; ProxyAgent hands over its tunnel (or proxy) connector.
      // undici's own connect timeout is off: each request keeps its own clock (see Exchange).
      const connect = this.#adoptingConnector(
        typeof opts.connect === 'function' ? opts.connect : buildConnector({ ...opts.connect, timeout: 0 }),
      );
      return new Pool(origin, {
        connections,
        pipelining,
        ...keepAlive(keepAliveTimeout),
        // undici's own Agent passes the options above along already; ProxyAgent's
        // forwarding wrapper passes only `connect`, hence the defaults first.
        ...opts,
        connect,
        factory: clientFactory,
      });
    };
  }

  /** Direct connections for one TLS configuration: a pool per origin (see OriginPools). */
  #agent(tls: TlsConfig): OriginPools {
    const { connections, pipelining, keepAliveTimeout } = this.#settings;
    const factory = this.#poolFactory();
    const options = { connections, pipelining, ...keepAlive(keepAliveTimeout), connect: tls.options };
    return new OriginPools((origin) => factory(origin, options));
  }

  #proxyAgent(proxyUrl: string, proxyAuthorization: string | undefined, tls: TlsConfig): ProxyAgent {
    const { connections, pipelining, keepAliveTimeout } = this.#settings;
    // verify applies to an https proxy too (as in requests); the client certificate is for the origin only.
    const { cert: _cert, key: _key, ...proxyTls } = tls.options;
    // So that a tunnel whose TLS handshake never completes can be closed (see ConnectGuard).
    watchTunnels();
    // Each request keeps its own connect clock, up to the tunnel being usable (see Exchange); a
    // request that gives up gives up the tunnel attempt, CONNECT included (see ConnectGuard).
    // undici's own, coarser limits are off (0).
    return new ProxyAgent({
      uri: proxyUrl,
      ...(proxyAuthorization !== undefined ? { token: proxyAuthorization } : {}),
      // Plain http goes to an http proxy as an absolute-form request, as requests does;
      // tunnelling it would need CONNECT to port 80, which many proxies refuse.
      proxyTunnel: false,
      connections,
      pipelining,
      ...keepAlive(keepAliveTimeout),
      requestTls: { ...tls.options, timeout: 0 },
      proxyTls: { ...proxyTls, timeout: 0 },
      // The connections that carry CONNECT: the proxy's answer is part of connecting, timed by the
      // request (undici's headers timeout is off).
      clientFactory: (origin: URL, options: object) => {
        const opts = options as Pool.Options;
        return new Pool(origin, {
          ...opts,
          ...(typeof opts.connect === 'function' ? { connect: this.#connects.wrap(opts.connect) } : {}),
          headersTimeout: 0,
        });
      },
      factory: this.#poolFactory(),
    });
  }
}
