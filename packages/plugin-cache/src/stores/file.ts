import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeEntry, encodeEntry } from '../codec.js';
import type { CacheEntry } from '../stored.js';
import type { CacheStore } from './store.js';

/** Options of `new FileCacheStore()`. */
export interface FileCacheStoreOptions {
  /** The directory (created when missing). One store per directory. */
  dir: string;
  /** Bytes of files the store may hold; least recently used go first. Default 256 MiB. */
  maxBytes?: number | undefined;
  /** Largest entry file, in bytes. Default an eighth of `maxBytes`. */
  maxEntrySize?: number | undefined;
}

const SUFFIX = '.sce';
const MAGIC = [0x53, 0x43, 0x46, 0x31] as const; // "SCF1"
const enc = new TextEncoder();
const dec = new TextDecoder();
const noop = () => {};

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number of bytes, got ${String(value)}`);
  return value;
}

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/**
 * A store in a directory: entries survive a restart. One file per key
 * (named by the key's SHA-256), holding the key, its expiry and the entry
 * (`encodeEntry`). Writes are atomic: a temporary file, fsync, rename, then
 * an fsync of the directory, so a crash leaves the old entry or the new
 * one, never half of one. Bounded in bytes: the least recently used files
 * go first; "used" is the file's mtime, which a hit refreshes, so the order
 * survives a restart too.
 */
export class FileCacheStore implements CacheStore {
  readonly dir: string;
  readonly maxBytes: number;
  readonly maxEntrySize: number;
  // File name -> size, least recently used first (Map insertion order).
  readonly #index = new Map<string, number>();
  #bytes = 0;
  #lastStamp = 0;
  #ready: Promise<void> | undefined;

  constructor(options: FileCacheStoreOptions) {
    if (typeof options?.dir !== 'string' || options.dir === '')
      throw new TypeError('FileCacheStore needs { dir }: the directory to keep entries in');
    this.dir = options.dir;
    this.maxBytes = positive('maxBytes', options.maxBytes, 256 * 1024 * 1024);
    this.maxEntrySize = positive('maxEntrySize', options.maxEntrySize, Math.floor(this.maxBytes / 8));
  }

  /** Bytes of entry files held now (as far as this process knows). */
  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    await this.#init();
    const name = fileName(key);
    const path = join(this.dir, name);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      if (!isMissing(e)) throw e;
      this.#forget(name);
      return undefined;
    }
    const parsed = parseFile(bytes);
    if (!parsed || parsed.key !== key) {
      // Not ours (corrupt, or another key with the same hash, which SHA-256 makes theoretical).
      if (!parsed) await this.#remove(name);
      return undefined;
    }
    if (Date.now() >= parsed.expiresAt) {
      await this.#remove(name);
      return undefined;
    }
    const entry = decodeEntry(parsed.entry);
    if (!entry) {
      await this.#remove(name);
      return undefined;
    }
    this.#forget(name);
    this.#add(name, bytes.byteLength);
    await this.#touch(path);
    return entry;
  }

  async set(key: string, entry: CacheEntry, ttl: number): Promise<void> {
    await this.#init();
    const name = fileName(key);
    const data = ttl > 0 ? fileBytes(key, Date.now() + ttl, encodeEntry(entry)) : undefined;
    if (!data || data.byteLength > this.maxEntrySize) {
      await this.#remove(name);
      return;
    }
    const tmp = join(this.dir, `${name}.${randomUUID()}.tmp`);
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, join(this.dir, name));
    } catch (e) {
      await unlink(tmp).catch(noop);
      throw e;
    }
    await this.#syncDir();
    await this.#touch(join(this.dir, name));
    this.#forget(name);
    this.#add(name, data.byteLength);
    await this.#evict(name);
  }

  async delete(key: string): Promise<void> {
    await this.#init();
    await this.#remove(fileName(key));
  }

  /** Reads the directory once: sizes and last use of the entries there, leftovers of a crash removed. */
  #init(): Promise<void> {
    this.#ready ??= (async () => {
      await mkdir(this.dir, { recursive: true });
      const found: Array<{ name: string; size: number; used: number }> = [];
      for (const name of await readdir(this.dir)) {
        const path = join(this.dir, name);
        if (name.endsWith('.tmp')) await unlink(path).catch(noop);
        else if (name.endsWith(SUFFIX)) {
          const st = await stat(path).catch(() => undefined);
          if (st?.isFile()) found.push({ name, size: st.size, used: st.mtimeMs });
        }
      }
      found.sort((a, b) => a.used - b.used);
      for (const f of found) this.#add(f.name, f.size);
      await this.#evict(undefined);
    })();
    return this.#ready;
  }

  /**
   * Marks a file as just used: its mtime is the "last used" a restart
   * reads back. Strictly increasing within a process (a write and a hit in
   * the same millisecond still keep their order).
   */
  async #touch(path: string): Promise<void> {
    const t = Math.max(Date.now(), this.#lastStamp + 1);
    this.#lastStamp = t;
    await utimes(path, t / 1000, t / 1000).catch(noop);
  }

  #add(name: string, size: number): void {
    this.#index.set(name, size);
    this.#bytes += size;
  }

  #forget(name: string): void {
    const size = this.#index.get(name);
    if (size === undefined) return;
    this.#index.delete(name);
    this.#bytes -= size;
  }

  async #remove(name: string): Promise<void> {
    this.#forget(name);
    await unlink(join(this.dir, name)).catch((e: unknown) => {
      if (!isMissing(e)) throw e;
    });
  }

  /** Removes the least recently used files until the store fits, never `keep` (the file just used). */
  async #evict(keep: string | undefined): Promise<void> {
    while (this.#bytes > this.maxBytes) {
      let victim: string | undefined;
      for (const name of this.#index.keys()) {
        if (name !== keep) {
          victim = name;
          break;
        }
      }
      if (victim === undefined) return;
      await this.#remove(victim);
    }
  }

  /** Makes a rename durable (POSIX); where a directory cannot be opened (Windows) the rename stands alone. */
  async #syncDir(): Promise<void> {
    try {
      const d = await open(this.dir, 'r');
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    } catch {
      // Not supported here: the rename is still atomic.
    }
  }
}

function fileName(key: string): string {
  return createHash('sha256').update(key).digest('hex') + SUFFIX;
}

/** `SCF1`, a 32-bit length, a JSON header `{ key, expiresAt }`, then the encoded entry. */
function fileBytes(key: string, expiresAt: number, entry: Uint8Array): Uint8Array {
  const header = enc.encode(JSON.stringify({ key, expiresAt }));
  const out = new Uint8Array(8 + header.byteLength + entry.byteLength);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.byteLength);
  out.set(header, 8);
  out.set(entry, 8 + header.byteLength);
  return out;
}

function parseFile(bytes: Uint8Array): { key: string; expiresAt: number; entry: Uint8Array } | undefined {
  if (bytes.byteLength < 8 || MAGIC.some((b, i) => bytes[i] !== b)) return undefined;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4);
  if (8 + length > bytes.byteLength) return undefined;
  try {
    const h = JSON.parse(dec.decode(bytes.subarray(8, 8 + length))) as { key?: unknown; expiresAt?: unknown };
    if (typeof h.key !== 'string' || typeof h.expiresAt !== 'number') return undefined;
    return { key: h.key, expiresAt: h.expiresAt, entry: bytes.subarray(8 + length) };
  } catch {
    return undefined;
  }
}
