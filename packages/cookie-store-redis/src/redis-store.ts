import {
  type BoundedStore,
  type Callback,
  type Cookie,
  type CookieLimits,
  cookieFromJSON,
  cookieToJSON,
  domainCandidates,
  type ErrorCallback,
  expiresAt,
  type Nullable,
  pathMatch,
  resolveLimits,
  respondLater,
  respondLaterVoid,
  Store,
  siteOf,
} from '@sess/cookies';
import { createClient } from 'redis';
import { cookieId, cookieKey } from './keys.js';
import { type RedisCommander, Script } from './script-runner.js';
import { ALL, FIND, PUT, REMOVE, REMOVE_ALL, REMOVE_DOMAIN } from './scripts.js';

const scripts = {
  put: new Script(PUT),
  find: new Script(FIND),
  all: new Script(ALL),
  remove: new Script(REMOVE),
  removeDomain: new Script(REMOVE_DOMAIN),
  removeAll: new Script(REMOVE_ALL),
};

interface CommonOptions extends Partial<CookieLimits> {
  /** Key prefix; default `sess:cookies`. Jars on the same Redis and prefix share their cookies. */
  prefix?: string | undefined;
  /**
   * Milliseconds a call may take (connecting included) before it fails
   * with an Error; default 5000. Bounds a hung Redis, or a client of yours
   * that queues commands while offline. `Infinity` waits for ever.
   */
  commandTimeout?: number | undefined;
}

/** Default {@link CommonOptions.commandTimeout}. */
export const DEFAULT_COMMAND_TIMEOUT = 5000;

function resolveTimeout(value: number | undefined): number {
  const ms = value ?? DEFAULT_COMMAND_TIMEOUT;
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms <= 0) {
    throw new RangeError(`commandTimeout must be a positive number of milliseconds, got ${String(value)}`);
  }
  return ms;
}

/** `work`, or an Error once `ms` have passed without it settling. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  if (!Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms (commandTimeout)`)), ms);
  });
  // The loser must not become an unhandled rejection.
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A store on a client you created and connected (and close yourself). */
export interface RedisClientStoreOptions extends CommonOptions {
  client: RedisCommander;
}

/** A store that creates, connects and (on `close()`) closes its own client. */
export interface RedisUrlStoreOptions extends CommonOptions {
  /** `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). */
  url: string;
}

/** Options of `new RedisCookieStore()`. */
export type RedisCookieStoreOptions = RedisClientStoreOptions | RedisUrlStoreOptions;

type OwnedClient = ReturnType<typeof createClient>;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}

/**
 * Cookies from a FIND or ALL reply: `[json, writeSeq, json, writeSeq, ...]`.
 * The write sequence becomes `creationIndex`, the tiebreak tough-cookie
 * uses after path length and creation time, so that cookies created in the
 * same millisecond keep a stable order across processes.
 */
function parseCookies(reply: unknown): Cookie[] {
  const out: Cookie[] = [];
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const json = text(reply[i]);
    const cookie = json === undefined ? undefined : cookieFromJSON(JSON.parse(json));
    if (!cookie) continue;
    cookie.creationIndex = Number(text(reply[i + 1]) ?? reply[i + 1]);
    out.push(cookie);
  }
  return out;
}

function byCreation(a: Cookie, b: Cookie): number {
  const ta = a.creation instanceof Date ? a.creation.getTime() : 0;
  const tb = b.creation instanceof Date ? b.creation.getTime() : 0;
  return ta - tb || a.creationIndex - b.creationIndex;
}

/**
 * A tough-cookie `Store` on Redis, so that a fleet of workers shares one
 * logged-in session: `new CookieJar({ store: new RedisCookieStore({ url }) })`.
 *
 * Asynchronous (`synchronous: false`): use the jar's promise-returning
 * methods (`getCookieHeader`, `setCookiesFromResponse`, `…Async`).
 * A cookie's expiry is its key's Redis expiry (`PXAT`), so Redis itself
 * forgets expired cookies; session cookies have no expiry and stay until
 * removed. Every write is one Lua script, atomic on the server: concurrent
 * writers never lose a cookie, and the bounds (per registrable domain and in
 * total, least recently written evicted first) hold across the fleet.
 */
