import type { TLSSocket } from 'node:tls';
import {
  type Adapter,
  ConnectionError,
  DEFAULT_TLS,
  InvalidProxyURLError,
  InvalidSchemaError,
  InvalidURLError,
  type PreparedRequest,
  ReplayableBody,
  type Response,
  type SendOptions,
  SSLError,
  selectProxy,
  splitProxyCredentials,
  stopOf,
  type TlsConfig,
  TlsConfigs,
  throwIfStopped,
} from '@sess/core';
import type { Dispatcher } from 'undici';
import { Dispatchers } from './agents.js';
import { isDropped } from './errors.js';
import { Exchange } from './exchange.js';
import type { ExchangeInit } from './exchange-init.js';
import { InFlight } from './in-flight.js';
import type { RequestDispatcher } from './origin-pools.js';
import { headerRecord, toUndiciHeaders } from './request-headers.js';
import { kConnectionObserver, type ObservedDispatchOptions } from './reuse.js';
import { SendScope } from './scope.js';

/** Options of `new UndiciAdapter()`. */
export interface UndiciAdapterOptions {
  /**
   * Connections per origin at most; past it, requests wait for a free one
   * (`timeout.pool` bounds the wait). Default 100, httpx's `max_connections`:
   * requests keeps 10 (`pool_maxsize`) but opens more under load
   * (`pool_block=False`), so a cap of 10 would queue what requests sends at once.
   */
  connections?: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining). Default 1: none. */
  pipelining?: number;
  /** Milliseconds an idle keep-alive connection is kept; the server's `Keep-Alive: timeout` may shorten it. undici's default is 4000. */
  keepAliveTimeout?: number;
  /**
   * Retries when the connection could not be established at all (refused,
   * DNS failure, connect timeout, proxy refusal): nothing of the request
   * reached a server, so any request may be retried (requests' `max_retries`).
   * Default 0.
   */
  connectRetries?: number;
  /**
   * Bring your own undici dispatcher for direct (non-proxied) requests. Its
   * connection settings (TLS, connect timeout) are then its own: the
   * per-request `verify`, `cert` and `timeout.connect` do not apply to it.
   * The adapter never closes a dispatcher it did not create.
   */
  dispatcher?: Dispatcher;
}

/** Methods undici sends a body with and keeps the connection after. */
const EXPECTS_BODY = new Set(['POST', 'PUT', 'PATCH', 'QUERY']);

/** Methods whose request may be sent twice (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * requests' `HTTPAdapter` on undici 7: pooled, keep-alive HTTP/1.1 over
 * undici Agents (one Pool per origin), with proxies through undici's
 * ProxyAgent. It makes exactly one hop per `send()`: no redirects, no
 * retries of requests that reached a server (the one exception is the
 * keep-alive race, see README), no cookies.
 */
export class UndiciAdapter implements Adapter {
  readonly #dispatchers: Dispatchers;
  readonly #own: Dispatcher | undefined;
  readonly #tls = new TlsConfigs();
  readonly #connectRetries: number;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Sends in progress: from send() until the response body is done (or the send failed). */
  readonly #inFlight = new InFlight<SendScope>();

  constructor(options: UndiciAdapterOptions = {}) {
    const connections = positiveInt(options.connections ?? 100, 'connections');
    const pipelining = positiveInt(options.pipelining ?? 1, 'pipelining');
    const keepAliveTimeout = options.keepAliveTimeout;
    if (keepAliveTimeout !== undefined && !(Number.isFinite(keepAliveTimeout) && keepAliveTimeout > 0)) {
      throw new TypeError('keepAliveTimeout must be a number of milliseconds > 0');
    }
    if ('maxResponseSize' in options) {
      throw new TypeError(
        'UndiciAdapter no longer takes maxResponseSize: core bounds every body. Set session.maxResponseSize or the request option.',
      );
    }
    const retries = options.connectRetries ?? 0;
    if (!Number.isInteger(retries) || retries < 0)
      throw new TypeError('connectRetries must be an integer >= 0');
    this.#dispatchers = new Dispatchers({ connections, pipelining, keepAliveTimeout });
    this.#own = options.dispatcher;
    this.#connectRetries = retries;
  }

