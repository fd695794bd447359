import type { TLSSocket } from 'node:tls';
import { abortReason, ConnectionError } from '@sess/core';
import { mapError } from './errors.js';
import { PooledSession, type PooledSessionOptions, type SessionOwner } from './pooled-session.js';
import { type ConnectAttempt, type Connected, type ConnectPlan, startConnect } from './session-connect.js';
import { type Lease, type LeaseRequest, Waiter } from './waiter.js';

/** Counts for one origin, as `poolStats()` reports them. */
export interface PoolStats {
  /** Open sessions (TCP connections), draining ones included. */
  sessions: number;
  /** Streams in flight over them. */
  streams: number;
  /** Requests waiting for a stream. */
  queued: number;
  /** Sessions being opened. */
  connecting: number;
}

export interface OriginPoolInit {
  /** How to open a session; `timeout` comes from the request that needs it. */
  readonly plan: Omit<ConnectPlan, 'timeout'>;
  readonly session: PooledSessionOptions;
  readonly maxSessions: number;
  readonly viaProxy: boolean;
  /** The server chose HTTP/1.1: the probe's socket, to adopt or destroy. */
  readonly onH1: (socket: TLSSocket) => void;
}

/** After a failed attempt while other sessions live, wait this long before trying another. */
const RETRY_COOLDOWN = 1000;

/**
 * The sessions of one origin (one key: origin, proxy, TLS settings).
 *
 * Every request takes a free stream slot on the oldest session that has
 * one. When none has, it queues, and a new session is opened unless the
 * sessions being opened are expected to serve the queue: while the peer's
 * stream limit is unknown (a cold pool), one attempt is expected to serve
 * everyone, so a burst of requests shares the first connection instead of
 * opening one each. Past `maxSessions`, requests wait for a slot.
 */
export class OriginPool implements SessionOwner {
  readonly #init: OriginPoolInit;
  readonly #origin: string;
  readonly #sessions: PooledSession[] = [];
  /** Sessions the pool is done with whose socket is still closing. */
  readonly #dying = new Set<PooledSession>();
  readonly #attempts = new Set<ConnectAttempt>();
  readonly #queue: Waiter[] = [];
  /** The peer's stream limit as the last session reported it; undefined until one connected. */
  #knownLimit: number | undefined;
  #cooldownUntil = 0;
  #closed = false;

  constructor(init: OriginPoolInit) {
    this.#init = init;
    this.#origin = init.plan.origin.origin;
  }

