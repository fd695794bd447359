/**
 * The per-request CPU cost of the logging plugin at level "silent", in-process (a MockAdapter, no
 * network), alternating rounds: the noise-free complement of the harness rows. Diagnostics channels
 * with no subscriber cost four `hasSubscribers` reads, inside the plain row.
 * Run: npx -y pnpm@10 bench:plugins
 */
import { Session } from '@sess/core';
import { logging } from '@sess/plugin-logging';
import { MockAdapter } from '@sess/testkit';

function make(kind: string): Session {
  const s = new Session();
  s.trustEnv = false;
  s.mount('http://', new MockAdapter(() => ({ body: 'ok' })));
  if (kind === 'silent') s.use(logging({ level: 'silent' }));
  return s;
}
const kinds = ['plain', 'silent'];
const sessions = Object.fromEntries(kinds.map((k) => [k, make(k)]));
const N = 20000;
const res: Record<string, number[]> = { plain: [], silent: [] };
for (const k of kinds) for (let i = 0; i < 3000; i++) await sessions[k]!.get('http://a.test/x');
for (let round = 0; round < 7; round++) {
  for (const k of round % 2 ? [...kinds].reverse() : kinds) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await sessions[k]!.get('http://a.test/x');
    const c = process.cpuUsage(c0);
    res[k]!.push((c.user + c.system) / N);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const p = med(res.plain!),
  s = med(res.silent!);
console.log(
  `plain ${p.toFixed(2)} us/req, logging(silent) ${s.toFixed(2)} us/req: ${(((s - p) / p) * 100).toFixed(1)}%`,
);
