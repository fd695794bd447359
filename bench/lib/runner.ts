/**
 * Runs one scenario: sets every client up, each in its own process, and
 * warms it, then in each round runs every client in turn (starting one
 * further along each round, so no client always follows the same neighbour)
 * for the same time, one process working at a time.
 */
import type { Scenario } from '../scenarios.js';
import type { Sample } from './measure.js';
import type { BenchOptions } from './options.js';
import { RemoteClient } from './remote-client.js';
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
  client?: RemoteClient;
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
  const contenders: Contender[] = [];
  try {
    for (const def of defs) {
      const c: Contender = { name: def.name, samples: [] };
      contenders.push(c);
      try {
        // Each client in its own process, set up and warmed there (see client-child.ts).
        c.client = await RemoteClient.start(sc.id, def.name, origin, headers, ms);
      } catch (err) {
        c.error = String(err);
      }
    }
    for (let round = 0; round < opts.rounds; round++) {
      for (let i = 0; i < contenders.length; i++) {
        const c = contenders[(i + round) % contenders.length]!;
        if (!c.client || c.error) continue;
        try {
          // Only this client's process works meanwhile: the others wait for their turn, idle.
          c.samples.push(await c.client.round(ms));
        } catch (err) {
          c.error = String(err);
        }
      }
      process.stdout.write(`  (${sc.id}) round ${round + 1}/${opts.rounds} done\n`);
    }
  } finally {
    await Promise.all(contenders.map((c) => c.client?.close().catch(() => {})));
  }
  return {
    scenario: sc,
    seconds: opts.seconds,
    rounds: opts.rounds,
    rows: summarise(contenders, sc.baseline),
  };
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
