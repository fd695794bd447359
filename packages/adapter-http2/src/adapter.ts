import type { OutgoingHttpHeaders, Settings } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import {
  type Adapter,
  abortReason,
  ConnectionError,
  DEFAULT_TLS,
  InvalidSchemaError,
  InvalidURLError,
  type PreparedRequest,
  type Response,
  type SendOptions,
  selectProxy,
  type TimeoutConfig,
  type TlsConfig,
  TlsConfigs,
} from '@sess/core';
import { mapError, Unprocessed } from './errors.js';
import { AlpnMemory, isSocketAdopter } from './fallback.js';
import { type Http2AdapterOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { OriginPool, OriginPoolInit, PoolStats } from './origin-pool.js';
import { Pools, poolKey } from './pool.js';
import { toH2Headers } from './request-headers.js';
import { runExchange } from './stream-exchange.js';
import { proxyUrlAuthorization } from './tunnel.js';
import type { UploadState } from './upload.js';
import type { Lease } from './waiter.js';

/** Each stream's receive window: enough to keep a fast download moving, small enough to bound memory. */
const STREAM_WINDOW = 256 * 1024;
/** Re-sends of a request refused with RST_STREAM REFUSED_STREAM (RFC 9113 §8.7). */
const MAX_REFUSED = 1;
/**
 * Re-sends of a request caught above a GOAWAY's last stream id, or on a
 * session that died before the stream got an id. A GOAWAY whose last
 * stream id shows the server processed streams (a server that cycles
 * connections every N requests) costs nothing from this budget: each such
 * round completes other requests, so the rounds end. MAX_RESENDS caps it
 * all the same.
 */
const MAX_GOAWAY = 3;
const MAX_RESENDS = 20;

/**
 * A pooled, multiplexed HTTP/2 transport on `node:http2` (TLS with ALPN,
 * or h2c by prior knowledge), with an optional HTTP/1.1 `fallback`.
 *
 * One session per origin carries every request, up to the peer's stream
 * limit; then more sessions open, up to `maxSessionsPerOrigin`; then
 * requests queue. Requests that arrive while the first session connects
 * share it. `send()` makes exactly one hop and hands the body over unread.
 * See the README for timeouts, errors and the fallback.
 */
export class Http2Adapter implements Adapter {
  readonly #options: ResolvedOptions;
  readonly #pools = new Pools();
  readonly #tls = new TlsConfigs();
  readonly #alpn: AlpnMemory;
  readonly #settings: Settings;
  /** Exchanges waiting for their response headers: close() fails them. */
  readonly #pending = new Set<() => void>();
  #closed = false;
  /** The pool of the last direct request, while the pools have not changed (see send). */
  #last: { origin: string; tls: TlsConfig; key: string; pool: OriginPool; generation: number } | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: Http2AdapterOptions = {}) {
    this.#options = resolveOptions(options);
    this.#alpn = new AlpnMemory(this.#options.fallbackTtl);
    this.#settings = Object.freeze({
      enablePush: false,
      maxHeaderListSize: this.#options.maxHeaderListSize,
      initialWindowSize: STREAM_WINDOW,
    });
  }

  /** Sends one request; resolves at its response headers. */
  send(request: PreparedRequest, options: SendOptions): Promise<Response> {
    try {
      return this.#send(request, options);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * send() up to the first wait: no async function on the hot path (a warm
   * pool's slot is taken at once, and the exchange's promise passes
   * through); it throws where send() rejects.
   */
  #send(request: PreparedRequest, options: SendOptions): Promise<Response> {
    if (this.#closed) throw new ConnectionError('The adapter is closed', { request });
    const signal = options.signal ?? undefined;
    if (signal?.aborted) throw abortReason(signal, request);
    const startedAt = performance.now();
    const url = parseUrl(request);
    const fallback = this.#options.fallback;
    if (url.protocol === 'http:' && !this.#options.h2c) {
      if (fallback) return fallback.send(request, options);
      throw new InvalidSchemaError(
        `Http2Adapter sends http:// URLs only with h2c: true (or to its fallback adapter): ${url.origin}`,
        { request },
      );
    }
    const proxyUrl = selectProxy(url, options.proxies);
    const proxy = proxyUrl === undefined ? undefined : new URL(proxyUrl);
    // Credentials in the proxy URL win over a Proxy-Authorization header; either goes to the proxy only.
    const proxyAuth = proxy
      ? (proxyUrlAuthorization(proxy) ?? request.headers.get('proxy-authorization'))
      : undefined;
    const tls =
      url.protocol === 'https:' || proxy?.protocol === 'https:'
        ? this.#tls.resolve(options.verify, options.cert, request)
        : DEFAULT_TLS;
    // A direct request to the origin of the last one, with its TLS settings: the same key and pool
    // (no key string to build and hash, no closure for a pool that exists).
    const last = this.#last;
    const origin = url.origin;
    let key: string;
    let pool: OriginPool;
    if (
      !proxy &&
      last &&
      last.origin === origin &&
      last.tls === tls &&
      last.generation === this.#pools.generation
    ) {
      key = last.key;
      pool = last.pool;
    } else {
      key = poolKey(origin, proxy && `${proxy.href}\n${proxyAuth ?? ''}`, tls.key);
      pool = this.#pools.get(key, () => this.#poolInit(url, proxy, proxyAuth, tls, key));
      this.#last = proxy ? undefined : { origin, tls, key, pool, generation: this.#pools.generation };
    }
    if (fallback && this.#alpn.isH1(key)) return fallback.send(request, options);

    const { headers } = toH2Headers(request.method, url, request.headers);
    return this.#attempt({
      request,
      options,
      url,
      pool,
      headers,
      signal,
      timeout: options.timeout ?? {},
      viaProxy: proxy !== undefined,
      startedAt,
      upload: { started: false },
      refused: 0,
      goaways: 0,
      resends: 0,
    });
  }

  /** One attempt: a stream slot (at once on a warm pool), then the exchange on it. */
  #attempt(x: H2Send): Promise<Response> {
    const lease = x.pool.tryAcquire();
    if (lease) return this.#exchange(x, lease);
    return x.pool
      .acquire({
        request: x.request,
        signal: x.signal,
        connectTimeout: x.timeout.connect,
        poolTimeout: x.timeout.pool,
      })
      .then((l) => this.#exchange(x, l));
  }

  #exchange(x: H2Send, lease: Lease): Promise<Response> {
    const { request } = x;
    if (lease === 'h1') {
      const fallback = this.#options.fallback;
      if (fallback) return fallback.send(request, x.options);
      return Promise.reject(
        new ConnectionError(
          `${x.url.origin} does not speak HTTP/2 (ALPN chose HTTP/1.1); give Http2Adapter a fallback adapter`,
          { request },
        ),
      );
    }
    return runExchange({
      session: lease,
      request,
      headers: x.headers,
      signal: x.signal,
      readTimeout: x.timeout.read,
      maxHeaderListSize: this.#options.maxHeaderListSize,
      viaProxy: x.viaProxy,
      startedAt: x.startedAt,
      upload: x.upload,
      track: this.#track,
    }).then(undefined, (err: unknown) => this.#afterFailure(x, err));
  }

  /** A request the server provably never processed goes again (within bounds); anything else fails. */
  #afterFailure(x: H2Send, err: unknown): Promise<Response> {
    if (
      err instanceof Unprocessed &&
      !this.#closed &&
      mayResend(x.request, x.upload) &&
      x.resends++ < MAX_RESENDS
    ) {
      if (err.reason === 'refused' ? x.refused++ < MAX_REFUSED : err.progress || x.goaways++ < MAX_GOAWAY)
        return this.#attempt(x);
    }
    throw mapError(err, { request: x.request, phase: 'request', viaProxy: x.viaProxy });
  }

  /** Registers a way for close() to fail an exchange; returns the unregister. */
  readonly #track = (cancel: () => void): (() => void) => {
    this.#pending.add(cancel);
    return () => this.#pending.delete(cancel);
  };

  /** Sessions, streams in flight and queued requests, per origin (`https://host:port`). */
  poolStats(): Record<string, PoolStats> {
    return this.#pools.stats();
  }

  /**
   * Refuses further sends, fails requests still waiting for a stream or
   * for their response headers (ConnectionError), and closes every session
   * and the fallback. Resolves when they are closed; a session still
   * delivering a response body (`stream: true`, not read yet) closes once
   * that body is read or closed, so close() cannot deadlock on it.
   */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const cancel of [...this.#pending]) cancel();
      this.#alpn.clear();
      this.#closing = Promise.all([this.#pools.close(), this.#options.fallback?.close()]).then(() => {});
    }
    return this.#closing as Promise<void>;
  }

  #poolInit(
    url: URL,
    proxy: URL | undefined,
    proxyAuth: string | undefined,
    tls: TlsConfig,
    key: string,
  ): OriginPoolInit {
    const o = this.#options;
    return {
      plan: {
        origin: new URL(url.origin),
        tls: tls.options,
        proxy: proxy && { url: proxy, authorization: proxyAuth },
        settings: this.#settings,
      },
      session: {
        streamCap: o.maxConcurrentStreams,
        idleTimeout: o.idleTimeout,
        pingInterval: o.pingInterval,
      },
      maxSessions: o.maxSessionsPerOrigin,
      viaProxy: proxy !== undefined,
      onH1: (socket) => this.#onH1(key, url.origin, socket, proxy !== undefined),
    };
  }

  /** ALPN chose HTTP/1.1: remember it, and hand the probe's socket to the fallback when it can adopt it. */
  #onH1(key: string, origin: string, socket: TLSSocket, viaProxy: boolean): void {
    const fallback = this.#options.fallback;
    if (fallback) this.#alpn.markH1(key);
    let adopted = false;
    // A tunnelled socket belongs to a proxy route, which the fallback's direct pool must not reuse.
    if (!viaProxy && !this.#closed && isSocketAdopter(fallback)) {
      try {
        adopted = fallback.adoptSocket(origin, socket) === true;
      } catch {
        adopted = false;
      }
    }
    if (!adopted) socket.destroy();
  }
}

