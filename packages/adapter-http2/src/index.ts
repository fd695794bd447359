export { Http2Adapter } from './adapter.js';
export type { SocketAdopter } from './fallback.js';
export { isSocketAdopter } from './fallback.js';
export type { Http2AdapterOptions } from './options.js';
export type { PoolStats } from './origin-pool.js';
