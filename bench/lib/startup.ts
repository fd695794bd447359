/**
 * Scenario (g): a fresh `node` process that imports a client and makes one
 * request, for sess and undici. The built sess (dist/) is what users load;
 * the source through tsx is shown beside undici through the same loader, as
 * the build may be missing and the loader's cost is then the same on both sides.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { max, median, min } from './stats.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../startup/child.mjs', import.meta.url));
const SESS_DIST = fileURLToPath(new URL('../../packages/sess/dist/index.js', import.meta.url));
const SESS_SRC = fileURLToPath(new URL('../../packages/sess/src/index.ts', import.meta.url));

interface Variant {
  readonly name: string;
  readonly kind: 'sess' | 'undici';
  readonly execArgv: readonly string[];
  readonly specifier: string;
  /** Compared with this variant's numbers: the other client on the same loader. */
  readonly against?: string;
}

export interface StartupRow {
  readonly name: string;
  /** Medians in milliseconds. */
  readonly bootMs: number;
  readonly importMs: number;
  readonly requestMs: number;
  /** From spawn to exit, as seen by the parent. */
  readonly wallMs: number;
  readonly wallMinMs: number;
  readonly wallMaxMs: number;
  /** (import + first request) over the `against` variant's; null where there is none. */
  readonly ratio: number | null;
}

export interface StartupResult {
  readonly reps: number;
  readonly rows: readonly StartupRow[];
  /** Variants left out, and why. */
  readonly notes: readonly string[];
}

interface Timing {
  boot: number;
  importMs: number;
  requestMs: number;
  totalMs: number;
  wallMs: number;
}

async function once(v: Variant, url: string, headers: string): Promise<Timing> {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, [...v.execArgv, CHILD, v.kind, v.specifier, url, headers]);
  const wallMs = performance.now() - t0;
  return { ...(JSON.parse(stdout) as Omit<Timing, 'wallMs'>), wallMs };
}

export async function runStartup(
  origin: string,
  headers: Readonly<Record<string, string>>,
  reps: number,
): Promise<StartupResult> {
  const tsx = ['--conditions=@sess/source', '--import', import.meta.resolve('tsx')];
  const built = existsSync(SESS_DIST);
  const variants: Variant[] = [
    { name: 'undici', kind: 'undici', execArgv: [], specifier: 'undici' },
    ...(built
      ? [
          {
            name: 'sess (dist)',
            kind: 'sess',
            execArgv: [],
            specifier: pathToFileURL(SESS_DIST).href,
            against: 'undici',
          } as const,
        ]
      : []),
    { name: 'undici (tsx loader)', kind: 'undici', execArgv: tsx, specifier: 'undici' },
    {
      name: 'sess (src, tsx loader)',
      kind: 'sess',
      execArgv: tsx,
      specifier: pathToFileURL(SESS_SRC).href,
      against: 'undici (tsx loader)',
    },
  ];
  const url = `${origin}/json`;
  const headerJson = JSON.stringify(headers);
  const notes: string[] = built
    ? []
    : ['packages/sess/dist is not built (`npx -y pnpm@10 build`): no `sess (dist)` row.'];
  // An unmeasured first run of each variant checks that it works (a stale or partial build may
  // not) and fills the caches: the OS's, and tsx's transforms, a cold one of which costs seconds.
  const working: Variant[] = [];
  for (const v of variants) {
    try {
      await once(v, url, headerJson);
      working.push(v);
    } catch (err) {
      notes.push(`${v.name} failed, left out: ${String(err).split('\n')[0]}`);
    }
  }
  const timings = new Map<string, Timing[]>(working.map((v) => [v.name, []]));
  // Interleaved, like the throughput rounds: a slow moment of the machine hits every variant.
  for (let i = 0; i < reps; i++) {
    for (const v of working) timings.get(v.name)!.push(await once(v, url, headerJson));
  }
  const rows = working.map((v) => summarise(v, timings.get(v.name)!));
  const byName = new Map(rows.map((r) => [r.name, r]));
  return {
    reps,
    rows: working.map((v, i) => {
      const row = rows[i]!;
      const other = v.against ? byName.get(v.against) : undefined;
      const ratio = other ? (row.importMs + row.requestMs) / (other.importMs + other.requestMs) : null;
      return { ...row, ratio };
    }),
    notes,
  };
}

function summarise(v: Variant, t: readonly Timing[]): Omit<StartupRow, 'ratio'> {
  const wall = t.map((x) => x.wallMs);
  return {
    name: v.name,
    bootMs: median(t.map((x) => x.boot)),
    importMs: median(t.map((x) => x.importMs)),
    requestMs: median(t.map((x) => x.requestMs)),
    wallMs: median(wall),
    wallMinMs: min(wall),
    wallMaxMs: max(wall),
  };
}
