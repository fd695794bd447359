/**
 * The benchmark harness: sess against raw undici and the common Node
 * clients, over loopback HTTP/1.1 (and HTTP/2 over TLS, against raw
 * node:http2) to servers in their own process. Writes bench/RESULTS.md and
 * bench/results.svg.
 *
 *   npx -y pnpm@10 bench               the full run (about 6 minutes)
 *   npx -y pnpm@10 bench -- --quick    a try-out in under a minute
 *   npx -y pnpm@10 bench -- --help     the other options
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ALL_CLIENTS, BASELINE, H2_CLIENTS } from './clients/index.js';
import { type ConnectionCount, countConnections } from './lib/connections.js';
import { checkHeaders, http2Headers, sessHeaders } from './lib/headers.js';
import { parseOptions, USAGE } from './lib/options.js';
import {
  connectionsLine,
  machineLine,
  type Report,
  ratioSvg,
  resultsMarkdown,
  scenarioHeading,
  scenarioTable,
  startupTable,
} from './lib/report.js';
import type { ScenarioResult } from './lib/runner.js';
import { runScenario } from './lib/runner.js';
import { startServer } from './lib/server-process.js';
import { runStartup, type StartupResult } from './lib/startup.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

const opts = parseOptions(process.argv.slice(2), process.env);
if (opts === 'help') {
  console.log(USAGE);
  process.exit(0);
}

const t0 = performance.now();
const loadBefore = loadavg()[0]!.toFixed(2);
const wanted = (id: string): boolean => !opts.only || opts.only.has(id);
const scenarios = SCENARIOS.filter((s) => wanted(s.id));
const server = await startServer();
try {
  console.log(
    `${machineLine()}; load average ${loadBefore}\nserver: pid ${server.pid} at ${server.origin} and ${server.h2Origin} (h2); ${opts.quick ? 'quick' : 'full'} mode`,
  );
  const headers = await sessHeaders();
  const h2Headers = http2Headers(headers);
  const target = (sc: Scenario) =>
    sc.protocol === 'h2'
      ? { origin: server.h2Origin, headers: h2Headers }
      : { origin: server.origin, headers };
  const headerDiffs = [
    ...(scenarios.some((s) => s.protocol === 'http/1.1') || wanted('g')
      ? await checkHeaders(ALL_CLIENTS, server.origin, headers)
      : []),
    ...(scenarios.some((s) => s.protocol === 'h2')
      ? await checkHeaders(H2_CLIENTS, server.h2Origin, h2Headers)
      : []),
  ];
  for (const d of headerDiffs) {
    console.log(
      `headers of ${d.client}: ${d.error ?? `missing ${d.missing.join(', ') || '-'}; extra ${d.extra.join(', ') || '-'}`}`,
    );
  }

  const results: ScenarioResult[] = [];
  const connections: Record<string, ConnectionCount[]> = {};
  for (const sc of scenarios) {
    console.log(`\n(${sc.id}) ${sc.title}`);
    const started = performance.now();
    const { origin, headers: sent } = target(sc);
    if (sc.protocol === 'h2') {
      // Whether each client multiplexes its streams over one connection, as the baseline does.
      const counts = await countConnections(sc.clients, origin, sent, sc.concurrency, server.h2Sessions);
      connections[sc.id] = counts;
      console.log(`  ${connectionsLine(counts, sc.concurrency)}`);
    }
    const r = await runScenario(sc, origin, sent, opts);
    const took = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`\n${scenarioHeading(r)} (took ${took} s)\n\n${scenarioTable(r)}`);
    results.push(r);
  }

  let startup: StartupResult | null = null;
  if (wanted('g')) {
    console.log('\n(g) start-up: import + first request in fresh processes');
    startup = await runStartup(server.origin, headers, opts.quick ? 3 : 5);
    console.log(`\n${startupTable(startup)}${startup.notes.map((n) => `\n\n${n}`).join('')}`);
  }

  if (opts.write) {
    const report: Report = {
      date: new Date(),
      opts,
      results,
      startup,
      headerDiffs,
      sessHeaders: headers,
      connections,
      loadBefore,
    };
    const md = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
    await writeFile(md, resultsMarkdown(report));
    console.log(`\nwrote ${md}`);
    const svg = ratioSvg(results);
    if (svg) {
      const file = fileURLToPath(new URL('./results.svg', import.meta.url));
      await writeFile(file, svg);
      console.log(`wrote ${file}\n\nREADME snippet:\n`);
      console.log(`[![sess req/s relative to raw ${BASELINE}](bench/results.svg)](bench/RESULTS.md)`);
    }
  }
} finally {
  await server.close();
}
console.log(`\ndone in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
