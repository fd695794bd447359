/**
 * @sess/plugin-cache: an RFC 9111 HTTP cache for sess sessions, private or
 * shared, with fetch's cache modes per request, a memory store (default)
 * and a file store, and one small interface for other stores.
 */
export { decodeEntry, encodeEntry } from './codec.js';
export type { CacheMode } from './modes.js';
export type { CacheOptions } from './options.js';
export type { CachePlugin } from './plugin.js';
export { cache } from './plugin.js';
export type { CacheStatus } from './status.js';
export { cacheStatusOf } from './status.js';
export type { CacheEntry, StoredResponse } from './stored.js';
export { entrySize } from './stored.js';
export type { FileCacheStoreOptions } from './stores/file.js';
export { FileCacheStore } from './stores/file.js';
export type { MemoryCacheStoreOptions } from './stores/memory.js';
export { MemoryCacheStore } from './stores/memory.js';
export type { CacheStore } from './stores/store.js';
