/** Command-line flags and their BENCH_* environment equivalents (flags win). */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Fewer rounds and requests: a try-out in under a minute, numbers only rough. */
  readonly quick: boolean;
  readonly rounds: number;
  /** How long each client runs in each round, in seconds (1, or 0.2 in quick mode). */
  readonly seconds: number;
  /** Scenario ids to run (`a`..`h`); null for all. */
  readonly only: ReadonlySet<string> | null;
  /** Client names to run, lower case; null for all. Each scenario's baseline runs anyway: the ratios need it. */
  readonly clients: ReadonlySet<string> | null;
  /** Write RESULTS.md and results.svg (off with --no-write). */
  readonly write: boolean;
}

export const USAGE = `Usage: npx -y pnpm@10 bench [-- options]
  --quick            3 rounds of 0.2 s per client, 3 start-up runs (env BENCH_QUICK=1)
  --rounds N         rounds per scenario, default 5 (env BENCH_ROUNDS)
  --seconds X        seconds each client runs per round, default 1 (env BENCH_SECONDS)
  --only a,b,h       run only these scenarios, a-h (env BENCH_ONLY)
  --clients sess,got run only these clients, plus each scenario's baseline (env BENCH_CLIENTS)
  --no-write         print the tables, leave RESULTS.md and results.svg alone`;

function list(value: string | undefined): ReadonlySet<string> | null {
  if (!value) return null;
  return new Set(
    value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return n;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  // pnpm may pass the `--` of `pnpm bench -- --quick` through; it separates nothing here.
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      quick: { type: 'boolean' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      only: { type: 'string' },
      clients: { type: 'string' },
      'no-write': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick ?? (env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true');
  return {
    quick,
    rounds: Math.round(positive('rounds', values.rounds ?? env.BENCH_ROUNDS, quick ? 3 : 5)),
    seconds: positive('seconds', values.seconds ?? env.BENCH_SECONDS, quick ? 0.2 : 1),
    only: list(values.only ?? env.BENCH_ONLY),
    clients: list(values.clients ?? env.BENCH_CLIENTS),
    write: !values['no-write'],
  };
}
