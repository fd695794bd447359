import type { AuthInit } from './auth/auth.js';
import { type Clock, liveStop } from './clock.js';
import { defaultHeaders } from './default-headers.js';
import { resolveProxies } from './env/resolve-proxies.js';
import { type EnvironmentSnapshot, readEnvironment } from './env/snapshot.js';
import type { Headers } from './headers.js';
import { defaultHooks, type Hooks } from './hooks.js';
import { DeadlineHopOptions } from './hop-options.js';
import type { ParamValue } from './params.js';
import type { SessionSendOptions } from './send-checks.js';
import type { Extensions, SendOptions } from './send-options.js';
import { HttpVerbs } from './session-verbs.js';
import { STOP } from './stop.js';
import { type Timeout, type TimeoutConfig, TimeoutMemo } from './timeout.js';

/**
 * A Session's defaults, merged into every request (request > session >
 * environment > defaults), and the environment it trusts. `Session` adds
 * what a request does with them.
 */
export abstract class SessionSettings extends HttpVerbs {
  /** Sent with every request; a request's header of the same name wins, its `null` removes one. */
  headers: Headers = defaultHeaders();
  /** `[user, pass]` or an Auth object, used when a request gives none. */
  auth: AuthInit | null = null;
  /** Query parameters added to every request. */
  params: Record<string, ParamValue | null> = {};
  /** Event hooks run for every request of this session, before the plugins' and the request's own. */
  hooks: Hooks = defaultHooks();
  /** Proxy URLs: keys `http`, `https`, `all`, `scheme://host`, and `no_proxy`. */
  proxies: Record<string, string> = {};
  /** Client certificate: PEM path, or `[certPath, keyPath]`. */
  cert: string | readonly [string, string] | null = null;
  /** Redirects followed before TooManyRedirectsError. */
  maxRedirects = 30;
  /** Default for `stream`. */
  stream = false;
  /** Default timeout in milliseconds (requests has none; `null` waits forever). */
  timeout: Timeout | null = null;
  /** Decoded body bytes allowed per response, for every adapter; `null`: no limit. */
  maxResponseSize: number | null = null;
  /** A relative URL is appended to its path (httpx's `base_url`): `…/v2` + `users` is `…/v2/users`. */
  baseUrl: string | null = null;
  /** Raise HTTPError for a 4xx/5xx final response, after its body is read (requests does not: default false). */
  throwHttpErrors = false;

  #verify: boolean | string | undefined;
  /** The environment as read when the session was made or `trustEnv` last set; undefined when not trusted. */
  #env: EnvironmentSnapshot | undefined = readEnvironment();
  /** `timeout`, normalised once per value set, not per request. */
  #timeoutMemo = new TimeoutMemo();
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

  /**
   * Honour HTTP(S)_PROXY / ALL_PROXY / NO_PROXY, ~/.netrc and the CA bundle
   * variables. They are read when the session is created and whenever this
   * is set (to `true` again, after changing `process.env`), not per request.
   */
  get trustEnv(): boolean {
    return this.#env !== undefined;
  }
  set trustEnv(value: boolean) {
    this.#env = value ? readEnvironment() : undefined;
  }

  /** The environment snapshot in force, or `undefined` when `trustEnv` is off. */
  protected get environment(): EnvironmentSnapshot | undefined {
    return this.#env;
  }

  /** `timeout`, normalised (once per value set). */
  protected sessionTimeout(): TimeoutConfig {
    return this.#timeoutMemo.get(this.timeout);
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
      proxies: resolveProxies(url, proxies, this.proxies, this.#env),
      stream: stream ?? this.stream,
      // The environment's CA bundle applies only when neither the request nor the session set verify.
      verify: verify ?? this.#verify ?? this.#env?.caBundle ?? true,
      cert: cert === undefined ? this.cert : cert,
    };
  }

  /**
   * The first hop's SendOptions: the transport settings merged as
   * `mergeEnvironmentSettings` does, and the request's clock. One object
   * literal of a fixed shape (a spread here cost more than the rest of the
   * session's per-request work together).
   */
  protected firstHopOptions(url: string, o: SessionSendOptions, clock: Clock): SendOptions {
    const stream = o.stream ?? this.stream;
    const verify = o.verify ?? this.#verify ?? this.#env?.caBundle ?? true;
    const cert = o.cert === undefined ? this.cert : o.cert;
    const proxies = resolveProxies(url, o.proxies, this.proxies, this.#env);
    const extensions = o.extensions ?? NO_EXTENSIONS;
    const maxResponseSize =
      (o.maxResponseSize === undefined ? this.maxResponseSize : o.maxResponseSize) ?? undefined;
    // With a deadline the signal is made when first read (see DeadlineHopOptions).
    if (clock.deadline !== undefined)
      return new DeadlineHopOptions(clock, stream, verify, cert, proxies, extensions, maxResponseSize);
    // One literal of one shape (a spread here cost more than the rest of the session's work).
    const options = {
      stream,
      timeout: clock.timeout,
      deadline: undefined,
      signal: clock.signal,
      verify,
      cert,
      proxies,
      extensions,
      maxResponseSize,
      // null: nothing can stop this request (no deadline, no signal): stopOf() answers at once.
      [STOP]: liveStop(clock) ?? null,
    };
    return options;
  }
}

const NO_EXTENSIONS: Extensions = Object.freeze({});