  /** Sends one request; see the README for the error each failure maps to. */
  send(request: PreparedRequest, options: SendOptions): Promise<Response> {
    let plan: SendPlan;
    try {
      plan = this.#plan(request, options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#attempt(plan);
  }

  /** What every attempt of one send() shares, worked out once. Throws for a request that cannot go. */
  #plan(request: PreparedRequest, options: SendOptions): SendPlan {
    if (this.#closed) throw new ConnectionError('The adapter is closed', { request });
    // The session's clock, not options.signal: reading that would make the request an AbortSignal.
    const stop = stopOf(options);
    throwIfStopped(stop, request);
    const startedAt = performance.now();
    const timeout = options.timeout;
    const url = splitUrl(request);

    const outgoing = toUndiciHeaders(request.headers);
    // selectProxy already turns `proxy:3128` into `http://proxy:3128` (requests' prepend_scheme_if_needed).
    const proxy = selectProxy(request.url, options.proxies);
    const tls =
      url.https || proxy !== undefined
        ? this.#tls.resolve(options.verify, options.cert, request)
        : DEFAULT_TLS;
    const dispatcher = proxy
      ? this.#proxyDispatcher(proxy, outgoing.proxyAuthorization, tls, request)
      : (this.#own ?? this.#dispatchers.direct(tls));
    const readTimeout = budget(timeout.read);
    const body = request.body;
    const scope = new SendScope(request, stop, this.#release);
    this.#inFlight.add(scope);
    return {
      request,
      url,
      outgoing,
      tls,
      dispatcher,
      direct: proxy === undefined,
      tracked: proxy !== undefined || this.#own === undefined,
      // A streamed body is watched by the read clock (see Exchange.watchUpload).
      watchUpload: readTimeout > 0 && body !== null && !(body instanceof Uint8Array),
      connectRetries: this.#connectRetries,
      resent: false,
      init: {
        request,
        scope,
        viaProxy: proxy !== undefined,
        poolTimeout: budget(timeout.pool),
        // Not part of any dispatcher's key: the exchange keeps this clock itself, per request.
        // A dispatcher brought by the caller keeps its own connect settings.
        connectTimeout: proxy === undefined && this.#own ? 0 : budget(timeout.connect),
        // undici closes the connection after these (see Exchange.keepsConnection).
        keepsConnection:
          !outgoing.reset && request.method !== 'HEAD' && (body === null || EXPECTS_BODY.has(request.method)),
        readTimeout,
        startedAt,
      },
    };
  }

  /**
   * One attempt. No async function: its answer is the exchange's own promise
   * passed through, one microtask, and only a failure looks at retrying.
   */
  #attempt(plan: SendPlan): Promise<Response> {
    const exchange = new Exchange(plan.init);
    plan.init.scope.attach(exchange);
    const { request, url, outgoing } = plan;
    const body = request.body;
    // A fresh options object per attempt (one that gave up may still sit in a Pool's queue), as a
    // literal of one shape: spreading one with a symbol key sent undici's Request down a slow path.
    const attempt: ObservedDispatchOptions = {
      origin: url.origin,
      path: url.path,
      method: request.method,
      // Through a proxy, the record form: undici's ProxyAgent keeps one value per name of a flat list.
      headers: plan.direct ? outgoing.headers : headerRecord(outgoing.headers),
      // undici streams any (async) iterable with backpressure; its types list only Readable.
      body: (plan.watchUpload && body !== null && !(body instanceof Uint8Array)
        ? exchange.watchUpload(body)
        : body) as ObservedDispatchOptions['body'],
      // The exchange keeps the read clock itself, precisely; undici's would tick in half-seconds.
      headersTimeout: 0,
      bodyTimeout: 0,
      reset: outgoing.reset ? true : undefined,
      [kConnectionObserver]: exchange,
    };
    return exchange
      .start(plan.dispatcher, attempt, plan.tracked)
      .then(undefined, (err: unknown) => this.#afterFailure(plan, exchange, err));
  }

  /** Another attempt when nothing reached a server (connect retries) or in the keep-alive race; else the error. */
  #afterFailure(plan: SendPlan, exchange: Exchange, err: unknown): Promise<Response> {
    const scope = plan.init.scope;
    if (!scope.failure && !this.#closed) {
      if (exchange.phase === 'connect' && plan.connectRetries > 0 && isConnectFailure(err)) {
        plan.connectRetries -= 1;
        return this.#attempt(plan);
      }
      if (
        !plan.resent &&
        exchange.phase === 'request' &&
        exchange.reused &&
        isDropped(exchange.cause) &&
        mayResend(plan.request)
      ) {
        plan.resent = true;
        // On a connection of its own: the pool's next idle one may be as stale as the last.
        if (plan.direct && this.#own === undefined)
          plan.dispatcher = this.#dispatchers.fresh(plan.url.origin, plan.tls);
        return this.#attempt(plan);
      }
    }
    scope.finish();
    throw err;
  }

  /**
   * Takes over a connected TLS socket (ALPN `http/1.1`, nothing sent on it
   * yet) as the next connection to `origin` (`https://host:port`). The
   * HTTP/2 adapter's `fallback` calls it with the socket of its ALPN probe,
   * so an HTTP/1.1-only origin costs one TLS handshake, not two. `false`
   * when the adapter is closed or the socket unusable (the caller closes it).
   */
  adoptSocket(origin: string, socket: TLSSocket): boolean {
    if (this.#closed) return false;
    return this.#dispatchers.adopt(origin, socket);
  }

  /**
   * Refuses further sends and closes every connection the adapter opened.
   *
   * A send still waiting for its response headers (queued, connecting, or
   * sent and unanswered) fails at once with ConnectionError('The adapter was
   * closed'). Then, with no response being received, everything is closed
   * before the promise resolves. A response still being received (`stream:
   * true`, body not read yet) is not cut off: close() resolves at once, that
   * response keeps its connection until its body is read or closed, and then
   * everything left is closed. So closing a session that handed out a
   * streaming response cannot deadlock. A `dispatcher` passed in is left open.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      // Each one stopped here finishes at once (see #release).
      for (const scope of this.#inFlight.snapshot()) scope.closeIfUnanswered();
      if (this.#inFlight.size === 0) this.#closing ??= this.#dispatchers.close(true);
      else this.#dispatchers.close(false).catch(() => {});
    }
    return this.#closing;
  }

  #proxyDispatcher(
    proxy: string,
    proxyAuthorization: string | undefined,
    tls: TlsConfig,
    request: PreparedRequest,
  ): RequestDispatcher {
    try {
      // undici sends URL credentials only when user AND password are non-empty; requests sends `user:`.
      const target = splitProxyCredentials(proxy);
      return this.#dispatchers.proxy(target.url, proxyAuthorization ?? target.authorization, tls);
    } catch (cause) {
      // undici refuses the URL (unparseable, or a scheme it cannot proxy through). Never echo credentials.
      const shown = proxy.replace(/\/\/[^/@]*@/, '//***@');
      throw new InvalidProxyURLError(
        `Invalid proxy URL ${JSON.stringify(shown)}: ${(cause as Error).message}`,
        {
          request,
          cause,
        },
      );
    }
  }

  #release = (scope: SendScope): void => {
    this.#inFlight.delete(scope);
    if (this.#closed && this.#inFlight.size === 0 && !this.#closing) {
      this.#closing = this.#dispatchers.close(true);
      this.#closing.catch(() => {});
    }
  };
}

/** What the attempts of one send() share (see UndiciAdapter.#plan). */
interface SendPlan {
  readonly request: PreparedRequest;
  readonly url: TargetUrl;
  readonly outgoing: ReturnType<typeof toUndiciHeaders>;
  readonly tls: TlsConfig;
  dispatcher: RequestDispatcher | Dispatcher;
  /** Not through a proxy. */
  readonly direct: boolean;
  readonly tracked: boolean;
  readonly watchUpload: boolean;
  connectRetries: number;
  resent: boolean;
  /** One ExchangeInit for every attempt: it is read only. */
  readonly init: ExchangeInit;
}

/** An http(s) URL as the adapter needs it: origin and request target. */
interface TargetUrl {
  origin: string;
  /** Path and query, no fragment. */
  path: string;
  https: boolean;
}

/**
 * Origin and path of the request's URL, without parsing it again: core's
 * PreparedRequest holds a normalised href (`scheme://host[:port]/path?query#frag`).
 */
function splitUrl(request: PreparedRequest): TargetUrl {
  const href = request.url;
  const https = href.startsWith('https://');
  if (!https && !href.startsWith('http://')) {
    let scheme = href;
    try {
      scheme = new URL(href).protocol;
    } catch (cause) {
      throw new InvalidURLError(`Invalid URL ${JSON.stringify(href)}`, { request, cause });
    }
    throw new InvalidSchemaError(`The undici adapter speaks http and https, not ${scheme}`, { request });
  }
  const start = https ? 8 : 7;
  let slash = href.indexOf('/', start);
  if (slash === -1) slash = href.length;
  const hash = href.indexOf('#', slash);
  const path = href.slice(slash, hash === -1 ? href.length : hash);
  return { origin: href.slice(0, slash), path: path || '/', https };
}

/** A budget for the adapter's own clocks, where 0 means none: a 0 ms budget becomes 1 ms (expires at once). */
function budget(ms: number | undefined): number {
  return ms === undefined ? 0 : Math.max(1, Math.ceil(ms));
}

/** A failure to connect that another attempt might not meet. Certificate problems will not go away. */
function isConnectFailure(err: unknown): boolean {
  return err instanceof ConnectionError && !(err instanceof SSLError);
}

/** The keep-alive race: re-send only what may be sent twice, with a body that can be sent twice. */
function mayResend(request: PreparedRequest): boolean {
  const body = request.body;
  return (
    IDEMPOTENT.has(request.method) &&
    request.bodyReplayable &&
    (body === null || body instanceof Uint8Array || body instanceof ReplayableBody)
  );
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be an integer >= 1`);
  return value;
}
