/** Markdown tables for the console and RESULTS.md, and the ratio chart's data. */
import { cpus, totalmem } from 'node:os';
import { ALL_CLIENTS, BASELINE, H2_BASELINE } from '../clients/index.js';
import type { ConnectionCount } from './connections.js';
import type { HeaderDiff } from './headers.js';
import { markdownTable } from './markdown.js';
import type { BenchOptions } from './options.js';
import type { ScenarioResult } from './runner.js';
import type { StartupResult } from './startup.js';
import { barChart } from './svg.js';

export interface Report {
  readonly date: Date;
  readonly opts: BenchOptions;
  readonly results: readonly ScenarioResult[];
  readonly startup: StartupResult | null;
  /** What the /headers check found different, HTTP/1.1 and HTTP/2 clients alike. */
  readonly headerDiffs: readonly HeaderDiff[];
  readonly sessHeaders: Readonly<Record<string, string>>;
  /** The HTTP/2 connections each client opened, by scenario id, for the HTTP/2 scenarios that ran. */
  readonly connections: Readonly<Record<string, readonly ConnectionCount[]>>;
  /** `os.loadavg()`'s 1-minute figure when the run started: other work on the machine skews every row. */
  readonly loadBefore: string;
}

const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const ratio = (r: number | null): string => (r === null ? '' : `${r.toFixed(2)}×`);

export function machineLine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return `${list.length} × ${model}, ${gib} GiB, ${process.platform} ${process.arch}, Node ${process.version}`;
}

export function scenarioHeading(r: ScenarioResult): string {
  const s = r.scenario;
  return `(${s.id}) ${s.title}: ${r.rounds} round${r.rounds === 1 ? '' : 's'} of ${r.seconds} s per client`;
}

export function scenarioTable(r: ScenarioResult): string {
  const rows = r.rows.map((row) =>
    row.error
      ? [row.name, `failed: ${row.error.replace(/\|/g, '\\|').slice(0, 160)}`, '', '', '']
      : [
          row.name,
          int(row.rpsMedian),
          `${int(row.rpsMin)}–${int(row.rpsMax)}`,
          row.cpuUsPerReq.toFixed(1),
          ratio(row.ratio),
        ],
  );
  return markdownTable(
    ['client', 'req/s (median)', 'min–max req/s', 'client CPU µs/req', `vs ${r.scenario.baseline}`],
    ['left', 'right', 'right', 'right', 'right'],
    rows,
  );
}

/** One line: how many HTTP/2 connections each client opened for the scenario's load. */
export function connectionsLine(counts: readonly ConnectionCount[], concurrency: number): string {
  const parts = counts.map((c) =>
    c.connections === null
      ? `${c.client} failed (${(c.error ?? '').split('\n')[0]})`
      : `${c.client} ${c.connections}`,
  );
  return `HTTP/2 connections opened for ${concurrency} requests in flight (counted by the server): ${parts.join(', ')}.`;
}

export function startupTable(s: StartupResult): string {
  const rows = s.rows.map((r) => [
    r.name,
    ms(r.wallMs),
    `${ms(r.wallMinMs)}–${ms(r.wallMaxMs)}`,
    ms(r.bootMs),
    ms(r.importMs),
    ms(r.requestMs),
    ratio(r.ratio),
  ]);
  return markdownTable(
    [
      'process',
      'wall ms (median)',
      'min–max',
      'node boot ms',
      'import ms',
      'first request ms',
      'import + request vs undici',
    ],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows,
  );
}

/** The chart of (a) and (b), the libraries only (not (a)'s sess variants); null when neither ran. */
export function ratioSvg(results: readonly ScenarioResult[]): string | null {
  const picked = ['a', 'b']
    .map((id) => results.find((r) => r.scenario.id === id))
    .filter((r): r is ScenarioResult => r !== undefined);
  if (picked.length === 0) return null;
  const ran = new Set(picked.flatMap((r) => r.rows.map((row) => row.name)));
  const names = ALL_CLIENTS.map((d) => d.name).filter((n) => ran.has(n));
  return barChart({
    title: `req/s relative to raw ${BASELINE} (GET small JSON, loopback HTTP/1.1)`,
    subtitle: `median of rounds; higher is faster; ${machineLine()}`,
    series: picked.map((r) => `(${r.scenario.id}) ${r.scenario.concurrency} in flight`),
    groups: names.map((name) => ({
      label: name,
      values: picked.map((r) => r.rows.find((row) => row.name === name)?.ratio ?? null),
    })),
    reference: { value: 1, label: `${BASELINE} = 1` },
  });
}

