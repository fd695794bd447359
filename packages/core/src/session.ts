import type { Adapter } from './adapter.js';
import type { BodyLimits } from './body-source.js';
import { type Clock, liveStop, startClock } from './clock.js';
import { applyCookieHeader, isPromise } from './cookie-header.js';
import { NoCookieJar, type SessionCookieJar } from './cookie-jar.js';
import { tracedHop, tracing } from './diagnostics.js';
import { netrcAuthFrom } from './env/netrc.js';
import { resolveProxies } from './env/resolve-proxies.js';
import { nameRequest } from './error-context.js';
import { SessionClosedError } from './errors.js';
import { createFetch, type SessFetch } from './fetch/index.js';
import {
  appendHooks,
  defaultHooks,
  type HookContext,
  type Hooks,
  mergeHooks,
  runBeforeError,
  toHooks,
} from './hooks.js';
import { mergeHeaders, mergeParams } from './merge.js';
import { MountTable } from './mount.js';
import { composePlugins, type Plugin } from './plugin.js';
import { PreparedRequest } from './prepared-request.js';
import { withUploadProgress } from './progress.js';
import { type HopState, redirectStep } from './redirect-step.js';
import type { RedirectContext } from './redirects.js';
import { type Request, type RequestOptions, requestOf } from './request.js';
import type { Response } from './response.js';
import { checkSendOptions, type SessionSendOptions } from './send-checks.js';
import type { SendFn, SendOptions } from './send-options.js';
import { SessionSettings } from './session-settings.js';
import { settleResponse } from './settle.js';
import { type RequestStop, raceStop, signalStop, stopOf, throwIfStopped } from './stop.js';
import { normalizeTimeout, type Timeout } from './timeout.js';
import { joinBaseUrl } from './url.js';

export type { SessionSendOptions };

/** Constructor options of a Session. */
export interface SessionOptions {
  /** The jar that remembers cookies; `@sess/core` alone defaults to `NoCookieJar`. */
  cookies?: SessionCookieJar;
}

/**
 * A persistent browser tab (requests' `Session`): remembers cookies, keeps
 * connections warm through its mounted adapters, and merges its defaults
 * into every request, request > session > environment > defaults.
 *
 * A request lives in this order (the methods below follow it): the clock
 * starts (`request`), the request is prepared (`prepareRequest`), then for
 * each hop: beforeRequest hooks, the plugin chain ending in the adapter, the
 * body read and the cookies stored, response hooks, and the redirect rules.
 *
 * `@sess/core`'s Session has no adapters mounted; the `sess` package's has
 * undici on http:// and https:// and a real cookie jar.
 */
export class Session extends SessionSettings {
  /** The jar: cookies from every response are stored here and sent back where RFC 6265 allows. */
  cookies: SessionCookieJar;

  #mounts = new MountTable();
  #plugins: Plugin[] = [];
  #pluginHooks: Hooks = defaultHooks();
  #chain: SendFn;
  #closed = false;
  #fetch: SessFetch | undefined;

  constructor(options: SessionOptions = {}) {
    super();
    this.cookies = options.cookies ?? new NoCookieJar();
    this.#chain = this.#adapterSend;
  }

  /** Mounts `adapter` for URLs under `prefix` (e.g. `https://`, `https://api.example.com/v2`). */
  mount(prefix: string, adapter: Adapter): this {
    this.#mounts.mount(prefix, adapter);
    return this;
  }

  /** The adapter for `url`: the most specific mounted prefix, else InvalidSchemaError. */
  getAdapter(url: string): Adapter {
    return this.#mounts.get(url);
  }

  /** Prefix -> adapter, most specific first. */
  get adapters(): ReadonlyArray<readonly [string, Adapter]> {
    return this.#mounts.entries();
  }

  /** The plugins in the order they were added. */
  get plugins(): readonly Plugin[] {
    return this.#plugins;
  }

