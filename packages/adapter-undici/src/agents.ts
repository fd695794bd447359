import { Agent, buildConnector, type Client, type Dispatcher, Pool, ProxyAgent } from 'undici';
import { ConnectGuard } from './connector.js';
import { TrackedClient } from './reuse.js';
import { DEFAULT_TLS, type TlsConfig } from './tls.js';

/**
 * Dispatchers kept at most. Each distinct TLS setting, connect timeout and
 * proxy needs its own; past this many (a connect timeout computed per request,
 * say) the oldest is closed gracefully rather than letting pools pile up.
 */
const MAX_DISPATCHERS = 64;

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
 * and connect-timeout configuration (each Agent keeps one keep-alive Pool
 * per origin), and one `ProxyAgent` per proxy, proxy credentials and
 * TLS/connect-timeout configuration. Nothing is created per request once a
 * configuration has been seen. No redirect or retry interceptors are added:
 * the adapter makes exactly one hop.
 */
export class Dispatchers {
  readonly #settings: PoolSettings;
  readonly #owned = new Map<string, Dispatcher>();
  readonly #connects = new ConnectGuard();
  /** Evicted dispatchers still closing: close(true) must reach them too. */
  readonly #retired = new Set<Dispatcher>();
  #default: Dispatcher | undefined;

  constructor(settings: PoolSettings) {
    this.#settings = settings;
  }

  /** The dispatcher for a direct connection. `connectTimeout` 0 means none. */
  direct(tls: TlsConfig, connectTimeout: number): Dispatcher {
    if (tls === DEFAULT_TLS && connectTimeout === 0) {
      this.#default ??= this.#remember(`direct\n${tls.key}\n0`, this.#agent(tls, 0));
      return this.#default;
    }
    const key = `direct\n${tls.key}\n${connectTimeout}`;
    return this.#owned.get(key) ?? this.#remember(key, this.#agent(tls, connectTimeout));
  }

  /**
   * The dispatcher for requests through `proxyUrl`. Credentials in the URL,
   * or `proxyAuthorization` (which wins), become the `Proxy-Authorization`
   * undici sends to the proxy only: on the CONNECT for tunnels, on the
   * request itself for plain-http forwarding.
   */
  proxy(
    proxyUrl: string,
    proxyAuthorization: string | undefined,
    tls: TlsConfig,
    connectTimeout: number,
  ): Dispatcher {
    const key = `proxy\n${proxyUrl}\n${proxyAuthorization ?? ''}\n${tls.key}\n${connectTimeout}`;
    return (
      this.#owned.get(key) ??
      this.#remember(key, this.#proxyAgent(proxyUrl, proxyAuthorization, tls, connectTimeout))
    );
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
    this.#default = undefined;
    await Promise.all(all.map((d) => d.destroy()));
    this.#connects.abortAll();
  }

  #remember(key: string, dispatcher: Dispatcher): Dispatcher {
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
   * connection reuse (see TrackedClient), and connecting is bounded by a
   * precise timer and closed on close() (see ConnectGuard).
   */
  #poolFactory(connectTimeout: number) {
    const { connections, pipelining, keepAliveTimeout } = this.#settings;
    const clientFactory = (origin: URL, options: object) =>
      new TrackedClient(origin, options as Client.Options);
    return (origin: string | URL, options: object): Dispatcher => {
      const opts = options as Pool.Options;
      // Agent hands over its `connect` options; ProxyAgent hands over its tunnel (or proxy) connector.
      const connect =
        typeof opts.connect === 'function' ? opts.connect : buildConnector({ ...opts.connect, timeout: 0 });
      return new Pool(origin, {
        connections,
        pipelining,
        ...keepAlive(keepAliveTimeout),
        // undici's own Agent passes the options above along already; ProxyAgent's
        // forwarding wrapper passes only `connect`, hence the defaults first.
        ...opts,
        connect: this.#connects.wrap(connect, connectTimeout),
        factory: clientFactory,
      });
    };
  }

  #agent(tls: TlsConfig, connectTimeout: number): Agent {
    const { connections, pipelining, keepAliveTimeout } = this.#settings;
    return new Agent({
      connections,
      pipelining,
      ...keepAlive(keepAliveTimeout),
      connect: tls.options,
      factory: this.#poolFactory(connectTimeout),
    });
  }

  #proxyAgent(
    proxyUrl: string,
    proxyAuthorization: string | undefined,
    tls: TlsConfig,
    connectTimeout: number,
  ): ProxyAgent {
    const { connections, pipelining, keepAliveTimeout } = this.#settings;
    // verify applies to an https proxy too (as in requests); the client certificate is for the origin only.
    const { cert: _cert, key: _key, ...proxyTls } = tls.options;
    // The precise limit wraps the whole tunnel (see #poolFactory). These coarser undici limits only
    // make sure a step still pending after that limit fired does not linger: 0 turns them off.
    return new ProxyAgent({
      uri: proxyUrl,
      ...(proxyAuthorization !== undefined ? { token: proxyAuthorization } : {}),
      // Plain http goes to an http proxy as an absolute-form request, as requests does;
      // tunnelling it would need CONNECT to port 80, which many proxies refuse.
      proxyTunnel: false,
      connections,
      pipelining,
      ...keepAlive(keepAliveTimeout),
      requestTls: { ...tls.options, timeout: connectTimeout },
      proxyTls: { ...proxyTls, timeout: connectTimeout },
      // The connections that carry CONNECT: the proxy's answer is part of connecting
      // (the precise limit is on the tunnel as a whole; this one is the backstop).
      clientFactory: (origin: URL, options: object) => {
        const opts = options as Pool.Options;
        return new Pool(origin, {
          ...opts,
          ...(typeof opts.connect === 'function' ? { connect: this.#connects.wrap(opts.connect, 0) } : {}),
          headersTimeout: connectTimeout,
        });
      },
      factory: this.#poolFactory(connectTimeout),
    });
  }
}
