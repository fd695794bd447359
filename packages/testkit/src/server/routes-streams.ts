import type { ServerResponse } from 'node:http';
import type { Context } from './context.js';
import { echo, echoHeaders } from './echo.js';
import { type Route, route } from './router.js';
import { parseSeed, randomBytesFor } from './seeded-random.js';

const octets = { 'Content-Type': 'application/octet-stream' };
const MAX_DELAY_S = 10;
const MAX_BYTES = 100 * 1024;
const MAX_STREAM_BYTES = 1024 * 1024 * 1024;
const MAX_DRIP_BYTES = 10 * 1024 * 1024;
/** A drip of many bytes is sent in at most this many writes, so it costs timers per write, not per byte. */
const MAX_DRIP_WRITES = 1000;

/** A non-negative integer from the path or query, capped; undefined when malformed. */
function int(text: string | null | undefined, max: number): number | undefined {
  if (text === null || text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
  return Math.min(Number(text), max);
}

/** Seconds as a non-negative float, capped; `fallback` when absent, undefined when malformed. */
function seconds(text: string | null | undefined, fallback: number, max: number): number | undefined {
  if (text === null || text === undefined || text === '') return fallback;
  const s = Number(text);
  return Number.isFinite(s) && s >= 0 ? Math.min(s, max) : undefined;
}

async function delayed(ctx: Context, [text]: readonly string[]): Promise<void> {
  const s = seconds(text, 0, MAX_DELAY_S);
  if (s === undefined) {
    ctx.fail(400, 'the delay must be a number of seconds');
    return;
  }
  await ctx.sleep(s * 1000);
  ctx.json(await echo(ctx, ['args', 'data', 'files', 'form', 'headers', 'origin', 'url']));
}

function streamJson(ctx: Context, [text]: readonly string[]): void {
  const n = int(text, 100);
  if (n === undefined) {
    ctx.fail(400, 'the line count must be an integer');
    return;
  }
  // No Content-Length: node:http sends each write as its own chunk.
  ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  const base = {
    url: ctx.url.href,
    args: ctx.args,
    headers: echoHeaders(ctx.req.rawHeaders),
    origin: ctx.origin,
  };
  for (let id = 0; id < n; id++) ctx.res.write(`${JSON.stringify({ ...base, id })}\n`);
  ctx.res.end();
}

function bytes(ctx: Context, [text]: readonly string[]): void {
  const n = int(text, MAX_BYTES);
  if (n === undefined) ctx.fail(400, 'the byte count must be an integer');
  else ctx.send(200, randomBytesFor(n, parseSeed(ctx.url.searchParams.get('seed') ?? undefined)), octets);
}

/**
 * Unlike httpbin (100 KiB), up to 1 GiB: large downloads are what streaming
 * tests need. Chunks are made and written one at a time, honouring
 * backpressure, so the server's memory stays at one chunk.
 */
async function streamBytes(ctx: Context, [text]: readonly string[]): Promise<void> {
  const n = int(text, MAX_STREAM_BYTES);
  const chunk = Math.max(1, int(ctx.url.searchParams.get('chunk_size'), MAX_BYTES) ?? 10 * 1024);
  if (n === undefined) {
    ctx.fail(400, 'the byte count must be an integer');
    return;
  }
  const seed = parseSeed(ctx.url.searchParams.get('seed') ?? undefined);
  // A seed must give the same bytes as /bytes, so seeded bodies are made whole up front.
  const seeded = seed === undefined ? undefined : randomBytesFor(n, seed);
  ctx.res.writeHead(200, octets);
  for (let i = 0; i < n; i += chunk) {
    if (ctx.res.destroyed) return;
    const size = Math.min(chunk, n - i);
    const part = seeded ? seeded.subarray(i, i + size) : randomBytesFor(size, undefined);
    if (!ctx.res.write(part)) await drained(ctx.res);
  }
  ctx.res.end();
}

/**
 * httpbin's /drip: waits `delay` seconds, sends the headers, then `numbytes`
 * asterisks spread evenly over `duration` seconds (a pause after every write,
 * the last included), for read-timeout and progress tests.
 */
async function drip(ctx: Context): Promise<void> {
  const q = ctx.url.searchParams;
  const numbytes = int(q.get('numbytes'), MAX_DRIP_BYTES) ?? (q.has('numbytes') ? undefined : 10);
  const duration = seconds(q.get('duration'), 2, MAX_DELAY_S);
  const wait = seconds(q.get('delay'), 0, MAX_DELAY_S);
  const code = int(q.get('code'), 599) ?? (q.has('code') ? undefined : 200);
  if (
    numbytes === undefined ||
    duration === undefined ||
    wait === undefined ||
    code === undefined ||
    code < 200
  ) {
    ctx.fail(400, 'numbytes, duration, delay and code must be non-negative numbers (code >= 200)');
    return;
  }
  await ctx.sleep(wait * 1000);
  ctx.res.writeHead(code, { ...octets, 'Content-Length': numbytes });
  const writes = Math.min(numbytes, MAX_DRIP_WRITES);
  const pause = writes > 0 ? (duration * 1000) / writes : 0;
  let sent = 0;
  for (let i = 0; i < writes; i++) {
    const size = Math.floor((numbytes * (i + 1)) / writes) - sent;
    ctx.res.write(Buffer.alloc(size, '*'));
    sent += size;
    await ctx.sleep(pause);
  }
  ctx.res.end();
}

/** /range/N: N bytes of `abc…z` repeated, honouring one `Range: bytes=` range. */
function range(ctx: Context, [text]: readonly string[]): void {
  const n = int(text, MAX_BYTES);
  if (n === undefined) {
    ctx.fail(400, 'the byte count must be an integer');
    return;
  }
  const data = Buffer.alloc(n, 'abcdefghijklmnopqrstuvwxyz');
  const headers = { ...octets, ETag: `range${n}`, 'Accept-Ranges': 'bytes' };
  const header = ctx.req.headers.range;
  if (header === undefined) {
    ctx.send(200, data, headers);
    return;
  }
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  let first = Number(m?.[1] || Number.NaN);
  let last = Number(m?.[2] || Number.NaN);
  if (m && m[1] === '' && m[2] !== '') {
    // A suffix range: the last N bytes.
    first = Math.max(0, n - last);
    last = n - 1;
  } else if (m && m[2] === '') {
    last = n - 1;
  }
  if (!m || !(first <= last) || first >= n) {
    ctx.send(416, '', { ...headers, 'Content-Range': `bytes */${n}` });
    return;
  }
  last = Math.min(last, n - 1);
  ctx.send(206, data.subarray(first, last + 1), {
    ...headers,
    'Content-Range': `bytes ${first}-${last}/${n}`,
  });
}

/** /delay, /stream, /bytes, /stream-bytes, /drip and /range. */
export const streamRoutes: readonly Route[] = [
  route('/delay/:seconds', delayed),
  route('/stream/:n', streamJson, ['GET']),
  route('/bytes/:n', bytes, ['GET']),
  route('/stream-bytes/:n', streamBytes, ['GET']),
  route('/drip', drip, ['GET']),
  route('/range/:n', range, ['GET']),
];

/** Resolves when `res` can take more data, or has closed (so a gone client never strands the loop). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
