import type { TLSSocket } from 'node:tls';
import type { Adapter } from '@sess/core';

/**
 * An adapter that can take over a connected TLS socket. When ALPN picks
 * `http/1.1`, the Http2Adapter hands the probe's socket to its `fallback`
 * through this before the first `fallback.send()` to that origin, so the
 * HTTP/1.1 pool's first connection costs no second handshake.
 */
export interface SocketAdopter {
  /**
   * Offers `socket` (TLS done, ALPN `http/1.1` or none, nothing read or
   * written since) for the first connection to `origin`
   * (`https://host:port`). `true`: the adapter owns it now. `false`: it
   * declined, and the caller closes it.
   */
  adoptSocket(origin: string, socket: TLSSocket): boolean;
}

/** Whether `adapter` can adopt sockets. */
export function isSocketAdopter(adapter: Adapter | undefined): adapter is Adapter & SocketAdopter {
  return typeof (adapter as Partial<SocketAdopter> | undefined)?.adoptSocket === 'function';
}

/**
 * Origins whose server chose HTTP/1.1, each until its entry expires: later
 * requests go straight to the fallback without another ALPN probe.
 */
export class AlpnMemory {
  readonly #until = new Map<string, number>();
  readonly #ttl: number;

  constructor(ttl: number) {
    this.#ttl = ttl;
  }

  /** Remembers `key` as HTTP/1.1 for the TTL. */
  markH1(key: string): void {
    if (this.#ttl > 0) this.#until.set(key, performance.now() + this.#ttl);
  }

  /** `true` while `key` is remembered as HTTP/1.1. Expired entries are dropped on the way. */
  isH1(key: string): boolean {
    if (this.#until.size === 0) return false;
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (performance.now() < until) return true;
    this.#until.delete(key);
    return false;
  }

  clear(): void {
    this.#until.clear();
  }
}
