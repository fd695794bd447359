/**
 * What an adapter says it can do. The conformance suite runs the checks an
 * adapter's capabilities call for and skips the others, naming the missing
 * capability in the skipped test's title.
 */
export interface AdapterCapabilities {
  /**
   * It talks to servers over sockets. `false` (an in-process adapter such as
   * `MockAdapter`): the suite's routes are answered by `kit.handler` instead
   * of servers, and only the checks that need no socket run. Default `true`.
   */
  network: boolean;
  /** https: `verify` as a CA bundle path or `false`, and SSLError for an untrusted certificate. Default `true`. */
  tls: boolean;
  /** It sends through `options.proxies`. Default `true`. */
  proxies: boolean;
  /**
   * It keeps a keep-alive pool of its own: sequential requests share one
   * connection, and `close()` closes every socket. `false` for an adapter on
   * a shared, global pool (then `close()` is checked for timers only).
   * Default `true`.
   */
  pooling: boolean;
  /**
   * It speaks HTTP/2: every network check runs against HTTP/2 servers (TLS,
   * ALPN `h2`, no HTTP/1.1 fallback) and responses must say `httpVersion: '2'`.
   * Default `false`.
   */
  http2: boolean;
  /** An `AsyncIterable` request body goes out as it is produced, with backpressure. Default `true`. */
  streamingUpload: boolean;
  /** It keeps `timeout.connect` (ConnectTimeoutError). Default `true`. */
  connectTimeout: boolean;
  /** It keeps `timeout.read`, before the headers and between body chunks (ReadTimeoutError). Default `true`. */
  readTimeout: boolean;
}

export const DEFAULT_CAPABILITIES: Readonly<AdapterCapabilities> = Object.freeze({
  network: true,
  tls: true,
  proxies: true,
  pooling: true,
  http2: false,
  streamingUpload: true,
  connectTimeout: true,
  readTimeout: true,
});

const KEYS = Object.keys(DEFAULT_CAPABILITIES) as Array<keyof AdapterCapabilities>;

/** The defaults with `given` on top; unknown keys and non-boolean values are TypeErrors. */
export function resolveCapabilities(given: Partial<AdapterCapabilities> = {}): Readonly<AdapterCapabilities> {
  for (const [k, v] of Object.entries(given)) {
    if (!(KEYS as string[]).includes(k)) {
      throw new TypeError(
        `adapterConformance: unknown capability ${JSON.stringify(k)}; known: ${KEYS.join(', ')}`,
      );
    }
    if (v !== undefined && typeof v !== 'boolean') {
      throw new TypeError(`adapterConformance: capability ${k} must be a boolean`);
    }
  }
  const caps = { ...DEFAULT_CAPABILITIES };
  for (const k of KEYS) {
    const v = given[k];
    if (v !== undefined) caps[k] = v;
  }
  return Object.freeze(caps);
}

/**
 * What a check needs: a capability, or `h1` for checks that only make
 * sense over HTTP/1.1 framing.
 */
export type Need = keyof AdapterCapabilities | 'h1';

const WHY: Record<Need, string> = {
  network: 'the adapter declares no network capability (the kit answers through kit.handler)',
  tls: 'the adapter declares no tls capability',
  proxies: 'the adapter declares no proxies capability',
  pooling: 'the adapter declares no pooling capability',
  http2: 'the adapter declares no http2 capability',
  streamingUpload: 'the adapter declares no streamingUpload capability',
  connectTimeout: 'the adapter declares no connectTimeout capability',
  readTimeout: 'the adapter declares no readTimeout capability',
  h1: 'HTTP/2 has no chunked framing (the adapter declares http2)',
};

/** Why a check with these needs cannot run (the first need missing), or `undefined` when it can. */
export function missing(caps: Readonly<AdapterCapabilities>, needs: readonly Need[]): string | undefined {
  for (const need of needs) {
    if (need === 'h1' ? caps.http2 : !caps[need]) return WHY[need];
  }
  return undefined;
}
