/**
 * Runs one scenario: sets every client up and warms it, then in each round
 * runs every client in turn (starting one further along each round, so no
 * client always follows the same neighbour) for the same time.
 */
import type { BenchClient } from '../clients/index.js';
import type { Scenario } from '../scenarios.js';
import { drive, measure, type Sample } from './measure.js';
import type { BenchOptions } from './options.js';
import { max, median, min } from './stats.js';

export interface RowSummary {
  readonly name: string;
  readonly rpsMedian: number;
  readonly rpsMin: number;
  readonly rpsMax: number;
  readonly cpuUsPerReq: number;
  /** Median req/s over the scenario's baseline row's; null without one. */
  readonly ratio: number | null;
  /** Why the row has no numbers. */
  readonly error?: string;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  /** Each client's time per round. */
  readonly seconds: number;
  readonly rounds: number;
  readonly rows: readonly RowSummary[];
}

interface Contender {
  readonly name: string;
  client?: BenchClient;
  readonly samples: Sample[];
  error?: string;
}

export async function runScenario(
  sc: Scenario,
  origin: string,
  headers: Readonly<Record<string, string>>,
  opts: BenchOptions,
): Promise<ScenarioResult> {
  const ms = opts.seconds * 1000;
  const defs = sc.clients.filter(
    (d) => !opts.clients || d.name === sc.baseline || matches(opts.clients, d.name),
  );
  const op = sc.op;
  const contenders: Contender[] = [];
  for (const def of defs) {
    const c: Contender = { name: def.name, samples: [] };
    contenders.push(c);
    try {
      const client = await def.setup(origin, headers);
      c.client = client;
      await turn(client, async () => {
        const problem = sc.check(await op(client));
        if (problem) throw new Error(problem);
        // JIT, connection set-up and the pool's growth to `concurrency` happen here, not in round 1.
        await drive(() => op(client), ms / 2, sc.concurrency);
      });
    } catch (err) {
      c.error = String(err);
    }
  }
  for (let round = 0; round < opts.rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length]!;
      const client = c.client;
      if (!client || c.error) continue;
      try {
        await turn(client, async () => {
          // A short re-warm: the previous client's turn has left this one's connections idle.
          await drive(() => op(client), ms / 10, sc.concurrency);
          c.samples.push(await measure(() => op(client), ms, sc.concurrency));
        });
      } catch (err) {
        c.error = String(err);
      }
    }
    process.stdout.write(`  (${sc.id}) round ${round + 1}/${opts.rounds} done\n`);
  }
  await Promise.all(contenders.map((c) => c.client?.close().catch(() => {})));
  return {
    scenario: sc,
    seconds: opts.seconds,
    rounds: opts.rounds,
    rows: summarise(contenders, sc.baseline),
  };
}

/** One turn of a client, its process-wide state (a diagnostics subscriber) set up only meanwhile. */
async function turn(client: BenchClient, run: () => Promise<void>): Promise<void> {
  client.activate?.();
  try {
    await run();
  } finally {
    client.deactivate?.();
  }
}

function matches(wanted: ReadonlySet<string>, name: string): boolean {
  const lower = name.toLowerCase();
  return [...wanted].some((w) => lower === w || lower.startsWith(`${w} `));
}

function summarise(contenders: readonly Contender[], baseline: string): RowSummary[] {
  const rows = contenders.map((c) => {
    const rps = c.samples.map((s) => s.rps);
    return {
      name: c.name,
      rpsMedian: median(rps),
      rpsMin: min(rps),
      rpsMax: max(rps),
      cpuUsPerReq: median(c.samples.map((s) => s.cpuUsPerReq)),
      ...(c.error ? { error: c.error } : {}),
    };
  });
  const base = rows.find((r) => r.name === baseline && !r.error)?.rpsMedian;
  return rows.map((r) => ({ ...r, ratio: base && !r.error ? r.rpsMedian / base : null }));
}
