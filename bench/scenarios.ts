/**
 * The throughput scenarios (a)-(f). Scenario (g), start-up time, spawns
 * processes and lives in lib/startup.ts. How long each client runs per
 * round is an option (lib/options.ts), the same for every scenario.
 */
import {
  ALL_CLIENTS,
  type BenchClient,
  type ClientDef,
  sess,
  sessEmptyJar,
  sessFullJar,
  sessTimeout,
  undiciPool,
} from './clients/index.js';

export interface Scenario {
  /** `a`..`f`, as in the issue; also the --only key. */
  readonly id: string;
  readonly title: string;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly clients: readonly ClientDef[];
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
    concurrency: 1,
    clients: ALL_CLIENTS,
    op: getJson,
    check: isOk,
  },
  {
    id: 'b',
    title: 'GET small JSON, 50 in flight',
    concurrency: 50,
    clients: ALL_CLIENTS,
    op: getJson,
    check: isOk,
  },
  {
    id: 'c',
    title: 'GET 1 MiB body, 1 in flight',
    concurrency: 1,
    clients: ALL_CLIENTS,
    op: (c) => c.get('/bytes', 'bytes'),
    check: (n) => (n === ONE_MIB ? null : `read ${String(n)} bytes, expected ${ONE_MIB}`),
  },
  {
    id: 'd',
    title: 'Cookie round trip (server sets one cookie), 1 in flight',
    concurrency: 1,
    // Only sess keeps cookies: the Pool row is there for the ratio, the two sess rows for the jar's cost.
    clients: [undiciPool, sessEmptyJar, sessFullJar],
    op: (c) => c.get('/cookie', 'json'),
    check: isOk,
  },
  {
    id: 'e',
    title: 'POST JSON, 1 in flight',
    concurrency: 1,
    clients: ALL_CLIENTS,
    op: (c) => c.postJson('/json', PAYLOAD),
    check: isOk,
  },
  {
    id: 'f',
    title: 'GET small JSON with timeout { connect: 5000, read: 5000, total: 10000 }, 1 in flight',
    concurrency: 1,
    clients: [undiciPool, sess, sessTimeout],
    op: getJson,
    check: isOk,
  },
];
