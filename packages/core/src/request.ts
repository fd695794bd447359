import type { Adapter } from './adapter.js';
import type { AuthInit } from './auth/auth.js';
import type { Data, Files } from './body.js';
import type { HeadersInit } from './headers.js';
import { type HooksInit, toHooks } from './hooks.js';
import type { Params } from './params.js';
import { PreparedRequest } from './prepared-request.js';
import type { Timeout } from './timeout.js';

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
  cookies?: Record<string, string | number> | null | undefined;
  auth?: AuthInit | null | undefined;
  hooks?: HooksInit | null | undefined;
}

/** Per-request options of `session.request()` and the verbs. `undefined` inherits, `null` removes. */
export interface RequestOptions extends Omit<RequestInit, 'method' | 'url'> {
  timeout?: Timeout | null | undefined;
  allowRedirects?: boolean | undefined;
  proxies?: Record<string, string | null> | null | undefined;
  stream?: boolean | undefined;
  verify?: boolean | string | undefined;
  cert?: string | readonly [string, string] | null | undefined;
  signal?: AbortSignal | undefined;
}

/** Re-exported so adapter authors need one import. */
export type { Adapter };

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
  cookies: Record<string, string | number> | null | undefined;
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
    p.prepareCookies('', this.cookies);
    p.prepareBody(this.data, this.json, this.files);
    await p.prepareAuth(this.auth ?? p.urlAuth);
    p.prepareHooks(toHooks(this.hooks));
    return p;
  }
}