  /**
   * Attaches a plugin (see `Plugin`): in the order added, the first
   * outermost. The chain is composed here, once; the plugin object itself
   * is kept, so its state lives as long as the session.
   */
  use(plugin: Plugin): this {
    if (typeof plugin !== 'object' || plugin === null || typeof plugin.name !== 'string')
      throw new TypeError('use() takes a plugin: an object with a name, and send() and/or hooks');
    if (plugin.send !== undefined && typeof plugin.send !== 'function')
      throw new TypeError(`Plugin ${plugin.name}: send must be a function`);
    const hooks = toHooks(plugin.hooks);
    this.#plugins.push(plugin);
    this.#chain = composePlugins(this.#plugins, this.#adapterSend);
    appendHooks(this.#pluginHooks, hooks);
    return this;
  }

  /**
   * Merges the session's headers, params, cookies, auth and hooks into
   * `request`. `signal` bounds the wait on a jar with an async store or a
   * slow auth; `request()` passes the request's own.
   */
  async prepareRequest(request: Request, signal?: AbortSignal): Promise<PreparedRequest> {
    return this.#prepare(request, signalStop(signal));
  }

  /** prepareRequest without a promise when nothing in it waits (no async jar, no auth). */
  #prepare(request: Request, stop: RequestStop | undefined): PreparedRequest | Promise<PreparedRequest> {
    const p = new PreparedRequest();
    p.prepareMethod(request.method);
    const url = this.baseUrl === null ? request.url : joinBaseUrl(this.baseUrl, request.url);
    p.prepareUrl(url, mergeParams(request.params, this.params));
    // mergeHeaders returns a fresh Headers: the request owns it, no second copy.
    p.prepareHeaders(mergeHeaders(request.headers, this.headers), true);
    p.prepareCookies(request.cookies);
    const cookies = applyCookieHeader(p, this.cookies, stop);
    if (isPromise(cookies)) return cookies.then(() => this.#prepareBodyAndAuth(p, request, stop));
    return this.#prepareBodyAndAuth(p, request, stop);
  }

  #prepareBodyAndAuth(
    p: PreparedRequest,
    request: Request,
    stop: RequestStop | undefined,
  ): PreparedRequest | Promise<PreparedRequest> {
    p.prepareBody(request.data, request.json, request.files);
    // request > session > credentials in the URL > netrc; a request's `null` turns all of them off.
    let auth = request.auth === undefined ? (this.auth ?? p.urlAuth ?? null) : request.auth;
    const isHttp = p.url.startsWith('http:') || p.url.startsWith('https:');
    const env = this.environment;
    if (auth === null && request.auth === undefined && env && env.netrcPaths.length > 0 && isHttp) {
      auth = netrcAuthFrom(env.netrcPaths, p.url) ?? null;
    }
    p.netrcAllowed = request.auth !== null;
    const hooks = this.#hooksFor(request);
    if (!auth) {
      p.prepareHooks(hooks);
      return p;
    }
    return raceStop(p.prepareAuth(auth), stop, p).then(() => {
      p.prepareHooks(hooks);
      return p;
    });
  }

  /**
   * Builds, prepares and sends a request (requests' `Session.request`). The
   * clock starts here: `timeout.total` covers preparing, every hop, hook
   * re-sends and plugin waits, up to the last byte of the body (the headers
   * with `stream: true`).
   */
  override request(method: string, url: string | URL, options: RequestOptions = {}): Promise<Response> {
    if (typeof options !== 'object' || options === null)
      return Promise.reject(
        new TypeError(`request options must be an object, got ${options === null ? 'null' : typeof options}`),
      );
    try {
      checkSendOptions(options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#run(undefined, method, url, options);
  }

  /**
   * Sends a prepared request and follows redirects (requests'
   * `Session.send`). The clock starts here for a request prepared by hand.
   */
  send(request: PreparedRequest, options: SessionSendOptions = {}): Promise<Response> {
    if (!(request instanceof PreparedRequest))
      return Promise.reject(
        new TypeError(
          'send() takes a PreparedRequest: use session.prepareRequest(request) or request.prepare() first',
        ),
      );
    try {
      checkSendOptions(options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#run(request, request.method, request.url, options);
  }

  /**
   * A request's whole life, in one async function (each level of async
   * functions costs the hot path a promise and a turn): the clock, preparing
   * (unless `prepared` is given), then hop after hop until a response that
   * is not followed.
   */
  async #run(
    prepared: PreparedRequest | undefined,
    method: string,
    url: string | URL,
    options: RequestOptions,
  ): Promise<Response> {
    const clock = this.#startClock(options.timeout, options.signal);
    let request = prepared;
    try {
      if (request) this.#checkOpen(request);
      else {
        const req = requestOf(method, url, options);
        this.#checkOpen(req);
        const stop = liveStop(clock);
        throwIfStopped(stop, req);
        const p = this.#prepare(req, stop);
        request = isPromise(p) ? await p : p;
      }
      const hops = this.#firstHop(request, options, clock);
      let req = request;
      for (;;) {
        let res = await this.#hop(req, hops.options, hops.limits);
        // No promise to wait on when there are no response hooks (nearly always).
        if (req.hooks.response.length > 0)
          res = await this.#runResponseHooks(req, res, hops.options, hops.limits);
        if (!hops.allowRedirects || !res.isRedirect) {
          // A hook may have put responses there already (digest's 401); redirects come first.
          if (hops.history.length > 0) res.history = hops.history.concat(res.history);
          // requests' Session.send raises nothing; `throwHttpErrors` is request()'s.
          if (!prepared && (options.throwHttpErrors ?? this.throwHttpErrors)) res.raiseForStatus();
          return res;
        }
        req = await redirectStep(req, res, hops, this.#redirectContext(stopOf(hops.options)), (u) =>
          resolveProxies(u, options.proxies, this.proxies, this.environment),
        );
      }
    } catch (err) {
      throw await this.#beforeError(err, request);
    } finally {
      this.#stopClock(clock, options.stream);
    }
  }

  /**
   * A WHATWG fetch backed by this session (src/fetch/): the global fetch's
   * signature, bound, the same function on every access, so it can be handed
   * to SDKs: `new OpenAI({ fetch: s.fetch })`, `const { fetch } = s`.
   */
  get fetch(): SessFetch {
    this.#fetch ??= createFetch(this);
    return this.#fetch;
  }

  /** Closes every mounted adapter. The session cannot send afterwards (SessionClosedError). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#mounts.adapters().map((a) => a.close()));
  }

  /** `await using s = new Session()` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** What the hops of one request share: the first hop's options, the body's limits, the redirects so far. */
  #firstHop(request: PreparedRequest, options: SessionSendOptions, clock: Clock): HopState {
    const hopOptions = this.firstHopOptions(request.url, options, clock);
    if (options.onUploadProgress && request.body !== null) {
      const length = Number(request.headers.get('content-length') ?? Number.NaN);
      request.body = withUploadProgress(
        request.body,
        Number.isNaN(length) ? undefined : length,
        options.onUploadProgress,
      );
    }
    return {
      options: hopOptions,
      limits: {
        maxSize: hopOptions.maxResponseSize,
        stop: liveStop(clock),
        onProgress: options.onDownloadProgress,
      },
      allowRedirects: options.allowRedirects ?? true,
      maxRedirects: options.maxRedirects ?? this.maxRedirects,
      history: [],
    };
  }

  /**
   * One hop: beforeRequest hooks (which may answer), the plugin chain ending
   * in the adapter, then the body (unless streaming) and the cookies.
   */
  async #hop(req: PreparedRequest, options: SendOptions, limits: BodyLimits): Promise<Response> {
    let res: Response | undefined;
    for (const hook of req.hooks.beforeRequest) {
      const answer = await hook(req, options);
      if (answer) {
        res = answer;
        break;
      }
    }
    if (res) return settleResponse(res, req, options, limits, this.cookies);
    // Diagnostics only when someone listens (tracing): nothing extra on the hot path otherwise.
    if (!tracing()) {
      res = await this.#sendChain(req, options);
      // A Response when its body came with the headers: returned as is, no further wait.
      return settleResponse(res, req, options, limits, this.cookies);
    }
    return tracedHop(
      req,
      () => this.#sendChain(req, options),
      (r) => settleResponse(r, req, options, limits, this.cookies),
    );
  }

  /**
   * The plugin chain, bounded by the request's signal. With no plugin the
   * adapter alone answers, and adapters stop at their signal themselves (the
   * contract, checked by adapterConformance): no race to pay for. A plugin
   * may wait on anything, so then the session races it.
   */
  #sendChain(req: PreparedRequest, options: SendOptions): Promise<Response> {
    const sent = this.#chain(req, options);
    return this.#plugins.length === 0 ? sent : raceStop(sent, stopOf(options), req);
  }

