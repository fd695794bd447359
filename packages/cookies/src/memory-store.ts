import {
  type Callback,
  type Cookie,
  type ErrorCallback,
  type Nullable,
  pathMatch,
  Store,
} from 'tough-cookie';
import { type BoundedStore, type CookieLimits, oldest, purgeTarget, resolveLimits } from './bounds.js';
import { domainCandidates, siteOf } from './domain.js';
import { respond, respondVoid } from './respond.js';

interface DomainEntry {
  /** The registrable domain this domain counts against. */
  readonly site: string;
  /** path -> name -> cookie */
  readonly paths: Map<string, Map<string, Cookie>>;
}

/**
 * The default store of a `CookieJar`: synchronous, in memory, indexed by
 * domain and path, and bounded like a browser. When a write takes a
 * registrable domain over `maxCookiesPerDomain`, or the store over
 * `maxCookies`, the oldest cookies go until 90% of the limit is left:
 * expired ones first, then the least recently used (tough-cookie updates
 * `lastAccessed` on every read), then the least recently written.
 */
export class MemoryStore extends Store implements BoundedStore {
  /** Always true: every call completes before it returns. */
  override synchronous = true as const;
  readonly limits: CookieLimits;
  readonly #domains = new Map<string, DomainEntry>();
  readonly #sites = new Map<string, Set<Cookie>>();
  readonly #written = new WeakMap<Cookie, number>();
  #size = 0;
  #seq = 0;

  constructor(limits: Partial<CookieLimits> = {}) {
    super();
    this.limits = resolveLimits(limits);
  }

  /** Cookies held, including expired ones not yet purged. */
  get size(): number {
    return this.#size;
  }

  /**
   * `false` when no cookie at all is stored under `host` or a parent domain
   * of it: the jar then answers a request with no Cookie header without
   * asking tough-cookie (which parses the URL and builds promises). A jar
   * full of other sites' cookies is as cheap to read as an empty one. `host`
   * is lower-case (a URL's hostname).
   */
  mayHaveCookiesFor(host: string): boolean {
    if (this.#size === 0) return false;
    const domains = this.#domains;
    if (domains.has(host)) return true;
    // Parent domains, without allocating (domainCandidates' walk); an IP address has none.
    let i = host.indexOf('.');
    while (i !== -1 && i < host.length - 1) {
      if (domains.has(host.slice(i + 1))) return true;
      i = host.indexOf('.', i + 1);
    }
    return false;
  }

  /** Called once after every mutation (eviction included); subclasses persist here. */
  protected changed(): void {}

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
    return respond(callback, () =>
      domain == null || path == null || key == null
        ? undefined
        : this.#domains.get(domain)?.paths.get(path)?.get(key),
    );
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
    return respond(cb, () => {
      const out: Cookie[] = [];
      if (!domain) return out;
      for (const d of domainCandidates(domain)) {
        const entry = this.#domains.get(d);
        if (!entry) continue;
        for (const [cookiePath, byKey] of entry.paths) {
          if (path && !pathMatch(path, cookiePath)) continue;
          for (const c of byKey.values()) out.push(c);
        }
      }
      return out;
    });
  }

  override putCookie(cookie: Cookie): Promise<void>;
  override putCookie(cookie: Cookie, callback: ErrorCallback): void;
  override putCookie(cookie: Cookie, callback?: ErrorCallback): Promise<void> | undefined {
    return respondVoid(callback, () => {
      this.#put(cookie);
      this.changed();
    });
  }

