/**
 * `session.fetch`: a WHATWG fetch backed by a Session, for SDKs that take
 * a `fetch` option. Only node: modules and globals; the session is reached
 * through its public `request()` alone.
 */
export { createFetch, sessionFetch } from './fetch.js';
export type { FetchCacheMode, FetchLifecycle, FetchSession, SessFetch, SessFetchInit } from './types.js';
