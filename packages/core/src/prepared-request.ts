import type { AuthInit } from './auth/auth.js';
import { toAuth } from './auth/basic.js';
import { encodeBody } from './body.js';
import type { Data, Files, RequestBody } from './body-types.js';
import type { SessionCookieJar } from './cookie-jar.js';
import { Headers, type HeadersInit } from './headers.js';
import { appendHooks, defaultHooks, type Hooks, mergeHooks } from './hooks.js';
import type { Params } from './params.js';
import { cookieHeaderFromDict, type RequestCookies } from './request-cookies.js';
import { prepareUrl } from './url.js';

// Registered for the modules below (subjects.ts says why): errors, stops, hooks and auth name it from there.
declare module './subjects.js' {
  interface Subjects {
    PreparedRequest: PreparedRequest;
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Methods as the verb shortcuts spell them: valid tokens, upper case already. */
const COMMON_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * The exact request to be sent (requests' `PreparedRequest`): method, URL
 * with params encoded and host IDNA-encoded, validated headers, the encoded
 * body and the hooks. Build one with `Request.prepare()` or
 * `session.prepareRequest()`; `copy()` before changing one that was sent.
 */
export class PreparedRequest {
  method = 'GET';
  url = '';
  headers: Headers = new Headers();
  body: RequestBody | null = null;
  hooks: Hooks = defaultHooks();
  /** `false` when the body is a stream that can be sent only once. */
  bodyReplayable = true;
  /** @internal Per-request cookies and the URL they belong to. */
  requestCookies: RequestCookies | undefined;
  /** @internal A `Cookie` header the user set explicitly, and the URL it was set for. */
  userCookie: RequestCookies | undefined;
  /** Credentials that were written into the URL, applied as basic auth when no other auth is given. */
  urlAuth: readonly [string, string] | undefined;
  /** @internal `false` when the caller said `auth: null`: netrc must not fill in, on any hop. */
  netrcAllowed = true;

  prepareMethod(method: string): void {
    if (COMMON_METHODS.has(method)) {
      this.method = method;
      return;
    }
    if (typeof method !== 'string' || !TOKEN.test(method)) {
      throw new TypeError(`Invalid HTTP method ${JSON.stringify(method)}`);
    }
    this.method = method.toUpperCase();
  }

  /**
   * Encodes the URL and params. Credentials written into the URL
   * (`http://user:pass@host/`) are taken out of it, so they never show in
   * `response.url`, logs or errors, and kept in `urlAuth` for basic auth.
   */
  prepareUrl(url: string | URL, params?: Params | null): void {
    this.url = prepareUrl(String(url), params);
    if (this.url.startsWith('http') && this.url.includes('@')) {
      const u = new URL(this.url);
      if (u.username || u.password) {
        this.urlAuth = [decodeURIComponent(u.username), decodeURIComponent(u.password)];
        u.username = '';
        u.password = '';
        this.url = u.href;
      }
    }
  }

  /** Validated headers; `owned`: `headers` is a fresh Headers made for this request, used as is. */
  prepareHeaders(headers?: HeadersInit | null, owned = false): void {
    this.headers = owned && headers instanceof Headers ? headers : new Headers(headers);
    const cookie = this.headers.get('cookie');
    if (cookie !== undefined) this.userCookie = { header: cookie, url: this.url };
  }

  /**
   * Records per-request cookies, bound to this URL's origin. The `Cookie`
   * header itself is built by `applyCookieHeader` (cookie-header.ts), with
   * the jar's cookies, for this hop and every later one.
   */
  prepareCookies(requestCookies?: Record<string, string | number> | SessionCookieJar | null): void {
    if (!requestCookies) return;
    if (isCookieJar(requestCookies)) {
      // A jar's cookies for this URL only (RFC 6265 decides which); an async store is not waited on here.
      const header = requestCookies.getCookieHeader(this.url);
      if (typeof header !== 'string')
        throw new TypeError('cookies: a jar on an asynchronous store cannot be given per request');
      if (header) this.requestCookies = { header, url: this.url };
      return;
    }
    if (typeof requestCookies !== 'object')
      throw new TypeError(
        `cookies must be an object of name -> value or a CookieJar, got ${typeof requestCookies}`,
      );
    if (Object.keys(requestCookies).length > 0) {
      this.requestCookies = { header: cookieHeaderFromDict(requestCookies), url: this.url };
    }
  }

  prepareBody(data?: Data | null, json?: unknown, files?: Files | null): void {
    const encoded = encodeBody(data, json, files);
    this.body = encoded.body;
    this.bodyReplayable = encoded.replayable;
    if (encoded.contentType && !this.headers.has('content-type'))
      this.headers.set('Content-Type', encoded.contentType);
    if (encoded.length !== undefined) {
      this.headers.set('Content-Length', encoded.length);
    } else if (
      encoded.body === null &&
      this.method !== 'GET' &&
      this.method !== 'HEAD' &&
      !this.headers.has('content-length')
    ) {
      // requests fills it in only when missing: a Content-Length the caller set is kept.
      this.headers.set('Content-Length', 0);
    }
  }

  async prepareAuth(auth: AuthInit | null | undefined): Promise<void> {
    if (!auth) return;
    const result = await toAuth(auth).apply(this);
    if (result && result !== this) Object.assign(this, result);
  }

  /** Appends hooks after any an auth registered (requests' `prepare_hooks`). */
  prepareHooks(hooks?: Hooks | null): void {
    if (hooks) appendHooks(this.hooks, hooks);
  }

  /** An independent copy: headers and hooks are copied, the body is shared. */
  copy(): PreparedRequest {
    const p = new PreparedRequest();
    p.method = this.method;
    p.url = this.url;
    p.headers = this.headers.copy();
    p.body = this.body;
    p.bodyReplayable = this.bodyReplayable;
    p.hooks = mergeHooks(this.hooks, defaultHooks());
    p.requestCookies = this.requestCookies;
    p.userCookie = this.userCookie;
    p.netrcAllowed = this.netrcAllowed;
    p.urlAuth = this.urlAuth;
    return p;
  }

  /** @internal Node's inspect / console.log. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `<PreparedRequest [${this.method}]>`;
  }
}

function isCookieJar(x: object): x is SessionCookieJar {
  return typeof (x as Partial<SessionCookieJar>).getCookieHeader === 'function';
}
