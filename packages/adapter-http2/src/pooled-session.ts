import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type ClientSessionRequestOptions,
  constants,
  type OutgoingHttpHeaders,
} from 'node:http2';
import type { Socket } from 'node:net';

/** What a pooled session tells the pool that owns it. */
export interface SessionOwner {
  /** A stream slot freed up, or the peer raised its limit: queued requests may go on. */
  onCapacity(session: PooledSession): void;
  /** The session is gone: closed, torn down, or died. Called once. */
  onClosed(session: PooledSession): void;
}

export interface PooledSessionOptions {
  /** Our own cap on streams in flight (`maxConcurrentStreams`). */
  readonly streamCap: number;
  /** Close after this long without streams; 0 never. */
  readonly idleTimeout: number;
  /** PING this often; undefined never. */
  readonly pingInterval: number | undefined;
}

/** The code of the error a session is destroyed with when its peer stops answering PING. */
export const PING_TIMEOUT = 'ERR_SESS_HTTP2_PING_TIMEOUT';

/** How long a politely closed session waits for the peer to close its end before the socket is destroyed. */
const CLOSE_GRACE = 250;

/**
 * One ClientHttp2Session in a pool: counts the streams in flight against
 * the peer's SETTINGS_MAX_CONCURRENT_STREAMS (and our cap), keeps the idle
 * and PING clocks, and stops taking streams after a GOAWAY. An idle session
 * is unref'd, so it never keeps the process alive by itself.
 *
 * A session that takes no more streams and has none left is torn down
 * (session and socket destroyed) by us, not left to the peer: a peer that
 * never closes its end of the TCP connection would otherwise keep a
 * half-closed socket, and close(), waiting forever.
 */
export class PooledSession {
  readonly session: ClientHttp2Session;
  /** The last stream id of a GOAWAY received; streams above it were never processed. */
  goawayLastStreamId: number | undefined;
  readonly #socket: Socket;
  readonly #owner: SessionOwner;
  readonly #options: PooledSessionOptions;
  #active = 0;
  #responding = 0;
  #retired = false;
  #closed = false;
  #idleTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #pingOutstanding = false;
  #resolveClosed: () => void = () => {};
  readonly #whenClosed: Promise<void>;