function headerNotes(report: Report): string[] {
  const sent = Object.entries(report.sessHeaders)
    .map(([k, v]) => `\`${k}: ${v}\``)
    .join(', ');
  const lines = [`- Every client is given sess's request headers: ${sent}.`];
  if (ranHttp2(report))
    lines.push(
      '  Over HTTP/2, in (h), the same less `Connection`, which HTTP/2 forbids (sess drops it there too).',
    );
  if (report.headerDiffs.length === 0) {
    lines.push(
      '  The /headers echo check found every client sending exactly these (plus `host` or `:authority`).',
    );
  } else {
    lines.push(
      '  What the /headers echo check found different (the client library adds or drops these itself):',
    );
    for (const d of report.headerDiffs) {
      const parts = [
        d.error ? `failed: ${d.error}` : '',
        d.missing.length ? `missing or different: ${d.missing.map((h) => `\`${h}\``).join(', ')}` : '',
        d.extra.length ? `extra: ${d.extra.map((h) => `\`${h}\``).join(', ')}` : '',
      ].filter(Boolean);
      lines.push(`  - ${d.client}: ${parts.join('; ')}`);
    }
  }
  return lines;
}

const ranHttp2 = (report: Report): boolean => report.results.some((r) => r.scenario.protocol === 'h2');

export function resultsMarkdown(report: Report): string {
  const { opts } = report;
  const rounds = `${opts.rounds} round${opts.rounds === 1 ? '' : 's'} of ${opts.seconds} s per client`;
  const standard = opts.rounds === 5 && opts.seconds === 1 && !opts.only && !opts.clients;
  const mode = opts.quick
    ? `**quick mode** (${rounds}: rough numbers)`
    : standard
      ? `full mode (${rounds})`
      : `a custom run (${rounds}${opts.only ? `; scenarios ${[...opts.only].join(', ')}` : ''}${opts.clients ? `; clients ${[...opts.clients].join(', ')}` : ''})`;
  const out = [
    '# sess benchmarks',
    '',
    `Written by \`npx -y pnpm@10 bench\` on ${report.date.toISOString().slice(0, 10)}, ${mode}.`,
    `Machine: ${machineLine()}; load average ${report.loadBefore} before the run.`,
    '',
    '![req/s relative to raw undici Pool](results.svg)',
    '',
    '## How',
    '',
    '- A node:http server (keep-alive) runs in its own process on 127.0.0.1; each client runs in a process of its own',
    '  (a fresh V8, as in an application that uses one HTTP client), whose CPU time is counted (`process.cpuUsage()`',
    '  over the round, divided by the requests). One client process works at a time; the others wait, idle.',
    "  Both share the machine's cores, so req/s is a loopback figure: compare rows, not machines.",
    ...(ranHttp2(report)
      ? [
          '- For the HTTP/2 scenario (h), the server process also runs a node:http2 TLS server (the test certificate of',
          '  @sess/adapter-http2, `allowHTTP1: false`): every client trusts the test CA and negotiates h2 by ALPN.',
        ]
      : []),
    '- Every client is set up and warmed first; then each round runs every client in turn (the starting client',
    '  rotates), after a short re-warm, for the same time. No GC is forced: each process holds only its own garbage.',
    `- "vs ${BASELINE}" is the client's median req/s over raw undici \`Pool.request\`'s in the same scenario.`,
    ...(ranHttp2(report)
      ? [
          `  In (h), "vs ${H2_BASELINE}" is over raw \`node:http2\`'s instead: one \`ClientHttp2Session\`,`,
          '  `session.request()` per request.',
        ]
      : []),
    '- Every client reads the whole body and parses it (JSON), or takes it whole as bytes (1 MiB).',
    ...headerNotes(report),
    '- Connections: every client opens as many as there are requests in flight (up to 50 in (b)); sess caps them',
    "  at 100 per origin (its default, httpx's `max_connections`).",
    '',
  ];
  for (const r of report.results) {
    out.push(`## ${scenarioHeading(r)}`, '', scenarioTable(r), '');
    for (const note of r.scenario.notes ?? []) out.push(note, '');
    const counts = report.connections[r.scenario.id];
    if (counts) out.push(connectionsLine(counts, r.scenario.concurrency), '');
  }
  if (report.startup) {
    out.push(
      `## (g) Start-up: import plus first request in a fresh process, median of ${report.startup.reps}`,
      '',
      startupTable(report.startup),
      '',
      '"node boot" is `performance.now()` when the script starts (with tsx, the loader\'s set-up is in it);',
      '"wall" is spawn to exit as the parent sees it.',
      ...report.startup.notes.flatMap((n) => ['', n]),
      '',
    );
  }
  return out.join('\n');
}
