/** Drives a client for a fixed time and measures its rate and this process's CPU time. */

export interface Sample {
  readonly requests: number;
  readonly ms: number;
  readonly rps: number;
  /** User + system CPU of this (the client's) process per request, in microseconds. */
  readonly cpuUsPerReq: number;
}

/**
 * Keeps `concurrency` calls of `op` in flight (each worker starts its next
 * call when its last one settles) until `ms` have passed, then waits for the
 * calls in flight. Resolves to the number of calls completed. A fixed time
 * rather than a fixed count keeps a full run's length the same on any machine.
 */
export async function drive(op: () => Promise<unknown>, ms: number, concurrency: number): Promise<number> {
  const deadline = performance.now() + ms;
  let completed = 0;
  const worker = async (): Promise<void> => {
    do {
      await op();
      completed++;
    } while (performance.now() < deadline);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return completed;
}

export async function measure(op: () => Promise<unknown>, ms: number, concurrency: number): Promise<Sample> {
  // No forced GC first: each client runs in its own process (client-child.ts), so no other
  // client's garbage is left to collect; and a full GC shrinks V8's young generation, which then
  // charges allocation-heavy clients for re-growing it (sess measured 15-60% slower right after one).
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const requests = await drive(op, ms, concurrency);
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    requests,
    ms: elapsed,
    rps: (requests / elapsed) * 1000,
    cpuUsPerReq: (cpu.user + cpu.system) / requests,
  };
}
