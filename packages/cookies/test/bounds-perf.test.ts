import { describe, expect, it, vi } from 'vitest';
import * as domain from '../src/domain.js';

vi.mock('../src/domain.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/domain.js')>();
  return { ...real, siteOf: vi.fn(real.siteOf) };
});

const { Cookie, resolveLimits, selectEvictions } = await import('../src/index.js');

function cookies(count: number, domains: number) {
  return Array.from({ length: count }, (_, i) => {
    const c = new Cookie({ key: `c${i}`, value: '1', domain: `h${i % domains}.example${i % domains}.com` });
    c.creationIndex = i;
    return c;
  });
}

describe('selectEvictions cost', () => {
  it('does not look up a registrable domain when under both limits', () => {
    const siteOf = vi.mocked(domain.siteOf);
    siteOf.mockClear();
    expect(selectEvictions(cookies(100, 10), resolveLimits(), Date.now())).toEqual([]);
    expect(siteOf).not.toHaveBeenCalled();
  });

  it('looks up each domain once, not per cookie nor per pass', () => {
    const siteOf = vi.mocked(domain.siteOf);
    siteOf.mockClear();
    const all = cookies(3000, 20);
    const limits = resolveLimits({ maxCookiesPerDomain: 100 });
    expect(selectEvictions(all, limits, Date.now())).toHaveLength(3000 - 20 * 90);
    expect(siteOf).toHaveBeenCalledTimes(20);
    expect(selectEvictions(all, limits, Date.now())).toHaveLength(3000 - 20 * 90);
    expect(siteOf).toHaveBeenCalledTimes(20);
  });
});
