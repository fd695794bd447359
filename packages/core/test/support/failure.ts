/** Runs `start` and times it from the call, so the request's own set-up is inside the measure. */
export async function failure(start: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const t0 = performance.now();
  try {
    await start();
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
  throw new Error('expected a rejection');
}
