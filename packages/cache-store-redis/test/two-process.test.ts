import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cache } from '@sess/plugin-cache';
import { type RedisServer, startRedisServer as startRedis } from '@sess/testkit';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCacheStore } from '../src/index.js';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let redis: RedisServer;
let origin: Server;
let base: string;
let hits = 0;

beforeAll(async () => {
  redis = await startRedis();
  origin = createServer((_req, res) => {
    hits++;
    res.setHeader('Cache-Control', 'max-age=300');
    res.setHeader('Content-Type', 'application/octet-stream');
    // Binary, with bytes that are not UTF-8: the store must keep them exactly.
    res.end(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]));
  });
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  base = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (origin?.listening) {
    origin.closeAllConnections();
    origin.close();
    await once(origin, 'close');
  }
  await redis?.stop();
});

async function otherProcess(prefix: string, url: string) {
  const { stdout } = await run(process.execPath, ['--conditions=@sess/source', '--import', 'tsx', worker], {
    cwd: repoRoot,
    env: { ...process.env, REDIS_URL: redis.url, PREFIX: prefix, URL: url },
  });
  return JSON.parse(stdout) as { status: number; hex: string; fromCache: boolean; age: string | null };
}

describe('two processes sharing the Redis store', () => {
  it("one process's cached response is served to the other: the origin is hit once", async () => {
    const url = `${base}/shared`;
    const store = new RedisCacheStore({ url: redis.url, prefix: 'fleet' });
    const s = new Session();
    s.use(cache({ store }));
    try {
      const first = await s.get(url);
      expect(first.fromCache).toBe(false);
      expect([...first.content]).toEqual([0xff, 0xfe, 0x00, 0x80, 0x41]);
    } finally {
      await s.close();
      await store.close();
    }
    expect(hits).toBe(1);

    const other = await otherProcess('fleet', url);
    expect(other.status).toBe(200);
    expect(other.fromCache).toBe(true);
    expect(other.age).not.toBeNull();
    expect(other.hex).toBe('fffe008041');
    expect(hits).toBe(1);
  });
});
