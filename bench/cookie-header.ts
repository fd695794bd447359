/**
 * How long `CookieJar.getCookieHeader(url)` takes on a full jar: 2,000
 * cookies over 200 hosts (100 registrable domains, a parent-domain cookie and
 * host-only cookies on several paths each). Prints mean, p50 and p99 per call
 * in microseconds. Target: well under a millisecond.
 *
 *   node --conditions=@sess/source --import tsx bench/cookie-header.ts
 */
// bench/ is not a workspace package, so it reaches the source by path (tsx maps .js to .ts).
import { CookieJar } from '@sess/cookies';

const SITES = 100;
const HOSTS_PER_SITE = 2;
const PATHS = ['/', '/api', '/api/v1', '/account', '/static'];
const WARMUP = 5_000;
const ITERATIONS = 50_000;

function buildJar(): { jar: CookieJar; urls: string[] } {
  const jar = new CookieJar();
  const urls: string[] = [];
  for (let s = 0; s < SITES; s++) {
    const site = `site${s}.com`;
    for (let h = 0; h < HOSTS_PER_SITE; h++) {
      const host = `h${h}.${site}`;
      const url = `https://${host}/api/v1/items?page=2`;
      const setCookies: string[] = [];
      // 10 cookies per host: one for the whole registrable domain, nine host-only over the paths.
      setCookies.push(`site_${h}=${'x'.repeat(32)}; Domain=${site}; Path=/; Max-Age=86400`);
      for (let i = 0; i < 9; i++) {
        const path = PATHS[i % PATHS.length];
        setCookies.push(`c${i}=${'v'.repeat(24)}${i}; Path=${path}; Secure; HttpOnly; Max-Age=86400`);
      }
      jar.setCookiesFromResponse(setCookies, url);
      urls.push(url);
    }
  }
  return { jar, urls };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const { jar, urls } = buildJar();
const size = jar.size;
const sample = jar.getCookieHeader(urls[0] ?? '');
if (size !== SITES * HOSTS_PER_SITE * 10) throw new Error(`expected 2000 cookies, jar holds ${size}`);

let sink = 0;
for (let i = 0; i < WARMUP; i++) sink += jar.getCookieHeader(urls[i % urls.length] ?? '').length;

const times = new Float64Array(ITERATIONS);
for (let i = 0; i < ITERATIONS; i++) {
  const url = urls[(i * 7919) % urls.length] ?? '';
  const t0 = process.hrtime.bigint();
  sink += jar.getCookieHeader(url).length;
  times[i] = Number(process.hrtime.bigint() - t0) / 1000;
}
const mean = times.reduce((a, b) => a + b, 0) / times.length;
times.sort();

console.log(
  `jar: ${size} cookies over ${urls.length} hosts; header for one URL: ${sample.split('; ').length} cookies`,
);
console.log(
  `getCookieHeader x ${ITERATIONS}: mean ${mean.toFixed(1)} µs, p50 ${percentile(times, 50).toFixed(1)} µs, p99 ${percentile(times, 99).toFixed(1)} µs`,
);
if (sink === 0) console.log('(no output)');
