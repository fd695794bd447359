import { type AdapterCapabilities, resolveCapabilities } from './capabilities.js';
import { abortChecks } from './checks-abort.js';
import { bodyChecks } from './checks-bodies.js';
import { failureChecks } from './checks-failures.js';
import { lifecycleChecks } from './checks-lifecycle.js';
import { protocolChecks } from './checks-protocol.js';
import { type ConformanceOptions, type MakeAdapter, Suite, type Vitest } from './suite.js';

export type { AdapterCapabilities } from './capabilities.js';
export type { ConformanceKit, ConformanceOptions, MakeAdapter } from './suite.js';

/**
 * Registers the adapter conformance suite as a vitest `describe` block: the
 * checks every sess transport must pass (one hop, cookies untouched, bodies
 * byte-exact and streamed with backpressure, errors mapped onto sess's
 * classes, aborts and deadlines at every stage, `close()` leaving nothing
 * behind, connection reuse). It starts its own servers on 127.0.0.1, HTTP/2
 * ones when the adapter declares `http2`. Checks whose capability the
 * adapter lacks are registered as skipped, with the reason in their title.
 *
 * Call it at the top level of a test file, awaited (vitest, an optional
 * peer dependency, is loaded on first use):
 *
 * ```ts
 * await adapterConformance('MyAdapter', () => new MyAdapter(), { proxies: false });
 * ```
 *
 * `makeAdapter` is called once per check (the suite closes each adapter);
 * it receives a kit whose `handler` answers the suite's routes in-process,
 * for an adapter without network: `(kit) => new MockAdapter(kit.handler)`
 * with `{ network: false }`. `options.knownFailures` runs named checks as
 * `it.fails` while a bug is open.
 */
export async function adapterConformance(
  name: string,
  makeAdapter: MakeAdapter,
  capabilities: Partial<AdapterCapabilities> = {},
  options: ConformanceOptions = {},
): Promise<void> {
  const caps = resolveCapabilities(capabilities);
  let vitest: Vitest;
  try {
    vitest = await import('vitest');
  } catch (cause) {
    throw new Error(
      'adapterConformance registers vitest tests: install vitest (a peer dependency of @sess/testkit)',
      {
        cause,
      },
    );
  }
  const suite = new Suite(caps, vitest, makeAdapter, options);
  const over = caps.network ? (caps.http2 ? 'HTTP/2' : 'HTTP/1.1') : 'in-process handler';
  vitest.describe(`adapter conformance: ${name} (${over})`, () => {
    vitest.beforeAll(() => suite.setUp());
    vitest.afterAll(() => suite.tearDown());
    protocolChecks(suite);
    bodyChecks(suite);
    failureChecks(suite);
    abortChecks(suite);
    lifecycleChecks(suite);
    suite.assertKnownFailuresExist();
  });
}
