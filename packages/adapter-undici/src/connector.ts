import { subscribe } from 'node:diagnostics_channel';
import { type buildConnector, errors } from 'undici';

type Connector = buildConnector.connector;
type ConnectorResult = Parameters<buildConnector.Callback>;

interface Destroyable {
  destroy(err?: Error): void;
}

function isDestroyable(value: unknown): value is Destroyable {
  return typeof (value as { destroy?: unknown } | null)?.destroy === 'function';
}

/**
 * One call of a connector: it settles once. `fail()` ends it early: it aborts
 * the signal handed to the connector (ProxyAgent passes it on to its CONNECT
 * request), destroys the socket being connected (or the tunnel under a TLS
 * handshake), and reports the failure to undici. A connection that completes
 * after that is closed.
 */
export class Attempt {
  readonly #controller = new AbortController();
  readonly #onSettled: (attempt: Attempt) => void;
  #callback: buildConnector.Callback | undefined;
  #failed = false;
  #socket: Destroyable | undefined;

  constructor(callback: buildConnector.Callback, onSettled: (attempt: Attempt) => void) {
    this.#callback = callback;
    this.#onSettled = onSettled;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The socket this attempt is waiting on: destroyed if the attempt is given up. */
  watch(socket: unknown): void {
    if (!isDestroyable(socket)) return;
    if (this.#failed) socket.destroy();
    else if (this.#callback) this.#socket = socket;
  }

  settle = (...result: ConnectorResult): void => {
    const callback = this.#callback;
    if (!callback) {
      // Given up already: nobody wants this connection any more.
      result[1]?.destroy();
      return;
    }
    this.#callback = undefined;
    this.#socket = undefined;
    this.#onSettled(this);
    callback(...result);
  };

  fail(err: Error): void {
    const callback = this.#callback;
    if (!callback) return;
    this.#callback = undefined;
    this.#failed = true;
    this.#onSettled(this);
    this.#controller.abort(err);
    this.#socket?.destroy();
    this.#socket = undefined;
    callback(err, null);
  }
}

/** Attempts by the signal they handed to their connector. */
const bySignal = new WeakMap<AbortSignal, Attempt>();
let watchingTunnels = false;

/**
 * ProxyAgent reports each tunnel (the socket its CONNECT opened) on this
 * diagnostics channel, with the connector options it was given (our signal
 * among them), before the TLS handshake with the origin runs through it. The
 * attempt keeps the tunnel, so giving the attempt up, or close(), closes it
 * even when that handshake never completes.
 */
export function watchTunnels(): void {
  if (watchingTunnels) return;
  watchingTunnels = true;
  subscribe('undici:proxy:connected', (message) => {
    const { socket, connectParams } = message as { socket?: unknown; connectParams?: { signal?: unknown } };
    const signal = connectParams?.signal;
    if (signal instanceof AbortSignal) bySignal.get(signal)?.watch(socket);
  });
}

/** The connector of one undici Client, whose attempt in progress can be given up. */
export class ClientConnector {
  readonly connect: Connector;
  #attempt: Attempt | undefined;

  constructor(guard: ConnectGuard, connect: Connector) {
    this.connect = guard.wrap(connect, this);
  }

  /** The guard reports here when an attempt of this client starts... */
  started(attempt: Attempt): void {
    this.#attempt = attempt;
  }

  /** ...and when it settles. */
  settled(attempt: Attempt): void {
    if (this.#attempt === attempt) this.#attempt = undefined;
  }

  /** Fails the connection attempt in progress, if there is one: no request waits for it any more. */
  cancel(): void {
    this.#attempt?.fail(
      new errors.RequestAbortedError('Connection attempt given up: no request waits for it'),
    );
  }
}

/**
 * Wraps the connectors of one adapter's dispatchers:
 *
 * - An attempt can be given up: `ClientConnector.cancel()` fails it once the
 *   last request waiting for it has given up (connect or total timeout,
 *   signal, close()), so a connection that never completes does not linger.
 *   The timeouts themselves are per request (see Exchange), which lets
 *   requests with different budgets share one pool.
 * - Closing attempts in progress. undici's `destroy()` does not close a
 *   socket that is still connecting, and one that never completes (a silent
 *   TLS server, no timeout) would keep the process alive. `abortAll()` does.
 */
export class ConnectGuard {
  readonly #pending = new Set<Attempt>();

  /** `connect`, each attempt tracked until it settles (and reported to `client`). */
  wrap(connect: Connector, client?: ClientConnector): Connector {
    return (options, callback) => {
      const attempt = new Attempt(callback, (done) => {
        this.#pending.delete(done);
        client?.settled(done);
      });
      this.#pending.add(attempt);
      client?.started(attempt);
      const signal = attempt.signal;
      bySignal.set(signal, attempt);
      let pending: unknown;
      try {
        // ProxyAgent's tunnel connector hands `signal` to its CONNECT request; undici's own ignore it.
        pending = (connect as (...args: Parameters<Connector>) => unknown)(
          { ...options, signal } as buildConnector.Options,
          attempt.settle,
        );
      } catch (err) {
        attempt.fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      // undici's connectors return the socket they open; ProxyAgent's tunnel returns a promise.
      attempt.watch(pending);
    };
  }

  /** Fails every connection attempt still in progress. */
  abortAll(): void {
    const all = [...this.#pending];
    this.#pending.clear();
    for (const attempt of all) attempt.fail(new errors.ClientDestroyedError());
  }
}