  /**
   * A session with a stream slot held, without a wait: when nothing queues
   * and an open session has a free slot (a warm pool); else `undefined`,
   * and `acquire()` it is. Spares the hot path a promise and a turn.
   */
  tryAcquire(): PooledSession | undefined {
    if (this.#closed || this.#queue.length > 0) return undefined;
    const session = this.#pick();
    session?.reserve();
    return session;
  }

  /** A session with a stream slot held, or 'h1' when the origin turned out to speak HTTP/1.1 only. */
  acquire(init: LeaseRequest): Promise<Lease> {
    if (this.#closed)
      return Promise.reject(new ConnectionError('The adapter was closed', { request: init.request }));
    if (init.signal?.aborted) return Promise.reject(abortReason(init.signal, init.request));
    if (this.#queue.length === 0) {
      const session = this.#pick();
      if (session) {
        session.reserve();
        return Promise.resolve(session);
      }
    }
    return new Promise<Lease>((resolve, reject) => {
      this.#queue.push(new Waiter(init, this.#origin, resolve, reject, (w) => this.#leave(w)));
      this.#pump();
    });
  }

  stats(): PoolStats {
    let streams = 0;
    for (const s of this.#sessions) streams += s.active;
    return {
      sessions: this.#sessions.length,
      streams,
      queued: this.#queue.length,
      connecting: this.#attempts.size,
    };
  }

  /** Nothing open, opening or waiting: the adapter may forget this pool. */
  get empty(): boolean {
    return this.#sessions.length === 0 && this.#attempts.size === 0 && this.#queue.length === 0;
  }

  onCapacity(session: PooledSession): void {
    if (!session.closed) this.#pump();
  }

  onClosed(session: PooledSession): void {
    const i = this.#sessions.indexOf(session);
    if (i !== -1) this.#sessions.splice(i, 1);
    this.#dying.add(session);
    void session.whenClosed.then(() => this.#dying.delete(session));
    this.#pump();
  }

  /**
   * Fails the queue, gives up connection attempts and closes every
   * session. Resolves when the sessions without a response being read are
   * gone; a session still delivering a body closes once that body is read
   * or cancelled.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#queue.splice(0)) {
      w.fail(new ConnectionError('The adapter was closed', { request: w.init.request }));
    }
    for (const a of this.#attempts) a.cancel();
    this.#attempts.clear();
    for (const s of this.#dying) s.destroy();
    const waits: Promise<void>[] = [];
    for (const s of this.#sessions) {
      const closing = s.close();
      if (s.responding === 0) waits.push(closing);
    }
    await Promise.all(waits);
  }

  #pick(): PooledSession | undefined {
    for (const s of this.#sessions) if (s.free > 0) return s;
    return undefined;
  }

  #live(): number {
    let n = 0;
    for (const s of this.#sessions) if (s.usable) n++;
    return n;
  }

  #pump(): void {
    if (this.#closed) return;
    const queue = this.#queue;
    while (queue.length > 0) {
      const session = this.#pick();
      if (!session) break;
      const waiter = queue.shift() as Waiter;
      session.reserve();
      waiter.grant(session);
    }
    if (queue.length === 0) return;
    // What the attempts under way are expected to serve: everyone, while the limit is unknown.
    const each = this.#knownLimit ?? Number.POSITIVE_INFINITY;
    let covered = this.#attempts.size === 0 ? 0 : this.#attempts.size * each; // 0 × ∞ is NaN
    const live = this.#live();
    if (live === 0 || performance.now() >= this.#cooldownUntil) {
      while (queue.length > covered && live + this.#attempts.size < this.#init.maxSessions) {
        // The first request not yet covered opened it: its connect timeout bounds the attempt.
        this.#connect((queue[covered] as Waiter).init.connectTimeout);
        covered += each;
      }
    }
    for (let i = 0; i < queue.length; i++) (queue[i] as Waiter).waitFor(i < covered ? 'connect' : 'pool');
  }

  #connect(timeout: number | undefined): void {
    const attempt = startConnect({ ...this.#init.plan, timeout });
    this.#attempts.add(attempt);
    attempt.result.then(
      (connected) => this.#connected(attempt, connected),
      (err: unknown) => this.#failed(attempt, err),
    );
  }

  #connected(attempt: ConnectAttempt, connected: Connected): void {
    this.#attempts.delete(attempt);
    if (this.#closed) {
      if (connected.kind === 'h2') connected.session.destroy();
      else connected.socket.destroy();
      return;
    }
    if (connected.kind === 'h1') {
      // Sent before any waiter resumes, so the fallback can adopt the socket before their first send.
      this.#init.onH1(connected.socket);
      if (this.#live() === 0) for (const w of this.#queue.splice(0)) w.grant('h1');
      return;
    }
    const session = new PooledSession(connected.session, connected.socket, this, this.#init.session);
    this.#sessions.push(session);
    this.#knownLimit = session.capacity;
    this.#pump();
  }

  #failed(attempt: ConnectAttempt, err: unknown): void {
    // A cancelled attempt is no longer in the set: nothing waits on it.
    if (!this.#attempts.delete(attempt) || this.#closed) return;
    if (this.#live() === 0 && this.#attempts.size === 0) {
      // Everyone queued was counting on this connection: they share its fate, each with its own error.
      const viaProxy = this.#init.viaProxy;
      for (const w of this.#queue.splice(0)) {
        w.fail(mapError(err, { request: w.init.request, phase: 'connect', viaProxy }));
      }
      return;
    }
    this.#cooldownUntil = performance.now() + RETRY_COOLDOWN;
    this.#pump();
  }

  #leave(waiter: Waiter): void {
    const i = this.#queue.indexOf(waiter);
    if (i !== -1) this.#queue.splice(i, 1);
    if (this.#queue.length === 0) {
      // Nobody waits any more: a connection still being opened for them is given up.
      for (const a of this.#attempts) a.cancel();
      this.#attempts.clear();
    } else this.#pump();
  }
}
