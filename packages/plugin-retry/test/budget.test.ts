import { RetryError, retry } from '@sess/plugin-retry';
import { afterEach, describe, expect, it } from 'vitest';
import { type FlakyServer, makeSession, reply, startServer } from './helpers.js';

let server: FlakyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('retry budget', () => {
  it('caps retries under a total outage: 50 requests to an always-503 server', async () => {
    server = await startServer((_hit, res) => reply(res, 503, 'down'));
    await using s = makeSession();
    const plugin = retry({
      total: 3,
      statusForcelist: [503],
      raiseOnStatus: false,
      budget: { ratio: 0.2, minPerSecond: 2 },
    });
    s.use(plugin);
    // Window 10 s: max(2/s * 10 s, 0.2 * 50 requests) = 20 retries.
    const allowed = Math.max(2 * 10, 0.2 * 50);
    let flagged = 0;
    for (let i = 0; i < 50; i++) {
      const res = await s.get(`${server.url}/${i}`);
      expect(res.statusCode).toBe(503);
      const last = res.retries?.at(-1);
      if (last?.budgetExhausted) flagged++;
    }
    console.log(
      `budget: ${server.hits.length} attempts for 50 requests (without it: 200), ${flagged} refused`,
    );
    expect(server.hits.length).toBeLessThanOrEqual(50 + allowed);
    expect(server.hits.length).toBe(70);
    // Request 7 got 2 retries and was refused the third; every request after it was refused at once.
    expect(flagged).toBe(44);
    expect(plugin.budget?.retriesInWindow()).toBe(20);
  });

  it('a refusal says so: "budget" in RetryError and a flagged last entry', async () => {
    server = await startServer((_hit, res) => reply(res, 503, 'down'));
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503], budget: { ratio: 0, minPerSecond: 0.1, window: 10_000 } }));
    // The floor is 0.1/s * 10 s = 1 retry in the window.
    const first = (await s.get(server.url).catch((e: unknown) => e)) as RetryError;
    expect(first).toBeInstanceOf(RetryError);
    expect(first.message).toMatch(/budget/);
    expect(first.retries.map((e) => [e.attempt, e.delay, e.budgetExhausted])).toEqual([
      [1, 0, undefined],
      [2, 0, true],
    ]);
    expect(server.hits).toHaveLength(2);
  });

  it('each plugin instance has its own budget', async () => {
    server = await startServer((_hit, res) => reply(res, 503, 'down'));
    const budget = { ratio: 0, minPerSecond: 0.1 };
    await using a = makeSession();
    await using b = makeSession();
    a.use(retry({ statusForcelist: [503], raiseOnStatus: false, budget }));
    b.use(retry({ statusForcelist: [503], raiseOnStatus: false, budget }));
    expect((await a.get(server.url)).retries?.at(-1)?.budgetExhausted).toBe(true);
    expect((await b.get(server.url)).retries?.[0]?.budgetExhausted).toBeUndefined();
  });
});
