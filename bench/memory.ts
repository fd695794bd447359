/**
 * Memory checks for sess, against the same loopback server as the benchmarks:
 *  (1) 100,000 sequential requests through one Session: heap growth after GC (goal < 10 MB);
 *  (2) 10,000 Sessions created and closed: heap retained per Session after GC (goal < 20 KB),
 *      once with the closed Sessions dropped (what leaks) and once still referenced (what one costs).
 * Exits with code 1 when a goal is missed.
 *
 *   npx -y pnpm@10 bench:memory               (runs node with --expose-gc)
 *   npx -y pnpm@10 bench:memory -- --quick    a fifth of the counts
 */
import { Session } from 'sess';
import { startServer } from './lib/server-process.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('bench/memory.ts needs node --expose-gc (use: npx -y pnpm@10 bench:memory)');
  process.exit(2);
}
const collect = gc;

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const REQUESTS = quick ? 20_000 : 100_000;
const SESSIONS = quick ? 2_000 : 10_000;
const REQUEST_GOAL_MB = 10;
const SESSION_GOAL_KB = 20;

/** Several full collections with turns of the event loop between, so finalizers and closed sockets settle. */
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 6; i++) {
    collect();
    await new Promise((r) => setTimeout(r, 10));
  }
  return process.memoryUsage().heapUsed;
}

function verdict(ok: boolean): string {
  return ok ? 'meets the goal' : 'MISSES the goal';
}

async function requestsThroughOneSession(origin: string): Promise<boolean> {
  const s = new Session();
  // The cookie route: the jar's replace-the-same-cookie path runs on every response too.
  const url = `${origin}/cookie`;
  // Warm-up: connections, JIT code and the jar's first cookie are part of the baseline, not growth.
  for (let i = 0; i < 2_000; i++) (await s.get(url)).json();
  const before = await heapAfterGc();
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) (await s.get(url)).json();
  const seconds = (performance.now() - t0) / 1000;
  const after = await heapAfterGc();
  await s.close();
  const growthMb = (after - before) / 2 ** 20;
  const ok = growthMb < REQUEST_GOAL_MB;
  console.log(
    `(1) ${REQUESTS.toLocaleString('en-US')} sequential requests through one Session (${seconds.toFixed(1)} s): ` +
      `heap ${(before / 2 ** 20).toFixed(1)} MB -> ${(after / 2 ** 20).toFixed(1)} MB after GC, ` +
      `growth ${growthMb.toFixed(2)} MB (goal < ${REQUEST_GOAL_MB} MB): ${verdict(ok)}`,
  );
  return ok;
}

async function manySessions(): Promise<boolean> {
  // One round first, so module-level caches and lazily built code are not counted against the sessions.
  await new Session().close();
  const before = await heapAfterGc();
  const kept: Session[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const s = new Session();
    await s.close();
    kept.push(s);
  }
  const held = await heapAfterGc();
  kept.length = 0;
  const dropped = await heapAfterGc();
  const leakKb = (dropped - before) / SESSIONS / 1024;
  const footprintKb = (held - before) / SESSIONS / 1024;
  const ok = leakKb < SESSION_GOAL_KB;
  console.log(
    `(2) ${SESSIONS.toLocaleString('en-US')} Sessions created and closed: retained after GC ` +
      `${leakKb.toFixed(2)} KB per Session once dropped (goal < ${SESSION_GOAL_KB} KB): ${verdict(ok)}`,
  );
  console.log(
    `    while still referenced, a closed Session holds ${footprintKb.toFixed(1)} KB ` +
      `(${footprintKb < SESSION_GOAL_KB ? 'under' : 'over'} ${SESSION_GOAL_KB} KB too)`,
  );
  return ok;
}

const server = await startServer();
let ok = false;
try {
  console.log(`server: pid ${server.pid} at ${server.origin}${quick ? '; quick mode' : ''}`);
  const first = await requestsThroughOneSession(server.origin);
  const second = await manySessions();
  ok = first && second;
} finally {
  await server.close();
}
console.log(ok ? 'memory: every goal met' : 'memory: a goal was missed');
if (!ok) process.exitCode = 1;
