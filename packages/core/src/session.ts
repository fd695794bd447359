import type { Adapter, SendFn, SendOptions } from './adapter.js';
import type { AuthInit } from './auth/auth.js';
import { NoCookieJar, type SessionCookieJar } from './cookie-jar.js';
import { defaultHeaders } from './default-headers.js';
import { getEnvCaBundle } from './env/ca-bundle.js';
import { getNetrcAuth } from './env/netrc.js';
import { resolveProxies } from './env/resolve-proxies.js';
import { AbortError, ConnectionError, TooManyRedirectsError } from './errors.js';
import type { Headers } from './headers.js';
import { defaultHooks, type HookContext, type Hooks, mergeHooks, toHooks } from './hooks.js';
import { hopBounds, isPromise, type JarBounds, jarCall } from './jar-call.js';
import { mergeHeaders, mergeParams } from './merge.js';
import { MountTable } from './mount.js';
import type { ParamValue } from './params.js';
import type { Plugin } from './plugin.js';
import { PreparedRequest } from './prepared-request.js';
import { buildRedirect, type RedirectContext, refreshCookieHeader } from './redirects.js';
import { Request, type RequestOptions } from './request.js';
import type { Response } from './response.js';
import { normalizeTimeout, type Timeout } from './timeout.js';

/**
 * Options of `session.send()`. Each is merged with the session's and the
 * environment's (request > session > environment > defaults); `proxies`
 * are merged again for every redirect hop, since NO_PROXY depends on the host.
 */
export interface SessionSendOptions {
  /** Hand the body over unread; default `session.stream`. */
  stream?: boolean | undefined;
  /** Milliseconds; default `session.timeout`. `null`: no limit. */
  timeout?: Timeout | null | undefined;
  /** TLS verification; default `session.verify`, then the environment's CA bundle, then `true`. */
  verify?: boolean | string | undefined;
  /** Client certificate; default `session.cert`. */
  cert?: string | readonly [string, string] | null | undefined;
  /** The request's own proxies, merged with the session's and the environment's per hop. */
  proxies?: Record<string, string | null> | null | undefined;
  /** Cancels the request at any stage. */
  signal?: AbortSignal | undefined;
  /** Follow redirects; default `true`. */
  allowRedirects?: boolean | undefined;
}

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
 * `@sess/core`'s Session has no adapters mounted; the `sess` package's has
 * undici on http:// and https:// and a real cookie jar.
 */
export class Session {
  /** Sent with every request; a request's header of the same name wins, its `null` removes one. */
  headers: Headers = defaultHeaders();
  /** `[user, pass]` or an Auth object, used when a request gives none. */
  auth: AuthInit | null = null;
  /** Query parameters added to every request. */
  params: Record<string, ParamValue | null> = {};
  /** The jar: cookies from every response are stored here and sent back where RFC 6265 allows. */
  cookies: SessionCookieJar;
  /** Event hooks run for every request of this session, before the request's own. */
  hooks: Hooks = defaultHooks();
  /** Proxy URLs: keys `http`, `https`, `all`, `scheme://host`, and `no_proxy`. */
  proxies: Record<string, string> = {};
  /** Client certificate: PEM path, or `[certPath, keyPath]`. */
  cert: string | readonly [string, string] | null = null;
  /** Redirects followed before TooManyRedirectsError. */
  maxRedirects = 30;
  /** Honour HTTP(S)_PROXY / ALL_PROXY / NO_PROXY, ~/.netrc and CA bundle variables. */
  trustEnv = true;
  /** Default for `stream`. */
  stream = false;
  /** Default timeout in milliseconds (requests has none; `null` waits forever). */
  timeout: Timeout | null = null;

  #verify: boolean | string | undefined;
  #mounts = new MountTable();
  #plugins: Plugin[] = [];
  #send: SendFn;
  #closed = false;

  constructor(options: SessionOptions = {}) {
    this.cookies = options.cookies ?? new NoCookieJar();
    this.#send = this.#hop;
  }

