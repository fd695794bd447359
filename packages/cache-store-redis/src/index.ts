/**
 * @sess/cache-store-redis: a Redis store for @sess/plugin-cache (node-redis
 * 5), so a fleet of processes shares one HTTP cache.
 */
export type { RedisCacheCommander } from './connection.js';
export { DEFAULT_COMMAND_TIMEOUT } from './connection.js';
export {
  type RedisCacheClientOptions,
  RedisCacheStore,
  type RedisCacheStoreOptions,
  type RedisCacheUrlOptions,
} from './redis-store.js';