export class RedisCookieStore extends Store implements BoundedStore {
  /** Always false: every call is a round trip. */
  override synchronous = false as const;
  readonly limits: CookieLimits;
  readonly prefix: string;
  /** See {@link CommonOptions.commandTimeout}. */
  readonly commandTimeout: number;
  readonly #client: RedisCommander;
  readonly #owned: OwnedClient | undefined;
  /** Connects the client the store owns (unset for a client you passed in). */
  readonly #connect: (() => Promise<unknown>) | undefined;
  #ready: Promise<unknown>;
  #closed = false;

  constructor(options: RedisCookieStoreOptions) {
    super();
    this.limits = resolveLimits(options);
    this.prefix = options.prefix ?? 'sess:cookies';
    this.commandTimeout = resolveTimeout(options.commandTimeout);
    if ('client' in options && options.client) {
      this.#client = options.client;
      this.#ready = Promise.resolve();
    } else if ('url' in options && typeof options.url === 'string') {
      let connected = false;
      const owned = createClient({
        url: options.url,
        // Fail a call while Redis is unreachable instead of queueing it until Redis returns.
        disableOfflineQueue: true,
        socket: {
          // The first connection gives up after 3 quick tries (so a wrong URL fails fast);
          // once connected, reconnect for as long as it takes, backing off to 2 s.
          reconnectStrategy: (retries: number, cause: Error) =>
            connected ? Math.min(50 * 2 ** retries, 2000) : retries >= 3 ? cause : 100,
        },
      });
      // Without a listener an 'error' event would crash the process; failed calls reject anyway.
      owned.on('error', () => {});
      this.#owned = owned;
      this.#client = owned;
      this.#connect = () => {
        const ready = owned.connect().then(() => {
          connected = true;
        });
        // Observed here so a failed connection is not an unhandled rejection; each call awaits #ready again.
        ready.catch(() => {});
        return ready;
      };
      this.#ready = this.#connect();
    } else {
      throw new TypeError('RedisCookieStore needs { client } or { url }');
    }
  }

  /**
   * Waits for the connection. When the last attempt failed (Redis was down
   * when the store was created), the first call after it tries again, so a
   * worker started before Redis comes up works once it is up.
   */
  async #whenReady(): Promise<void> {
    const ready = this.#ready;
    try {
      await ready;
    } catch (e) {
      const owned = this.#owned;
      if (!owned || !this.#connect || this.#closed || owned.isOpen) throw e;
      if (this.#ready === ready) this.#ready = this.#connect();
      await this.#ready;
    }
  }

  /** `work` after the connection, bounded by `commandTimeout`. */
  #call<T>(work: () => Promise<T>): Promise<T> {
    return withTimeout(this.#whenReady().then(work), this.commandTimeout);
  }

  #run(script: Script, args: readonly string[]): Promise<unknown> {
    return this.#call(() => script.run(this.#client, [this.prefix, ...args]));
  }

  /** Closes the client the store created from `url` (a client you passed in is yours to close). */
  async close(): Promise<void> {
    if (!this.#owned) return;
    this.#closed = true;
    await this.#ready.catch(() => {});
    if (this.#owned.isOpen) await this.#owned.close();
  }

  async #find(domain: string, path: string, key: string): Promise<Cookie | undefined> {
    const reply = await this.#call(() =>
      this.#client.sendCommand(['GET', cookieKey(this.prefix, cookieId(domain, path, key))]),
    );
    const json = text(reply);
    return json === undefined ? undefined : cookieFromJSON(JSON.parse(json));
  }

  async #findAll(domain: string, path: Nullable<string>): Promise<Cookie[]> {
    const cookies = parseCookies(await this.#run(scripts.find, domainCandidates(domain)));
    return path ? cookies.filter((c) => pathMatch(path, c.path ?? '/')) : cookies;
  }

  async #put(cookie: Cookie): Promise<void> {
    const { domain, path, key } = cookie;
    if (domain == null || path == null || key == null) return;
    const expiry = expiresAt(cookie);
    await this.#run(scripts.put, [
      cookieId(domain, path, key),
      JSON.stringify(cookieToJSON(cookie)),
      domain,
      siteOf(domain),
      Number.isFinite(expiry) ? String(Math.max(0, Math.ceil(expiry))) : '',
      String(Date.now()),
      String(this.limits.maxCookiesPerDomain),
      String(this.limits.maxCookies),
    ]);
  }

  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
  ): Promise<Cookie | undefined>;
  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback: Callback<Cookie | undefined>,
  ): void;
  override findCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback?: Callback<Cookie | undefined>,
  ): Promise<Cookie | undefined> | undefined {
    const found =
      domain == null || path == null || key == null
        ? Promise.resolve(undefined)
        : this.#find(domain, path, key);
    return respondLater(callback, found);
  }

  override findCookies(
    domain: Nullable<string>,
    path: Nullable<string>,
    allowSpecialUseDomain?: boolean,
  ): Promise<Cookie[]>;
  override findCookies(
    domain: Nullable<string>,
    path: Nullable<string>,
    allowSpecialUseDomain?: boolean,
    callback?: Callback<Cookie[]>,
  ): void;
  override findCookies(
    domain: Nullable<string>,
    path: Nullable<string>,
    allowSpecialUseDomain?: boolean | Callback<Cookie[]>,
    callback?: Callback<Cookie[]>,
  ): Promise<Cookie[]> | undefined {
    const cb = typeof allowSpecialUseDomain === 'function' ? allowSpecialUseDomain : callback;
    return respondLater(cb, domain ? this.#findAll(domain, path) : Promise.resolve([]));
  }

  override putCookie(cookie: Cookie): Promise<void>;
  override putCookie(cookie: Cookie, callback: ErrorCallback): void;
  override putCookie(cookie: Cookie, callback?: ErrorCallback): Promise<void> | undefined {
    return respondLaterVoid(callback, this.#put(cookie));
  }

  override updateCookie(oldCookie: Cookie, newCookie: Cookie): Promise<void>;
  override updateCookie(oldCookie: Cookie, newCookie: Cookie, callback: ErrorCallback): void;
  override updateCookie(
    _oldCookie: Cookie,
    newCookie: Cookie,
    callback?: ErrorCallback,
  ): Promise<void> | undefined {
    return respondLaterVoid(callback, this.#put(newCookie));
  }

  override removeCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
  ): Promise<void>;
  override removeCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback: ErrorCallback,
  ): void;
  override removeCookie(
    domain: Nullable<string>,
    path: Nullable<string>,
    key: Nullable<string>,
    callback?: ErrorCallback,
  ): Promise<void> | undefined {
    const done =
      domain == null || path == null || key == null
        ? Promise.resolve()
        : this.#run(scripts.remove, [cookieId(domain, path, key), siteOf(domain), domain]).then(() => {});
    return respondLaterVoid(callback, done);
  }

  override removeCookies(domain: string, path: Nullable<string>): Promise<void>;
  override removeCookies(domain: string, path: Nullable<string>, callback: ErrorCallback): void;
  override removeCookies(
    domain: string,
    path: Nullable<string>,
    callback?: ErrorCallback,
  ): Promise<void> | undefined {
    return respondLaterVoid(
      callback,
      this.#run(scripts.removeDomain, [domain, path ?? '']).then(() => {}),
    );
  }

  override removeAllCookies(): Promise<void>;
  override removeAllCookies(callback: ErrorCallback): void;
  override removeAllCookies(callback?: ErrorCallback): Promise<void> | undefined {
    return respondLaterVoid(
      callback,
      this.#run(scripts.removeAll, []).then(() => {}),
    );
  }

  override getAllCookies(): Promise<Cookie[]>;
  override getAllCookies(callback: Callback<Cookie[]>): void;
  override getAllCookies(callback?: Callback<Cookie[]>): Promise<Cookie[]> | undefined {
    return respondLater(
      callback,
      this.#run(scripts.all, []).then((reply) => parseCookies(reply).sort(byCreation)),
    );
  }
}