  /** The end of the plugin chain: the adapter mounted for the URL. */
  #adapterSend: SendFn = (request, options) => this.getAdapter(request.url).send(request, options);

  async #runResponseHooks(
    req: PreparedRequest,
    res: Response,
    options: SendOptions,
    limits: BodyLimits,
  ): Promise<Response> {
    const hooks = req.hooks.response;
    const context: HookContext = {
      options,
      send: async (r) => {
        await applyCookieHeader(r, this.cookies, stopOf(options));
        return this.#hop(r, options, limits);
      },
    };
    try {
      for (const hook of hooks) {
        const replaced = await hook(res, context);
        if (replaced) res = replaced;
      }
    } catch (err) {
      // Nobody can reach this response any more: give its connection back (a no-op once read).
      await res.close();
      throw err;
    }
    return res;
  }

  /** What redirects need from the session, with jar waits bounded by the request's signal. */
  #redirectContext(stop: RequestStop | undefined): RedirectContext {
    return {
      applyCookies: (r) => applyCookieHeader(r, this.cookies, stop),
      netrcAuth: (url: string) =>
        this.environment ? netrcAuthFrom(this.environment.netrcPaths, url, { machineOnly: true }) : undefined,
    };
  }

  /** Session hooks, then the plugins', then the request's. */
  #hooksFor(request: Request): Hooks {
    const own = request.hooks ? toHooks(request.hooks) : undefined;
    const withPlugins = this.#plugins.length > 0 ? mergeHooks(this.hooks, this.#pluginHooks) : this.hooks;
    return own ? mergeHooks(withPlugins, own) : withPlugins;
  }

  /** beforeError hooks may replace the error about to be thrown. */
  #beforeError(err: unknown, request: PreparedRequest | undefined): Promise<unknown> {
    nameRequest(err, request);
    const hooks = request?.hooks.beforeError ?? [...this.hooks.beforeError, ...this.#pluginHooks.beforeError];
    return runBeforeError(hooks, err, request);
  }

  #checkOpen(request: PreparedRequest | Request): void {
    if (this.#closed) throw new SessionClosedError('The session is closed: create a new one', { request });
  }

  #startClock(timeout: Timeout | null | undefined, signal: AbortSignal | undefined): Clock {
    return startClock(timeout === undefined ? this.sessionTimeout() : normalizeTimeout(timeout), signal);
  }

  /** With `stream: true` the caller's signal still governs the body; the deadline does not. */
  #stopClock(clock: Clock, stream: boolean | undefined): void {
    if (stream ?? this.stream) clock.stopDeadline();
    else clock.release();
  }
}
