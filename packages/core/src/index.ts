export type { Adapter } from './adapter.js';
export { type Alarm, setAlarm } from './alarms.js';
export type { Auth, AuthInit } from './auth/auth.js';
export { BearerAuth, basicAuthHeader, HTTPBasicAuth, HTTPProxyAuth } from './auth/basic.js';
export { HTTPDigestAuth } from './auth/digest.js';
export { ReplayableBody } from './body.js';
export type { BodyLimits, BodySource } from './body-source.js';
export { concatChunks } from './body-source.js';
export type { Data, FileContent, Files, FileTuple, RequestBody } from './body-types.js';
export { abortReason, raceSignal, throwIfAborted } from './clock.js';
export { applyCookieHeader } from './cookie-header.js';
export type { CookieJarTypes, ResponseCookieJar, SessionCookieJar } from './cookie-jar.js';
export { NoCookieJar } from './cookie-jar.js';
export { ACCEPT_ENCODING, ZSTD_SUPPORTED } from './decode.js';
export { defaultHeaders } from './default-headers.js';
export type { RequestDiagnosticsMessage } from './diagnostics.js';
export { getEnvCaBundle } from './env/ca-bundle.js';
export { getNetrcAuth } from './env/netrc.js';
export { getEnvironProxies, shouldBypassProxies } from './env/proxy-env.js';
export type { ProxyTarget } from './env/proxy-url.js';
export { checkProxyUrl, splitProxyCredentials } from './env/proxy-url.js';
export { selectProxy } from './env/select-proxy.js';
export { type EnvironmentSnapshot, readEnvironment } from './env/snapshot.js';
export * from './errors.js';
export type {
  FetchCacheMode,
  FetchLifecycle,
  FetchSession,
  SessFetch,
  SessFetchInit,
} from './fetch/index.js';
export { createFetch, sessionFetch } from './fetch/index.js';
export type { HeadersInit, HeaderValue } from './headers.js';
export { Headers } from './headers.js';
export type {
  BeforeErrorHook,
  BeforeRedirectHook,
  BeforeRequestHook,
  HookContext,
  Hooks,
  HooksInit,
  ResponseHook,
} from './hooks.js';
export { HOOK_NAMES } from './hooks.js';
export type { Link } from './links.js';
export type { ParamScalar, Params, ParamValue } from './params.js';
export type { Plugin } from './plugin.js';
export { PreparedRequest } from './prepared-request.js';
export type { Progress, ProgressCallback } from './progress.js';
export { describeRequest, redactUrl, SECRET_QUERY_KEYS } from './redact.js';
export type { RequestInit, RequestOptions } from './request.js';
export { Request } from './request.js';
export { cookieHeaderFromDict } from './request-cookies.js';
export type { IterContentOptions, ResponseInit } from './response.js';
export { Response } from './response.js';
export type { SessionSendOptions } from './send-checks.js';
export type { Extensions, Proxies, SendFn, SendOptions } from './send-options.js';
export type { SessionOptions } from './session.js';
export { Session } from './session.js';
export { type RequestStop, raceStop, stopOf, throwIfStopped } from './stop.js';
export type { Timeout, TimeoutConfig } from './timeout.js';
export { normalizeTimeout } from './timeout.js';
export type { Timings } from './timings.js';
export { DEFAULT_TLS, type TlsConfig, TlsConfigs } from './transport/tls-config.js';
export { CERT_CODES, isTlsErrorCode } from './transport/tls-errors.js';
export { joinBaseUrl } from './url.js';
export { VERSION } from './version.js';
