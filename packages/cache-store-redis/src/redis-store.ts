import { type CacheEntry, type CacheStore, decodeEntry, encodeEntry } from '@sess/plugin-cache';
import { RESP_TYPES } from 'redis';
import { ownedClient, type RedisCacheCommander, resolveTimeout, withTimeout } from './connection.js';

interface CommonOptions {
  /** Key prefix; default `sess:cache`. Stores on the same Redis and prefix share their entries. */
  prefix?: string | undefined;
  /**
   * Milliseconds a call may take (connecting included) before it fails;
   * default 5000. The cache treats a failure as a miss, so a hung Redis
   * slows a request by this much at most. `Infinity` waits for ever.
   */
  commandTimeout?: number | undefined;
  /** Largest entry (encoded bytes) stored; default 16 MiB. */
  maxEntrySize?: number | undefined;
}

/** A store on a node-redis client you created and connected (and close yourself). */
export interface RedisCacheClientOptions extends CommonOptions {
  client: RedisCacheCommander;
}

/** A store that creates, connects and (on `close()`) closes its own client. */
export interface RedisCacheUrlOptions extends CommonOptions {
  /** `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). */
  url: string;
}

/** Options of `new RedisCacheStore()`. */
export type RedisCacheStoreOptions = RedisCacheClientOptions | RedisCacheUrlOptions;

// Values come back as Buffers: a body is binary, and a UTF-8 round trip would corrupt it.
const BINARY = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };

/**
 * A `@sess/plugin-cache` store on Redis (node-redis 5), so that a fleet of
 * processes shares one HTTP cache: what one process fetched, the others
 * serve. One Redis string per key (`<prefix>:<key>`), holding the entry in
 * `encodeEntry`'s binary form; its Redis expiry (`PX`) is the TTL the cache
 * gives (freshness left plus the stale windows, plus `staleTtl` when the
 * entry can be validated), so Redis forgets entries by itself and its
 * `maxmemory-policy` bounds the total.
 *
 * Use `cache({ shared: true, store })` when the processes act for
 * different users: a private cache would hand one user's `private`
 * responses to the others.
 */
export class RedisCacheStore implements CacheStore {
  readonly prefix: string;
  readonly commandTimeout: number;
  readonly maxEntrySize: number;
  readonly #client: RedisCacheCommander;
  readonly #owned: ReturnType<typeof ownedClient> | undefined;
  #ready: Promise<unknown>;
  #closed = false;

  constructor(options: RedisCacheStoreOptions) {
    this.prefix = options.prefix ?? 'sess:cache';
    this.commandTimeout = resolveTimeout(options.commandTimeout);
    this.maxEntrySize = options.maxEntrySize ?? 16 * 1024 * 1024;
    if ('client' in options && options.client) {
      this.#client = options.client;
      this.#ready = Promise.resolve();
    } else if ('url' in options && typeof options.url === 'string') {
      this.#owned = ownedClient(options.url);
      this.#client = this.#owned.client;
      this.#ready = this.#owned.connect();
    } else {
      throw new TypeError('RedisCacheStore needs { client } or { url }');
    }
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const reply = await this.#call(['GET', this.#key(key)], BINARY);
    // A string means a client that ignored typeMapping: the bytes are lost, so it is a miss.
    return reply instanceof Uint8Array ? decodeEntry(reply) : undefined;
  }

  async set(key: string, entry: CacheEntry, ttl: number): Promise<void> {
    const bytes = encodeEntry(entry);
    if (!(ttl > 0) || bytes.byteLength > this.maxEntrySize) {
      await this.delete(key);
      return;
    }
    const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await this.#call(['SET', this.#key(key), value, 'PX', String(Math.ceil(ttl))]);
  }

  async delete(key: string): Promise<void> {
    await this.#call(['DEL', this.#key(key)]);
  }

  /** Closes the client the store created from `url` (a client you passed in is yours to close). */
  async close(): Promise<void> {
    const owned = this.#owned;
    if (!owned) return;
    this.#closed = true;
    await this.#ready.catch(() => {});
    if (owned.client.isOpen) await owned.client.close();
  }

  #key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  /**
   * Waits for the connection. When the last attempt failed (Redis was down
   * when the store was created), the first call after it tries again.
   */
  async #whenReady(): Promise<void> {
    const ready = this.#ready;
    try {
      await ready;
    } catch (e) {
      const owned = this.#owned;
      if (!owned || this.#closed || owned.client.isOpen) throw e;
      if (this.#ready === ready) this.#ready = owned.connect();
      await this.#ready;
    }
  }

  #call(args: ReadonlyArray<string | Buffer>, options?: typeof BINARY): Promise<unknown> {
    return withTimeout(
      this.#whenReady().then(() => this.#client.sendCommand(args, options)),
      this.commandTimeout,
    );
  }
}
