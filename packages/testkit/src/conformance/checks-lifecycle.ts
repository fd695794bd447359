import { strict as assert } from 'node:assert';
import { atHeaders, echoOf, hop, prepare, rejection, sleep, within } from './harness.js';
import { PATHS } from './routes.js';
import type { Suite } from './suite.js';

/** Resource types that outlive a closed adapter when it leaks: timers always, sockets when it owns a pool. */
const TIMERS = ['Timeout', 'Immediate'];
const SOCKETS = ['TCPSocketWrap', 'TCPWrap', 'TLSWrap', 'Http2Session', 'PipeWrap'];

function census(types: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>(types.map((t) => [t, 0]));
  for (const r of process.getActiveResourcesInfo()) {
    if (counts.has(r)) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return counts;
}

/** The types with more live resources now than in `before`, as `Type +n`. */
function growth(before: Map<string, number>): string[] {
  const now = census([...before.keys()]);
  const out: string[] = [];
  for (const [type, n] of now) {
    const was = before.get(type) ?? 0;
    if (n > was) out.push(`${type} +${n - was}`);
  }
  return out;
}

/** `close()` and connection reuse. */
export function lifecycleChecks(suite: Suite): void {
  suite.check(
    'close',
    'close() leaves no socket or timer behind, and later sends do not hang',
    [],
    async () => {
      const { main, server } = suite.env;
      const watchSockets = suite.caps.network && suite.caps.pooling;
      // The suite's own servers are up already; what appears from here on is the adapter's.
      const before = census(watchSockets ? [...TIMERS, ...SOCKETS] : TIMERS);
      const accepted = server?.connectionCount ?? 0;
      const adapter = await suite.make();
      try {
        await Promise.all([1, 2, 3].map(async () => hop(adapter, await prepare(main.url(PATHS.echo)))));
        // A streamed body read to the end, and one closed unread.
        const read = await hop(adapter, await prepare(main.url(PATHS.gzip)), { stream: true });
        for await (const _ of read.iterContent());
        const unread = await atHeaders(
          hop(adapter, await prepare(main.url(PATHS.stallBody)), { stream: true }),
          'the stalled body',
        );
        await unread.close();
        // An aborted one.
        const controller = new AbortController();
        const t = main.track();
        const pending = hop(adapter, await prepare(main.url(PATHS.never, t)), { signal: controller.signal });
        await t.received;
        controller.abort();
        await rejection(pending);
      } finally {
        const closed = await within(adapter.close(), 3000);
        assert.notEqual(closed, 'pending', 'close() did not resolve');
      }
      // A second close() is harmless.
      assert.notEqual(await within(adapter.close(), 3000), 'pending', 'a second close() did not resolve');
      if (server && watchSockets) {
        assert.ok(
          await server.allClosed(2000, accepted),
          'the server still has connections open from the closed adapter',
        );
      }
      let left = growth(before);
      for (let i = 0; i < 20 && left.length > 0; i++) {
        await sleep(50);
        left = growth(before);
      }
      assert.deepEqual(left, [], `still alive after close(): ${left.join(', ')}`);
      // A closed adapter may refuse further sends; it must not leave them hanging.
      const late = await within(
        hop(adapter, await prepare(main.url(PATHS.echo))).then(
          (r) => r.statusCode,
          (e: unknown) => e,
        ),
        3000,
      );
      assert.notEqual(late, 'pending', 'a send after close() hung');
    },
  );

  suite.check('pooling', '100 sequential requests share one connection', ['network', 'pooling'], async () => {
    const { main, server } = suite.env;
    assert.ok(server);
    await suite.withAdapter(async (adapter) => {
      const before = server.connectionCount;
      for (let i = 0; i < 100; i++) {
        const res = await hop(adapter, await prepare(main.url(PATHS.echo, undefined, { i })));
        assert.equal(echoOf(res).method, 'GET');
      }
      assert.equal(server.connectionCount - before, 1, 'connections opened for 100 sequential requests');
    });
  });
}
