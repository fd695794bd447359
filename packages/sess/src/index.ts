import { del, get, head, options, patch, post, put, request } from './api.js';
import { fetch } from './fetch.js';
import { Session } from './session.js';

export type { Http2AdapterOptions } from '@sess/adapter-http2';
export { Http2Adapter } from '@sess/adapter-http2';
export type { UndiciAdapterOptions } from '@sess/adapter-undici';
export { UndiciAdapter } from '@sess/adapter-undici';
export { CookieJar, cookiejarFromDict } from '@sess/cookies';
export type {
  Adapter,
  Auth,
  AuthInit,
  Extensions,
  HeadersInit,
  HookContext,
  Hooks,
  Params,
  Plugin,
  Progress,
  ProgressCallback,
  RequestDiagnosticsMessage,
  RequestOptions,
  ResponseHook,
  SendFn,
  SendOptions,
  SessFetch,
  SessFetchInit,
  Timeout,
  TimeoutConfig,
} from '@sess/core';
export {
  AbortError,
  BearerAuth,
  ChunkedEncodingError,
  ConnectionError,
  ConnectTimeoutError,
  ContentDecodingError,
  CookieConflictError,
  Headers,
  HTTPBasicAuth,
  HTTPDigestAuth,
  HTTPError,
  HTTPProxyAuth,
  InvalidHeaderError,
  InvalidProxyURLError,
  InvalidSchemaError,
  InvalidURLError,
  JSONDecodeError,
  MissingSchemaError,
  PoolTimeoutError,
  PreparedRequest,
  ProxyError,
  ReadTimeoutError,
  Request,
  RequestError,
  Response,
  ResponseTooLargeError,
  RetryError,
  redactUrl,
  SessionClosedError,
  SSLError,
  StreamConsumedError,
  TimeoutError,
  TooManyRedirectsError,
  UnrewindableBodyError,
} from '@sess/core';
export { del as delete, get, head, options, patch, post, put, request } from './api.js';
export { fetch } from './fetch.js';
export type { SessionOptions } from './session.js';
export { Session } from './session.js';
export { VERSION } from './version.js';

/** `import sess from 'sess'`: the functional API and Session on one object. */
const sess = { request, get, head, options, post, put, patch, delete: del, fetch, Session };
export default sess;
