import { strict as assert } from 'node:assert';
import {
  AbortError,
  type Adapter,
  ConnectTimeoutError,
  ReadTimeoutError,
  type Response,
  TimeoutError,
} from '@sess/core';
import { assertErrorOf, atHeaders, echoOf, hop, prepare, rejection, within } from './harness.js';
import { PATHS, type Tracker } from './routes.js';
import type { Suite } from './suite.js';

/** How long the adapter may take to give up once the signal fires. */
const PROMPT = 1000;

type Stage = 'before send' | 'waiting for headers' | 'mid-body';
const STAGES: readonly Stage[] = ['before send', 'waiting for headers', 'mid-body'];

/**
 * Sends at `stage` and fires `controller` there with `reason`; resolves with
 * the rejection and the exchange's tracker.
 */
async function abortAt(
  suite: Suite,
  adapter: Adapter,
  stage: Stage,
  reason: unknown,
): Promise<{ error: unknown; tracker: Tracker; ms: number }> {
  const { main } = suite.env;
  const tracker = main.track();
  const controller = new AbortController();
  const path = stage === 'mid-body' ? PATHS.stallBody : PATHS.never;
  const request = await prepare(main.url(path, tracker));
  if (stage === 'before send') controller.abort(reason);
  const sent = hop(adapter, request, { signal: controller.signal, stream: stage === 'mid-body' });
  let reading: Promise<unknown> = sent;
  if (stage === 'waiting for headers') {
    await tracker.received;
  } else if (stage === 'mid-body') {
    const res: Response = await atHeaders(sent, 'the stalled body');
    const it = res.iterContent()[Symbol.asyncIterator]();
    const first = await it.next();
    assert.ok(!first.done, 'the first body chunk');
    reading = (async () => {
      for (let step = await it.next(); !step.done; step = await it.next());
    })();
    // Let the read block on the silent server before pulling the plug.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const t0 = performance.now();
  if (stage !== 'before send') controller.abort(reason);
  const settled = await within(rejection(reading), PROMPT * 2);
  assert.notEqual(settled, 'pending', `aborting ${stage}: the adapter did not give up`);
  return { error: settled, tracker, ms: performance.now() - t0 };
}

/** After an abort: the server let go of the exchange (network), and the adapter still works. */
async function assertReleased(suite: Suite, adapter: Adapter, tracker: Tracker, stage: Stage): Promise<void> {
  const { main } = suite.env;
  if (stage === 'before send') {
    assert.equal(
      await within(tracker.received, 100),
      'pending',
      'aborted before sending, yet the request arrived',
    );
  } else {
    const closed = await within(tracker.closed, 2000);
    assert.equal(
      closed,
      false,
      `aborted ${stage}: the server never saw the exchange end (the connection was kept)`,
    );
  }
  assert.equal(
    echoOf(await hop(adapter, await prepare(main.url(PATHS.echo)))).method,
    'GET',
    'the next request',
  );
}

/** The caller's abort and the session's deadline, at each stage of an exchange. */
export function abortChecks(suite: Suite): void {
  for (const stage of STAGES) {
    suite.check(`abort ${stage}`, `AbortError, and the exchange is released`, [], async () => {
      await suite.withAdapter(async (adapter) => {
        const reason = new Error('the caller changed their mind');
        const { error, tracker, ms } = await abortAt(suite, adapter, stage, reason);
        assertErrorOf(error, [AbortError], `aborted ${stage}`);
        assert.equal((error as AbortError).cause, reason, "the AbortError's cause is the signal's reason");
        assert.ok(ms < PROMPT, `aborted ${stage}: gave up after ${Math.round(ms)} ms`);
        await assertReleased(suite, adapter, tracker, stage);
      });
    });
  }

  suite.check(
    'deadline',
    'a signal fired with a TimeoutError (the session at timeout.total) rejects with that TimeoutError',
    [],
    async () => {
      await suite.withAdapter(async (adapter) => {
        for (const stage of STAGES) {
          const reason = new TimeoutError(`deadline (${stage})`);
          const { error, tracker } = await abortAt(suite, adapter, stage, reason);
          assert.equal(error, reason, `${stage}: got ${String(error)}`);
          await assertReleased(suite, adapter, tracker, stage);
        }
        // The same through SendOptions as the session builds them: timeout.total is the deadline's, not a read clock.
        const { main } = suite.env;
        const error = await rejection(
          hop(adapter, await prepare(main.url(PATHS.never)), { timeout: { total: 300 } }),
        );
        assertErrorOf(error, [TimeoutError], 'timeout.total');
        assert.ok(
          !(error instanceof ReadTimeoutError || error instanceof ConnectTimeoutError),
          String(error),
        );
      });
    },
  );
}