  /**
   * TLS verification: `true`, `false` or a CA bundle path. Until set, a CA
   * bundle from the environment (when `trustEnv`) applies; once set on the
   * session it beats the environment (requests gets this precedence wrong).
   */
  get verify(): boolean | string {
    return this.#verify ?? true;
  }
  set verify(value: boolean | string) {
    this.#verify = value;
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
   * Attaches a plugin. Plugins wrap the single-hop send in the order added,
   * the first outermost (a request passes the first plugin first; its
   * response returns through it last). The chain is rebuilt at each `use`,
   * so `wrapSend` may be called more than once and should keep state on the
   * plugin, not in the closure it returns.
   */
  use(plugin: Plugin): this {
    this.#plugins.push(plugin);
    let send: SendFn = this.#hop;
    for (let i = this.#plugins.length - 1; i >= 0; i--) {
      const p = this.#plugins[i] as Plugin;
      if (p.wrapSend) send = p.wrapSend(send, this);
    }
    this.#send = send;
    if (plugin.hooks) {
      const extra = toHooks(plugin.hooks);
      this.hooks.response.push(...extra.response);
      this.hooks.beforeRequest.push(...extra.beforeRequest);
      this.hooks.beforeRedirect.push(...extra.beforeRedirect);
    }
    return this;
  }

  /**
   * Merges the session's headers, params, cookies, auth and hooks into
   * `request`. `bounds` limits the wait on a jar with an async store (a
   * signal, a deadline); `request()` passes its own.
   */
  async prepareRequest(request: Request, bounds?: JarBounds): Promise<PreparedRequest> {
    const p = new PreparedRequest();
    p.prepareMethod(request.method);
    p.prepareUrl(request.url, mergeParams(request.params, this.params));
    p.prepareHeaders(mergeHeaders(request.headers, this.headers));
    const isHttp = p.url.startsWith('http:') || p.url.startsWith('https:');
    let jar = isHttp ? jarCall(this.cookies.getCookieHeader(p.url), p, bounds) : '';
    if (isPromise(jar)) jar = await jar;
    p.prepareCookies(jar, request.cookies);
    p.prepareBody(request.data, request.json, request.files);
    // request > session > credentials in the URL > netrc; a request's `null` turns all of them off.
    let auth = request.auth === undefined ? (this.auth ?? p.urlAuth ?? null) : request.auth;
    if (auth === null && request.auth === undefined && this.trustEnv && isHttp) {
      auth = getNetrcAuth(p.url) ?? null;
    }
    p.netrcAllowed = request.auth !== null;
    if (auth) await p.prepareAuth(auth);
    p.prepareHooks(request.hooks ? mergeHooks(toHooks(request.hooks), this.hooks) : this.hooks);
    return p;
  }

  /**
   * The transport settings for `url`, request > session > environment >
   * defaults. Environment proxies are skipped when NO_PROXY (or a `no_proxy`
   * key) says so; explicit ones are not.
   */
  mergeEnvironmentSettings(
    url: string,
    proxies: Record<string, string | null> | null | undefined,
    stream: boolean | undefined,
    verify: boolean | string | undefined,
    cert: string | readonly [string, string] | null | undefined,
  ): Pick<SendOptions, 'proxies' | 'stream' | 'verify' | 'cert'> {
    return {
      proxies: resolveProxies(url, proxies, this.proxies, this.trustEnv),
      stream: stream ?? this.stream,
      // The environment's CA bundle is read only when neither the request nor the session set verify.
      verify: verify ?? this.#verify ?? (this.trustEnv ? getEnvCaBundle() : undefined) ?? true,
      cert: cert === undefined ? this.cert : cert,
    };
  }

  /** Builds, prepares and sends a request (requests' `Session.request`). */
  async request(method: string, url: string | URL, options: RequestOptions = {}): Promise<Response> {
    const req = new Request({
      method,
      url,
      headers: options.headers,
      params: options.params,
      data: options.data,
      json: options.json,
      files: options.files,
      cookies: options.cookies,
      auth: options.auth,
      hooks: options.hooks,
    });
    const signal = options.signal;
    if (signal?.aborted)
      throw new AbortError('Request aborted before it was sent', { request: req, cause: signal.reason });
    const total = normalizeTimeout(options.timeout === undefined ? this.timeout : options.timeout).total;
    const prep = await this.prepareRequest(req, {
      signal,
      deadline: total === undefined ? undefined : performance.now() + total,
    });
    return this.send(prep, {
      proxies: options.proxies,
      stream: options.stream,
      verify: options.verify,
      cert: options.cert,
      timeout: options.timeout,
      allowRedirects: options.allowRedirects,
      signal: options.signal,
    });
  }

  /** GET `url`; see `request()` for the options. */
  get(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('GET', url, options);
  }
  /** HEAD does not follow redirects unless `allowRedirects: true` (as in requests). */
  head(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('HEAD', url, { ...options, allowRedirects: options?.allowRedirects ?? false });
  }
  /** OPTIONS `url`; see `request()` for the options. */
  options(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('OPTIONS', url, options);
  }
  /** POST `url`; see `request()` for the options. */
  post(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('POST', url, options);
  }
  /** PUT `url`; see `request()` for the options. */
  put(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('PUT', url, options);
  }
  /** PATCH `url`; see `request()` for the options. */
  patch(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('PATCH', url, options);
  }
  /** DELETE `url`; see `request()` for the options. */
  delete(url: string | URL, options?: RequestOptions): Promise<Response> {
    return this.request('DELETE', url, options);
  }

  /**
   * Sends a prepared request and follows redirects (requests' `Session.send`).
   * Every hop passes the plugins, the adapter, cookie extraction and the
   * response hooks. A `timeout.total` covers all hops together.
   */
  async send(request: PreparedRequest, options: SessionSendOptions = {}): Promise<Response> {
    if (this.#closed) throw new ConnectionError('Session is closed', { request });
    const signal = options.signal;
    if (signal?.aborted)
      throw new AbortError('Request aborted before it was sent', { request, cause: signal.reason });
    const settings = this.mergeEnvironmentSettings(
      request.url,
      options.proxies,
      options.stream,
      options.verify,
      options.cert,
    );
    let hopOptions: SendOptions = {
      ...settings,
      timeout: options.timeout === undefined ? this.timeout : options.timeout,
      signal,
    };
    const total = normalizeTimeout(hopOptions.timeout).total;
    const deadline = total === undefined ? undefined : performance.now() + total;
    const allowRedirects = options.allowRedirects ?? true;
    const history: Response[] = [];
    let redirects = 0;
    let req = request;
    for (;;) {
      if (deadline !== undefined) {
        const total = Math.max(0, deadline - performance.now());
        hopOptions = { ...hopOptions, timeout: { ...normalizeTimeout(hopOptions.timeout), total } };
      }
      for (const hook of req.hooks.beforeRequest) await hook(req, hopOptions);
      let res = await this.#send(req, hopOptions);
      let next: PreparedRequest;
      try {
        res = await this.#runResponseHooks(req, res, hopOptions, { signal, deadline });
        if (!allowRedirects || !res.isRedirect) {
          // A hook may have put responses there already (digest's 401); redirects come first.
          res.history = history.concat(res.history);
          return res;
        }
        if (redirects >= this.maxRedirects) {
          res.history = history.concat(res.history);
          throw new TooManyRedirectsError(`Exceeded ${this.maxRedirects} redirects.`, { response: res });
        }
        next = await buildRedirect(req, res, this.#redirectContext(req, { signal, deadline }));
      } catch (err) {
        // Nobody can reach this response any more: give its connection back (a no-op once read).
        await res.close();
        throw err;
      }
      await res.close();
      res.history = history.concat(res.history);
      history.push(...res.history.slice(history.length), res);
      redirects++;
      for (const hook of next.hooks.beforeRedirect) await hook(next, res);
      if (signal?.aborted) throw new AbortError('Request aborted', { request: next, cause: signal.reason });
      // Proxies are chosen per URL: NO_PROXY may say otherwise for the new host.
      // A fresh object per hop: plugins and adapters may keep the one they were given.
      if (/^https?:/.test(next.url))
        hopOptions = {
          ...hopOptions,
          proxies: resolveProxies(next.url, options.proxies, this.proxies, this.trustEnv),
        };
      req = next;
    }
  }

  /** What redirects and hook re-sends need from the session, with the jar bounded by this hop's signal and budget. */
  #redirectContext(request: PreparedRequest, bounds: JarBounds): RedirectContext {
    return {
      jarCookieHeader: (url: string) => jarCall(this.cookies.getCookieHeader(url), request, bounds),
      netrcAuth: (url: string) =>
        this.trustEnv ? getNetrcAuth(url, process.env, { machineOnly: true }) : undefined,
    };
  }

  async #runResponseHooks(
    req: PreparedRequest,
    res: Response,
    options: SendOptions,
    bounds: JarBounds,
  ): Promise<Response> {
    const hooks = req.hooks.response;
    if (hooks.length === 0) return res;
    const context: HookContext = {
      options,
      send: async (r) => {
        await refreshCookieHeader(r, this.#redirectContext(r, bounds));
        return this.#send(r, options);
      },
    };
    for (const hook of hooks) {
      const replaced = await hook(res, context);
      if (replaced) res = replaced;
    }
    return res;
  }

  /** One hop on the wire: adapter, body read (unless streaming), cookies stored. Plugins wrap this. */
  #hop: SendFn = async (request, options) => {
    // Taken now: `total` in options is what was left when this hop started.
    const bounds = hopBounds(options);
    const adapter = this.getAdapter(request.url);
    const res = await adapter.send(request, options);
    const setCookies = res.headers.getSetCookie();
    try {
      if (!options.stream && !res.isRead) await res.read();
      if (setCookies.length > 0) {
        const stored = jarCall(this.cookies.setCookiesFromResponse(setCookies, res.url), request, bounds);
        if (isPromise(stored)) await stored;
      }
    } catch (err) {
      await res.close();
      throw err;
    }
    const jar = this.cookies;
    res.setCookieFactory(() => {
      const own = jar.createEmpty();
      if (setCookies.length > 0) void own.setCookiesFromResponse(setCookies, res.url);
      return own;
    });
    return res;
  };

  /** Closes every mounted adapter. The session cannot send afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#mounts.adapters().map((a) => a.close()));
  }

  /** `await using s = new Session()` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
