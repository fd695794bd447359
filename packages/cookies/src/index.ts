/**
 * @sess/cookies: requests' RequestsCookieJar on tough-cookie (RFC 6265 with
 * the public suffix list), bounded like a browser, with JSON, Netscape
 * cookies.txt and atomic file persistence.
 */

export type { Callback, ErrorCallback, Nullable } from 'tough-cookie';
// tough-cookie's classes, for store authors and for reading cookies.
export { Cookie, pathMatch, Store } from 'tough-cookie';
export { type AtomicWriteOptions, writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
export {
  type BoundedStore,
  type CookieLimits,
  compareForEviction,
  DEFAULT_LIMITS,
  type EvictionRank,
  isBoundedStore,
  oldest,
  purgeTarget,
  rankForEviction,
  resolveLimits,
  selectEvictions,
} from './bounds.js';
export { DEFAULT_MAX_COOKIE_SIZE } from './cookie-check.js';
export { expiresAt, isExpired, isSessionCookie } from './cookie-time.js';
export { loadCookiesTxt, saveCookiesTxt } from './cookies-txt.js';
export { type CookieDictOptions, cookiejarFromDict, mergeCookies } from './dict.js';
export { domainCandidates, isPublicSuffix, normalizeDomain, registrableDomain, siteOf } from './domain.js';
export { FileCookieStore, type FileCookieStoreOptions } from './file-store.js';
export { CookieJar } from './jar.js';
export type { LoadResult, SkippedCookie } from './jar-ops.js';
export { MemoryStore } from './memory-store.js';
export {
  formatNetscape,
  formatNetscapeLine,
  NETSCAPE_HEADER,
  type NetscapeLineError,
  type NetscapeParseResult,
  parseNetscape,
} from './netscape.js';
export { respond, respondLater, respondLaterVoid, respondVoid } from './respond.js';
export {
  type CookieJarJSON,
  type CookieJarJSONInput,
  type CookieJSON,
  cookieFromJSON,
  cookieToJSON,
} from './serialize.js';
export type {
  AsyncStore,
  BatchingStore,
  CookieFilter,
  CookieJarOptions,
  CookieRejection,
  JarResult,
  MemoryJarOptions,
  NetscapeOptions,
  SetCookieOptions,
  SyncStore,
} from './types.js';
