/**
 * The throughput scenarios: (a)-(f) over HTTP/1.1, (h) over HTTP/2.
 * Scenario (g), start-up time, spawns processes and lives in
 * lib/startup.ts. How long each client runs per round is an option
 * (lib/options.ts), the same for every scenario.
 */
import {
  ALL_CLIENTS,
  BASELINE,
  type BenchClient,
  type ClientDef,
  H2_BASELINE,
  H2_CLIENTS,
  sess,
  sessDiagnostics,
  sessEmptyJar,
  sessFullJar,
  sessLoggingError,
  sessLoggingNoop,
  sessLoggingSilent,
  sessTimeout,
  undiciPool,
} from './clients/index.js';

export interface Scenario {
  /** `a`..`f` and `h`, as in the issues; also the --only key. */
  readonly id: string;
  readonly title: string;
  /**
   * Which of the child's servers the clients talk to: node:http (keep-alive,
   * cleartext), or node:http2 over TLS (h2 only).
   */
  readonly protocol: 'http/1.1' | 'h2';
  /** The row every ratio is against; it runs whatever `--clients` says. */
  readonly baseline: string;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly clients: readonly ClientDef[];
  /** Paragraphs printed under the scenario's table in RESULTS.md: what its rows are. */
  readonly notes?: readonly string[];
  /** One request, its whole body read and parsed. */
  op(client: BenchClient): Promise<unknown>;
  /** Why a response is wrong, or null: checked once per client before measuring. */
  check(result: unknown): string | null;
}

export const ONE_MIB = 1024 * 1024;

/** A typical small API payload: 200-odd bytes of JSON for the client to serialise and the server to parse. */
const PAYLOAD = {
  id: 42,
  name: 'sess benchmark',
  email: 'bench@example.test',
  tags: ['alpha', 'beta', 'gamma'],
  active: true,
  score: 0.875,
  address: { street: '1 Loopback Way', city: 'Localhost', zip: '12700' },
  items: [1, 2, 3, 4, 5, 6, 7, 8],
};

function isOk(result: unknown): string | null {
  return (result as { ok?: unknown } | null)?.ok === true
    ? null
    : `unexpected body ${JSON.stringify(result)}`;
}

const getJson = (c: BenchClient): Promise<unknown> => c.get('/json', 'json');

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'a',
    title: 'GET small JSON, 1 in flight',
    protocol: 'http/1.1',
    baseline: BASELINE,
    concurrency: 1,
    // The libraries, and after `sess` (which has neither) sess with its observability on: the
    // logging plugin writing nothing, a diagnostics_channel subscriber.
    clients: ALL_CLIENTS.flatMap((c) =>
      c === sess ? [sess, sessLoggingSilent, sessLoggingError, sessLoggingNoop, sessDiagnostics] : [c],
    ),
    notes: [
      '`sess` has no plugin and nothing subscribed to its diagnostics channels. ' +
        "`sess (logging, silent)` adds `logging({ level: 'silent' })` (@sess/plugin-logging), which returns a plugin " +
        'without `send` (checked at set-up), so the chain skips it. `sess (logging, error: none built)` adds ' +
        "`logging({ logger, level: 'error' })` with a no-op pino-compatible logger: every request goes through the " +
        "plugin's `send`, and a 200, logged at info, builds no record. `sess (logging, info, no-op logger)` is the " +
        'default level: each response becomes a redacted record handed to `logger.info`, which drops it (as pino ' +
        'does below its level).',
      '`sess (diagnostics subscribed)` has a no-op subscriber on each of the four channels `sess:request:create`, ' +
        '`sess:request:headers`, `sess:request:end` and `sess:request:error` (node:diagnostics_channel `subscribe`), ' +
        "subscribed only during this row's turns, so that the other rows run without subscribers.",
    ],
    op: getJson,
    check: isOk,
  },
  {
    id: 'b',
    title: 'GET small JSON, 50 in flight',
    protocol: 'http/1.1',
    baseline: BASELINE,
    concurrency: 50,
    // After sess, sess with the timeout of (f): the acceptance asks for both at 50 in flight too.
    clients: ALL_CLIENTS.flatMap((c) => (c === sess ? [sess, sessTimeout] : [c])),
    op: getJson,
    check: isOk,
  },
  {
    id: 'c',
    title: 'GET 1 MiB body, 1 in flight',
    protocol: 'http/1.1',
    baseline: BASELINE,
    concurrency: 1,
    clients: ALL_CLIENTS,
    op: (c) => c.get('/bytes', 'bytes'),
    check: (n) => (n === ONE_MIB ? null : `read ${String(n)} bytes, expected ${ONE_MIB}`),
  },
  {
    id: 'd',
    title: 'Cookie round trip (server sets one cookie), 1 in flight',
    protocol: 'http/1.1',
    baseline: BASELINE,
    concurrency: 1,
    // Only sess keeps cookies: the Pool row is there for the ratio, the two sess rows for the jar's cost.
    clients: [undiciPool, sessEmptyJar, sessFullJar],
    op: (c) => c.get('/cookie', 'json'),
    check: isOk,
  },
  {
    id: 'e',
    title: 'POST JSON, 1 in flight',
    protocol: 'http/1.1',
    baseline: BASELINE,
    concurrency: 1,
    clients: ALL_CLIENTS,
    op: (c) => c.postJson('/json', PAYLOAD),
    check: isOk,
  },
  {
    id: 'f',
    title: 'GET small JSON with timeout { connect: 5000, read: 5000, total: 10000 }, 1 in flight',
    protocol: 'http/1.1',
    baseline: BASELINE,
    concurrency: 1,
    clients: [undiciPool, sess, sessTimeout],
    op: getJson,
    check: isOk,
  },
  {
    id: 'h',
    title: 'HTTP/2 (TLS): GET small JSON, 100 in flight',
    protocol: 'h2',
    baseline: H2_BASELINE,
    concurrency: 100,
    clients: H2_CLIENTS,
    notes: [
      'node:http2 is the baseline here: one `ClientHttp2Session`, `session.request()` per request, the body read ' +
        'whole and parsed. `sess (http2: true)` is `new Session({ http2: true })` (its `Http2Adapter` on https://) ' +
        'with `verify` set to the test CA; `undici.request (allowH2)` uses `new Agent({ allowH2: true, connect: ' +
        '{ ca } })`, on which undici 7 carries one stream per connection (`pipelining` defaults to 1; ' +
        'nodejs/undici#4143), so it opens a connection per request in flight; the `pipelining: 100` row lets ' +
        'it multiplex. `got (http2: true)` uses http2-wrapper with its own `Agent` and `https.certificateAuthority`. ' +
        'The server speaks nothing but h2, so every answer came over HTTP/2.',
    ],
    op: getJson,
    check: isOk,
  },
];
