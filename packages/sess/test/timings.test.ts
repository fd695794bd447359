import { startTestServer, type TestServer } from '@sess/testkit';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('response.timings', () => {
  it('phases from the undici adapter, completed by core when the body is read', async () => {
    await using s = new Session();
    const first = await s.get(`${server.url}/bytes/1000`);
    const t = first.timings;
    expect(t).toBeDefined();
    for (const phase of ['wait', 'connect', 'firstByte', 'download', 'total'] as const) {
      expect(t?.[phase], phase).toBeGreaterThanOrEqual(0);
    }
    expect(t?.total).toBeCloseTo((t?.download ?? 0) + first.elapsed, 5);
    // The second request reuses the connection: no connect time.
    const second = await s.get(`${server.url}/bytes/10`);
    expect(second.timings?.connect).toBe(0);
  });

  it('with stream: true, download and total appear once the body is read', async () => {
    await using s = new Session();
    const res = await s.get(`${server.url}/bytes/5000`, { stream: true });
    expect(res.timings?.download).toBeUndefined();
    await res.read();
    expect(res.timings?.download).toBeGreaterThanOrEqual(0);
  });
});
