import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../src/progress.js';
import { mockSession } from './support/session.js';

describe('onUploadProgress / onDownloadProgress', () => {
  it('upload: bytes as the transport pulls them, the total, and a last call at the end', async () => {
    const { s, mock } = mockSession(() => ({}));
    const seen: Progress[] = [];
    const body = new Uint8Array(300 * 1024).fill(7);
    await s.post('http://a.test/', { data: body, onUploadProgress: (p) => seen.push(p) });
    expect(mock.calls[0]?.bodyBytes?.byteLength).toBe(body.byteLength);
    expect(seen.at(-1)).toEqual({ loaded: body.byteLength, total: body.byteLength });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < seen.length; i++)
      expect((seen[i] as Progress).loaded).toBeGreaterThanOrEqual((seen[i - 1] as Progress).loaded);
  });

  it('download: at most every 50 ms while the body arrives, and once at the end with the total', async () => {
    async function* slowly() {
      for (let i = 0; i < 10; i++) {
        yield new Uint8Array(1000);
        await sleep(15);
      }
    }
    const { s } = mockSession(() => ({ headers: { 'Content-Length': '10000' }, body: slowly() }));
    const seen: Array<Progress & { at: number }> = [];
    const res = await s.get('http://a.test/', {
      onDownloadProgress: (p) => seen.push({ ...p, at: performance.now() }),
    });
    expect(res.content.byteLength).toBe(10_000);
    const last = seen.at(-1);
    expect(last).toMatchObject({ loaded: 10_000, total: 10_000 });
    // Throttled: fewer calls than chunks, spaced by >= 50 ms except the final one.
    expect(seen.length).toBeLessThan(10);
    for (let i = 1; i < seen.length - 1; i++)
      expect((seen[i]?.at ?? 0) - (seen[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(49);
  });

  it('download progress works while streaming too, and total is unknown for an encoded body', async () => {
    const { s } = mockSession(() => ({ body: 'abc' }));
    const seen: Progress[] = [];
    const res = await s.get('http://a.test/', { stream: true, onDownloadProgress: (p) => seen.push(p) });
    for await (const _ of res.iterContent()) {
      // reading
    }
    expect(seen.at(-1)).toEqual({ loaded: 3 });
  });

  it('refuses a callback that is not a function', async () => {
    const { s } = mockSession(() => ({}));
    await expect(s.get('http://a.test/', { onDownloadProgress: 1 as never })).rejects.toThrow(
      /onDownloadProgress must be a function/,
    );
  });
});
