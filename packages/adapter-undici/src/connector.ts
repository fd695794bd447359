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
 * Wraps the connectors of one adapter's dispatchers, for two things undici
 * does not do well enough on its own:
 *
 * - Precise connect timeouts. undici's run on its coarse "fast timers"
 *   (half-second ticks), so a 300 ms budget fires after about a second. The
 *   wrapper's plain Node timer fires on time. It covers everything the
 *   connector does: TCP and TLS, or for a proxy the CONNECT exchange and the
 *   TLS handshake through the tunnel. The failure is undici's
 *   ConnectTimeoutError, so undici fails the waiting requests as it would for
 *   its own timeout; a connection that completes too late is closed.
 * - Closing attempts in progress. undici's `destroy()` does not close a
 *   socket that is still connecting, and one that never completes (a silent
 *   TLS server, no timeout) would keep the process alive. `abortAll()` does.
 */
export class ConnectGuard {
  readonly #pending = new Set<Destroyable>();

  /** `connect` bounded by `ms` (0: no limit) and tracked until it settles. */
  wrap(connect: Connector, ms: number): Connector {
    return (options, callback) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      // undici's connectors return the socket they open; ProxyAgent's tunnel returns a promise.
      let pending: unknown;
      const settle = (...result: ConnectorResult) => {
        if (settled) {
          result[1]?.destroy();
          return;
        }
        settled = true;
        if (timer) clearTimeout(timer);
        if (isDestroyable(pending)) this.#pending.delete(pending);
        callback(...result);
      };
      if (ms > 0) {
        timer = setTimeout(() => {
          const err = new errors.ConnectTimeoutError(`Connect timeout after ${ms} ms`);
          if (isDestroyable(pending)) pending.destroy();
          settle(err, null);
        }, ms);
      }
      pending = (connect as (...args: Parameters<Connector>) => unknown)(options, settle);
      if (!settled && isDestroyable(pending)) this.#pending.add(pending);
    };
  }

  /** Fails every connection attempt still in progress. */
  abortAll(): void {
    for (const socket of this.#pending) socket.destroy(new errors.ClientDestroyedError());
    this.#pending.clear();
  }
}
