/**
 * @sess/cookie-store-redis: a tough-cookie store on Redis (node-redis), so
 * a fleet of workers shares one logged-in session through
 * `@sess/cookies`' `CookieJar`.
 */
export { cookieId, cookieKey } from './keys.js';
export {
  type RedisClientStoreOptions,
  RedisCookieStore,
  type RedisCookieStoreOptions,
  type RedisUrlStoreOptions,
} from './redis-store.js';
export type { RedisCommander } from './script-runner.js';
