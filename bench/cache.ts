/**
 * What a cache hit costs next to an uncached request: N sequential GETs to a
 * keep-alive node:http server on loopback, through a plain sess Session and
 * through one with `cache()` (memory store, every request a fresh hit), and,
 * when redis-server is installed (or REDIS_URL is set), through the Redis
 * store's hit path. Goal: a memory hit costs < 20% of an uncached request.
 * Run: npx -y pnpm@10 bench:cache [requests]
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisCacheStore } from '@sess/cache-store-redis';
import { cache } from '@sess/plugin-cache';
import { type RedisServer, startRedisServer as startRedis } from '@sess/testkit';
import { Session } from 'sess';

const N = Number(process.argv[2] ?? 5000);
const server = createServer((_req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'max-age=3600');
  res.end('{"ok":true,"items":[1,2,3,4,5,6,7,8,9,10]}');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/get`;

async function time(label: string, s: Session): Promise<number> {
  const once = async () => {
    (await s.get(url)).json();
  };
  for (let i = 0; i < 500; i++) await once();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await once();
  const us = ((performance.now() - t0) / N) * 1000;
  console.log(
    `${label.padEnd(22)} ${us.toFixed(1).padStart(8)} µs/req  ${(1e6 / us).toFixed(0).padStart(7)} req/s`,
  );
  return us;
}

const plain = new Session();
const uncached = await time('uncached (network)', plain);
await plain.close();

const memory = new Session();
memory.use(cache());
const hit = await time('cache hit (memory)', memory);
await memory.close();
console.log(`memory hit / uncached: ${((hit / uncached) * 100).toFixed(1)}% (goal < 20%)`);

let redis: RedisServer | undefined;
let redisUrl = process.env.REDIS_URL;
if (!redisUrl && spawnSync('redis-server', ['--version']).status === 0) {
  redis = await startRedis();
  redisUrl = redis.url;
}
if (redisUrl) {
  const store = new RedisCacheStore({ url: redisUrl, prefix: `bench:${process.pid}` });
  const viaRedis = new Session();
  viaRedis.use(cache({ store }));
  const redisHit = await time('cache hit (redis)', viaRedis);
  console.log(`redis hit / uncached: ${((redisHit / uncached) * 100).toFixed(1)}%`);
  await viaRedis.close();
  await store.close();
  await redis?.stop();
} else {
  console.log('cache hit (redis): skipped, no redis-server (apt-get install redis-server) and no REDIS_URL');
}
server.close();
