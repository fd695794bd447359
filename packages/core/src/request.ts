import type { AuthInit } from './auth/auth.js';
import type { Data, Files } from './body-types.js';
import { applyCookieHeader } from './cookie-header.js';
import { NoCookieJar, type SessionCookieJar } from './cookie-jar.js';
import type { HeadersInit } from './headers.js';
import { type HooksInit, toHooks } from './hooks.js';
import type { Params } from './params.js';
import { PreparedRequest } from './prepared-request.js';
import type { ProgressCallback } from './progress.js';
import type { Extensions } from './send-options.js';
import type { Timeout } from './timeout.js';

// Registered for the modules below (subjects.ts says why): errors and stops name it from there.
declare module './subjects.js' {
  interface Subjects {
    Request: Request;
  }
}

/** Everything a caller can say about one request (requests' `Request` arguments). */
export interface RequestInit {
  method?: string;
  url: string | URL;
  headers?: HeadersInit | null | undefined;
  params?: Params | null | undefined;
  data?: Data | null | undefined;
  json?: unknown;
  files?: Files | null | undefined;
  /** Cookies for this request only; bound to the URL's host, never stored in the session jar. */
  /**
   * Cookies for this request only: a plain object, or a cookie jar (its
   * cookies for this request's URL). Bound to the URL's origin, never stored
   * in the session jar.
   */
  cookies?: Record<string, string | number> | SessionCookieJar | null | undefined;
  auth?: AuthInit | null | undefined;
  hooks?: HooksInit | null | undefined;
}

/** Per-request options of `session.request()` and the verbs. `undefined` inherits, `null` removes. */
export interface RequestOptions extends Omit<RequestInit, 'method' | 'url'> {
  /**
   * Milliseconds: a number for connect and each read, or
   * `{ connect, read, pool, total }`; `null` waits forever.
   */
  timeout?: Timeout | null | undefined;
  /** Follow redirects (default `true`; `head()` defaults to `false`). */
  allowRedirects?: boolean | undefined;
  /** Proxy URLs by `http`/`https`/`all`/`scheme://host`; a `null` value means "connect directly". */
  proxies?: Record<string, string | null> | null | undefined;
  /** Hand the body over unread, for `iterContent()`/`read()`. */
  stream?: boolean | undefined;
  /** `true`, `false`, or a CA bundle path. */
  verify?: boolean | string | undefined;
  /** Client certificate: a PEM path holding cert and key, or `[certPath, keyPath]`. */
  cert?: string | readonly [string, string] | null | undefined;
  /** Cancels the request at any stage with AbortError. */
  signal?: AbortSignal | undefined;
  /** Redirects followed before TooManyRedirectsError; default `session.maxRedirects`. */
  maxRedirects?: number | undefined;
  /** Decoded body bytes allowed; default `session.maxResponseSize`; `null`: no limit. */
  maxResponseSize?: number | null | undefined;
  /** Per-request settings for plugins and the adapter (httpx's `extensions`). */
  extensions?: Extensions | undefined;
  /** Upload progress `({ loaded, total? })`, at most every 50 ms and once at the end. */
  onUploadProgress?: ProgressCallback | undefined;
  /** Download progress of the decoded body `({ loaded, total? })`, at most every 50 ms and once at the end. */
  onDownloadProgress?: ProgressCallback | undefined;
  /** Raise HTTPError for a 4xx/5xx final response (after its body is read); default `session.throwHttpErrors`. */
  throwHttpErrors?: boolean | undefined;
}

const NO_JAR = new NoCookieJar();

/**
 * A user's intent, before any session state is merged in (requests'
 * `Request`). `prepare()` turns it into the exact PreparedRequest, without
 * a session; `session.prepareRequest()` does the same with the session's
 * headers, params, auth, cookies and hooks merged in.
 */
export class Request {
  method: string;
  url: string | URL;
  headers: HeadersInit | null | undefined;
  params: Params | null | undefined;
  data: Data | null | undefined;
  json: unknown;
  files: Files | null | undefined;
  cookies: Record<string, string | number> | SessionCookieJar | null | undefined;
  auth: AuthInit | null | undefined;
  hooks: HooksInit | null | undefined;

  constructor(init: RequestInit) {
    this.method = init.method ?? 'GET';
    this.url = init.url;
    this.headers = init.headers;
    this.params = init.params;
    this.data = init.data;
    this.json = init.json;
    this.files = init.files;
    this.cookies = init.cookies;
    this.auth = init.auth;
    this.hooks = init.hooks;
  }

  /** Prepares in requests' order: method, url, headers, cookies, body, auth, hooks. */
  async prepare(): Promise<PreparedRequest> {
    const p = new PreparedRequest();
    p.prepareMethod(this.method);
    p.prepareUrl(this.url, this.params);
    p.prepareHeaders(this.headers);
    p.prepareCookies(this.cookies);
    // Without a session there is no jar: only per-request cookies or a hand-set header.
    void applyCookieHeader(p, NO_JAR, undefined);
    p.prepareBody(this.data, this.json, this.files);
    // `null` turns auth off, credentials in the URL included; `undefined` lets them apply.
    p.netrcAllowed = this.auth !== null;
    await p.prepareAuth(this.auth === undefined ? p.urlAuth : this.auth);
    p.prepareHooks(toHooks(this.hooks));
    return p;
  }
}

/** The Request of `session.request()`'s arguments (fields copied one by one: a spread of the options is slow). */
export function requestOf(method: string, url: string | URL, o: RequestOptions): Request {
  return new Request({
    method,
    url,
    headers: o.headers,
    params: o.params,
    data: o.data,
    json: o.json,
    files: o.files,
    cookies: o.cookies,
    auth: o.auth,
    hooks: o.hooks,
  });
}