/** A body can go again if it is in memory, replays itself, or was not touched yet. */
function mayResend(request: PreparedRequest, upload: UploadState): boolean {
  const body = request.body;
  return body === null || body instanceof Uint8Array || request.bodyReplayable || !upload.started;
}

function parseUrl(request: PreparedRequest): URL {
  const cached = parsed.get(request.url);
  if (cached) return cached;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch (cause) {
    throw new InvalidURLError(`Invalid URL ${JSON.stringify(request.url)}`, { request, cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidSchemaError(`Http2Adapter cannot send ${url.protocol} URLs`, { request });
  }
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(request.url, url);
  return url;
}

/**
 * Request URLs parsed, by href: clients send to the same URLs again and
 * again. Only read, never changed (the adapter treats URL objects as
 * values). Cleared when full.
 */
const parsed = new Map<string, URL>();
const PARSED_MAX = 256;

/** What the attempts of one send() share. */
interface H2Send {
  readonly request: PreparedRequest;
  readonly options: SendOptions;
  readonly url: URL;
  readonly pool: OriginPool;
  readonly headers: OutgoingHttpHeaders;
  readonly signal: AbortSignal | undefined;
  readonly timeout: TimeoutConfig;
  readonly viaProxy: boolean;
  readonly startedAt: number;
  readonly upload: UploadState;
  refused: number;
  goaways: number;
  resends: number;
}