  override updateCookie(oldCookie: Cookie, newCookie: Cookie): Promise<void>;
  override updateCookie(oldCookie: Cookie, newCookie: Cookie, callback: ErrorCallback): void;
  override updateCookie(
    _oldCookie: Cookie,
    newCookie: Cookie,
    callback?: ErrorCallback,
  ): Promise<void> | undefined {
    return respondVoid(callback, () => {
      this.#put(newCookie);
      this.changed();
    });
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
    return respondVoid(callback, () => {
      if (domain == null || path == null || key == null) return;
      if (this.#delete(domain, path, key)) this.changed();
    });
  }

  override removeCookies(domain: string, path: Nullable<string>): Promise<void>;
  override removeCookies(domain: string, path: Nullable<string>, callback: ErrorCallback): void;
  override removeCookies(
    domain: string,
    path: Nullable<string>,
    callback?: ErrorCallback,
  ): Promise<void> | undefined {
    return respondVoid(callback, () => {
      const entry = this.#domains.get(domain);
      if (!entry) return;
      let removed = false;
      for (const [p, byKey] of [...entry.paths]) {
        if (path && p !== path) continue;
        for (const key of [...byKey.keys()]) removed = this.#delete(domain, p, key) || removed;
      }
      if (removed) this.changed();
    });
  }

  override removeAllCookies(): Promise<void>;
  override removeAllCookies(callback: ErrorCallback): void;
  override removeAllCookies(callback?: ErrorCallback): Promise<void> | undefined {
    return respondVoid(callback, () => {
      const had = this.#size > 0;
      this.#domains.clear();
      this.#sites.clear();
      this.#size = 0;
      if (had) this.changed();
    });
  }

  override getAllCookies(): Promise<Cookie[]>;
  override getAllCookies(callback: Callback<Cookie[]>): void;
  override getAllCookies(callback?: Callback<Cookie[]>): Promise<Cookie[]> | undefined {
    return respond(callback, () => [...this.#all()].sort((a, b) => a.creationIndex - b.creationIndex));
  }

  *#all(): Generator<Cookie> {
    for (const members of this.#sites.values()) yield* members;
  }

  #put(cookie: Cookie): void {
    const { domain, path, key } = cookie;
    if (domain == null || path == null || key == null) return;
    let entry = this.#domains.get(domain);
    if (!entry) {
      entry = { site: siteOf(domain), paths: new Map() };
      this.#domains.set(domain, entry);
    }
    let byKey = entry.paths.get(path);
    if (!byKey) {
      byKey = new Map();
      entry.paths.set(path, byKey);
    }
    const old = byKey.get(key);
    byKey.set(key, cookie);
    let members = this.#sites.get(entry.site);
    if (!members) {
      members = new Set();
      this.#sites.set(entry.site, members);
    }
    if (old) members.delete(old);
    else this.#size++;
    members.add(cookie);
    this.#written.set(cookie, ++this.#seq);
    this.#enforceLimits(members);
  }

  #enforceLimits(site: Set<Cookie>): void {
    const { maxCookiesPerDomain, maxCookies } = this.limits;
    const now = Date.now();
    const written = (c: Cookie) => this.#written.get(c) ?? 0;
    if (site.size > maxCookiesPerDomain) {
      for (const c of oldest(site, site.size - purgeTarget(maxCookiesPerDomain), now, written))
        this.#remove(c);
    }
    if (this.#size > maxCookies) {
      for (const c of oldest(this.#all(), this.#size - purgeTarget(maxCookies), now, written))
        this.#remove(c);
    }
  }

  #remove(cookie: Cookie): void {
    this.#delete(cookie.domain ?? '', cookie.path ?? '', cookie.key);
  }

  #delete(domain: string, path: string, key: string): boolean {
    const entry = this.#domains.get(domain);
    const byKey = entry?.paths.get(path);
    const cookie = byKey?.get(key);
    if (!entry || !byKey || !cookie) return false;
    byKey.delete(key);
    if (byKey.size === 0) entry.paths.delete(path);
    if (entry.paths.size === 0) this.#domains.delete(domain);
    const members = this.#sites.get(entry.site);
    members?.delete(cookie);
    if (members?.size === 0) this.#sites.delete(entry.site);
    this.#size--;
    return true;
  }
}
