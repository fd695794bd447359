import { type CacheEntry, entrySize } from '../stored.js';
import type { CacheStore } from './store.js';

/** Options of `new MemoryCacheStore()`. */
export interface MemoryCacheStoreOptions {
  /** Bytes the store may hold (bodies, headers and bookkeeping); least recently used go first. Default 64 MiB. */
  maxBytes?: number | undefined;
  /** Largest entry stored, in bytes. Default an eighth of `maxBytes`. */
  maxEntrySize?: number | undefined;
}

interface Slot {
  entry: CacheEntry;
  size: number;
  expiresAt: number;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number of bytes, got ${String(value)}`);
  return value;
}

/**
 * The default store: in this process, bounded in bytes, least recently
 * used evicted first. Answers synchronously, so a hit costs no promise and
 * no copy (the same entry object serves every hit).
 */
export class MemoryCacheStore implements CacheStore {
  readonly maxBytes: number;
  readonly maxEntrySize: number;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  readonly #slots = new Map<string, Slot>();
  #bytes = 0;

  constructor(options: MemoryCacheStoreOptions = {}) {
    this.maxBytes = positive('maxBytes', options.maxBytes, 64 * 1024 * 1024);
    this.maxEntrySize = positive('maxEntrySize', options.maxEntrySize, Math.floor(this.maxBytes / 8));
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries held now. */
  get size(): number {
    return this.#slots.size;
  }

  get(key: string): CacheEntry | undefined {
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    this.#slots.delete(key);
    if (Date.now() >= slot.expiresAt) {
      this.#bytes -= slot.size;
      return undefined;
    }
    this.#slots.set(key, slot);
    return slot.entry;
  }

  set(key: string, entry: CacheEntry, ttl: number): void {
    this.delete(key);
    const size = entrySize(entry);
    if (size > this.maxEntrySize || size > this.maxBytes || !(ttl > 0)) return;
    this.#slots.set(key, { entry, size, expiresAt: Date.now() + ttl });
    this.#bytes += size;
    for (const [k, slot] of this.#slots) {
      if (this.#bytes <= this.maxBytes) break;
      this.#slots.delete(k);
      this.#bytes -= slot.size;
    }
  }

  delete(key: string): void {
    const slot = this.#slots.get(key);
    if (!slot) return;
    this.#slots.delete(key);
    this.#bytes -= slot.size;
  }

  /** Forgets everything. */
  clear(): void {
    this.#slots.clear();
    this.#bytes = 0;
  }
}
