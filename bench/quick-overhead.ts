/**
 * A first look at the hot path: N sequential GETs to a keep-alive node:http
 * server on loopback, through raw undici (pool.request) and through sess.
 * The full harness (got, axios, node:http2, ratios) is bench/'s next step.
 * Run: npx -y pnpm@10 bench:overhead [requests]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'sess';
import { Agent, request } from 'undici';

const N = Number(process.argv[2] ?? 5000);
const server = createServer((_req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end('{"ok":true}');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/get`;

async function time(label: string, fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 500; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  const ms = performance.now() - t0;
  const rps = (N / ms) * 1000;
  console.log(
    `${label.padEnd(12)} ${rps.toFixed(0).padStart(7)} req/s  ${((ms / N) * 1000).toFixed(1)} µs/req`,
  );
  return rps;
}

const s = new Session();
// The same request headers on both sides, so the (in-process) server does the same work for each.
const headers = Object.fromEntries(s.headers.entries());
const agent = new Agent();
const raw = await time('undici', async () => {
  const r = await request(url, { dispatcher: agent, headers });
  await r.body.json();
});
const viaSess = await time('sess', async () => {
  (await s.get(url)).json();
});
console.log(`sess / undici: ${(viaSess / raw).toFixed(2)}`);
await s.close();
await agent.close();
server.close();
