import type { Plugin, PreparedRequest, SendFn, SendOptions } from '@sess/core';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cache } from '../src/index.js';
import { type Origin, reply, startOrigin, TestClock } from './helpers.js';

const clock = new TestClock();
let origin: Origin;
beforeAll(async () => {
  origin = await startOrigin(clock);
});
afterAll(async () => {
  await origin.close();
});

/** A plugin that counts the hops it sees (what logging or retry would see). */
function counter(): Plugin & { seen: number } {
  const p = {
    name: 'counter',
    seen: 0,
    send(request: PreparedRequest, options: SendOptions, next: SendFn) {
      p.seen++;
      return next(request, options);
    },
  };
  return p;
}

describe('plugin order', () => {
  it('cache first (outermost): the plugins after it never see a hit', async () => {
    const url = origin.route('order-first', reply({ 'Cache-Control': 'max-age=60' }));
    const inner = counter();
    const s = new Session();
    s.use(cache({ now: clock.now }));
    s.use(inner);
    await s.get(url);
    await s.get(url);
    await s.get(url);
    expect(inner.seen).toBe(1);
    await s.close();
  });

  it('cache after another plugin: that plugin sees every request, hits included', async () => {
    const url = origin.route('order-second', reply({ 'Cache-Control': 'max-age=60' }));
    const outer = counter();
    const s = new Session();
    s.use(outer);
    s.use(cache({ now: clock.now }));
    await s.get(url);
    await s.get(url);
    expect(outer.seen).toBe(2);
    expect(origin.hits(url)).toBe(1);
    await s.close();
  });
});