  constructor(
    session: ClientHttp2Session,
    socket: Socket,
    owner: SessionOwner,
    options: PooledSessionOptions,
  ) {
    this.session = session;
    this.#socket = socket;
    this.#owner = owner;
    this.#options = options;
    this.#whenClosed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    // Errors reach the streams of this session (each maps its own); the session just goes.
    session.on('error', () => {});
    session.on('frameError', () => {});
    session.once('close', () => this.#finish());
    socket.once('close', () => this.#finish());
    // Node destroys the session on a socket error but may never emit 'close' for it (see session-connect.ts).
    socket.on('error', (err) => this.destroy(err));
    session.on('goaway', (_code: number, lastStreamID: number) => {
      this.goawayLastStreamId = Math.min(this.goawayLastStreamId ?? lastStreamID, lastStreamID);
      this.#retire();
    });
    session.on('remoteSettings', () => this.#owner.onCapacity(this));
    // We advertise ENABLE_PUSH 0; a promised stream that still shows up is refused, never read.
    session.on('stream', (pushed: ClientHttp2Stream) => {
      pushed.on('error', () => {});
      pushed.close(constants.NGHTTP2_REFUSED_STREAM);
    });
    if (options.pingInterval !== undefined) {
      this.#pingTimer = setInterval(() => this.#ping(), options.pingInterval);
      this.#pingTimer.unref();
    }
    this.#idle();
  }

  /** Streams the session may carry at once: the peer's limit, capped by ours. */
  get capacity(): number {
    const peer = this.session.remoteSettings.maxConcurrentStreams ?? Number.POSITIVE_INFINITY;
    return Math.min(peer, this.#options.streamCap);
  }

  /** Streams in flight (reserved or open). */
  get active(): number {
    return this.#active;
  }

  /** Streams whose response headers arrived and whose body is still open. */
  get responding(): number {
    return this.#responding;
  }

  /** New streams may go on this session. */
  get usable(): boolean {
    return !this.#retired && !this.#closed && !this.session.closed && !this.session.destroyed;
  }

  /** Slots a new request could take now. */
  get free(): number {
    return this.usable ? Math.max(0, this.capacity - this.#active) : 0;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves when the socket is gone too (a session is `closed` for the pool a little earlier). */
  get whenClosed(): Promise<void> {
    return this.#whenClosed;
  }

  /** Holds a slot for a request about to open a stream; `open()` or `release()` must follow. */
  reserve(): void {
    this.#active++;
    if (this.#active === 1) {
      if (this.#idleTimer) clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
      this.session.ref();
    }
  }

  /** Gives a slot back: its stream closed, or it was never opened. */
  release(): void {
    this.#active--;
    if (this.#active === 0) {
      if (this.#retired) this.#teardownSoon();
      else this.#idle();
    }
    this.#owner.onCapacity(this);
  }

  /**
   * Opens a stream on a reserved slot. Throws as `request()` does (the slot
   * is released then). The caller reports the stream's response headers
   * (`streamResponded`) and its close (`streamClosed`, which releases the
   * slot) from its own listeners: two listeners fewer per stream.
   */
  open(headers: OutgoingHttpHeaders, options: ClientSessionRequestOptions): ClientHttp2Stream {
    try {
      return this.session.request(headers, options);
    } catch (err) {
      this.release();
      throw err;
    }
  }

  /** A stream opened here got its response headers. */
  streamResponded(): void {
    this.#responding++;
  }

  /** A stream opened here closed (`responded`: after streamResponded()); its slot is free. */
  streamClosed(responded: boolean): void {
    if (responded) this.#responding--;
    this.release();
  }

  /**
   * Closes politely: GOAWAY, no new streams, open ones finish. Resolves
   * when the session is gone; the socket is destroyed if the peer has not
   * closed its end CLOSE_GRACE ms after our last stream ended.
   */
  close(): Promise<void> {
    this.#retire();
    if (!this.session.closed && !this.session.destroyed) this.session.close();
    if (this.#active === 0) this.#teardownSoon();
    return this.#whenClosed;
  }

  /** Tears the session down at once; its streams fail with `err`. */
  destroy(err?: Error): void {
    this.#retire();
    if (!this.session.destroyed) this.session.destroy(err);
    this.#socket.destroy();
    this.#finish();
  }

  #retire(): void {
    if (this.#retired) return;
    this.#retired = true;
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#active === 0) this.#teardownSoon();
  }

  /** A retired session without streams: give the GOAWAY a moment to go out, then destroy everything. */
  #teardownSoon(): void {
    if (this.#closed || this.#graceTimer) return;
    this.#graceTimer = setTimeout(() => this.destroy(), CLOSE_GRACE);
    // No new stream will come, so the pool forgets the session now; the timer only ends the socket.
    this.#finish(false);
  }

  #idle(): void {
    if (this.#closed || this.#retired) return;
    this.session.unref();
    if (this.#options.idleTimeout > 0 && !this.#idleTimer) {
      this.#idleTimer = setTimeout(() => {
        this.#idleTimer = undefined;
        if (this.#active === 0) void this.close();
      }, this.#options.idleTimeout);
      this.#idleTimer.unref();
    }
  }

  #ping(): void {
    if (this.#closed) return;
    if (this.#pingOutstanding) {
      const err = new Error(`The HTTP/2 peer did not answer PING within ${this.#options.pingInterval} ms`);
      (err as Error & { code: string }).code = PING_TIMEOUT;
      this.destroy(err);
      return;
    }
    this.#pingOutstanding = true;
    try {
      this.session.ping((err) => {
        if (!err) this.#pingOutstanding = false;
      });
    } catch {
      // A session closing meanwhile: its close ends the pinging.
    }
  }

  /**
   * The session is gone for the pool (once). `final`: the socket is gone
   * too, so the grace timer and the close() promise are done with.
   */
  #finish(final = true): void {
    if (final) {
      if (this.#graceTimer) clearTimeout(this.#graceTimer);
      this.#graceTimer = undefined;
      this.#resolveClosed();
    }
    if (this.#closed) return;
    this.#closed = true;
    this.#retired = true;
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#idleTimer = undefined;
    this.#pingTimer = undefined;
    this.#owner.onClosed(this);
  }
}
