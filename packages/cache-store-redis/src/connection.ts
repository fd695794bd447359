import { createClient } from 'redis';

/**
 * What the store needs from a Redis client: node-redis' `sendCommand`,
 * honouring `typeMapping` so that values come back as Buffers (binary
 * bodies must not go through a UTF-8 string). A `createClient()` client is one.
 */
export interface RedisCacheCommander {
  sendCommand(
    args: ReadonlyArray<string | Buffer>,
    options?: { typeMapping?: Record<number, unknown> },
  ): Promise<unknown>;
}

/** Default `commandTimeout` (ms). */
export const DEFAULT_COMMAND_TIMEOUT = 5000;

/** Checks a `commandTimeout`. */
export function resolveTimeout(value: number | undefined): number {
  const ms = value ?? DEFAULT_COMMAND_TIMEOUT;
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms <= 0) {
    throw new RangeError(`commandTimeout must be a positive number of milliseconds, got ${String(value)}`);
  }
  return ms;
}

/** `work`, or an Error once `ms` have passed without it settling. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  if (!Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms (commandTimeout)`)), ms);
  });
  // The loser must not become an unhandled rejection.
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A client the store owns, from a URL: it fails calls while Redis is
 * unreachable instead of queueing them (a cache must not make a request
 * wait for Redis), gives up connecting after three quick tries the first
 * time (a wrong URL fails fast), and reconnects with back-off once it has
 * been connected. `connect()` may be called again after a failure.
 */
export function ownedClient(url: string): {
  client: ReturnType<typeof createClient>;
  connect: () => Promise<void>;
} {
  let connected = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) =>
        connected ? Math.min(50 * 2 ** retries, 2000) : retries >= 3 ? cause : 100,
    },
  });
  // Without a listener an 'error' event would crash the process; failed calls reject anyway.
  client.on('error', () => {});
  const connect = () => {
    const ready = client.connect().then(() => {
      connected = true;
    });
    ready.catch(() => {});
    return ready;
  };
  return { client, connect };
}
