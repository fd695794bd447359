/**
 * One benchmarked client in a process of its own (started by `remote-client.ts`).
 * Each client runs its rounds in a fresh V8, so no client's measurement is
 * shaped by code the others ran before it in the same process: the JIT's type
 * feedback, inline caches and heap stay this client's own, as in a real
 * application, which uses one HTTP client.
 *
 * Messages (IPC): `setup` → `ready` | `failed`; `round` → `sample` | `failed`; `close` → exit.
 */
import type { BenchClient } from '../clients/index.js';
import { SCENARIOS } from '../scenarios.js';
import { drive, measure } from './measure.js';
import type { ChildReply, ParentMessage } from './remote-protocol.js';

let client: BenchClient | undefined;
let op: ((c: BenchClient) => Promise<unknown>) | undefined;
let concurrency = 1;

function reply(message: ChildReply): void {
  process.send?.(message);
}

/** One turn of the client, its process-wide state (a diagnostics subscriber) set up only meanwhile. */
async function turn<T>(c: BenchClient, run: () => Promise<T>): Promise<T> {
  c.activate?.();
  try {
    return await run();
  } finally {
    c.deactivate?.();
  }
}

async function handle(m: ParentMessage): Promise<void> {
  if (m.type === 'setup') {
    const sc = SCENARIOS.find((s) => s.id === m.scenario);
    const def = sc?.clients.find((d) => d.name === m.client);
    if (!sc || !def) throw new Error(`no client ${m.client} in scenario ${m.scenario}`);
    const c = await def.setup(m.origin, m.headers);
    client = c;
    op = sc.op;
    concurrency = sc.concurrency;
    const run = sc.op;
    await turn(c, async () => {
      const problem = sc.check(await run(c));
      if (problem) throw new Error(problem);
      // JIT, connection set-up and the pool's growth to `concurrency` happen here, not in round 1.
      await drive(() => run(c), m.ms / 2, concurrency);
    });
    reply({ type: 'ready' });
  } else if (m.type === 'round') {
    const c = client;
    const run = op;
    if (!c || !run) throw new Error('round before setup');
    const sample = await turn(c, async () => {
      // A short re-warm: the previous client's turn has left this one's connections idle.
      await drive(() => run(c), m.ms / 10, concurrency);
      return measure(() => run(c), m.ms, concurrency);
    });
    reply({ type: 'sample', sample });
  } else {
    await client?.close().catch(() => {});
    process.disconnect?.();
  }
}

process.on('message', (m: ParentMessage) => {
  handle(m).catch((err: unknown) => reply({ type: 'failed', error: String(err) }));
});
