import { har, logging } from '@sess/plugin-logging';
import { retry } from '@sess/plugin-retry';
import validator from 'har-validator';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSession, memoryLogger, reply, startServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('retry + logging + har, in the recommended order', () => {
  it('every attempt is logged and recorded; the caller sees one response with its retries', async () => {
    let resets = 0;
    server = await startServer((hit, res) => {
      if (hit.url === '/flaky') return hit.n <= 2 ? reply(res, 503, `busy ${hit.n}`) : reply(res, 200, 'ok');
      // /reset: the first try breaks off in the middle of the body.
      if (resets++ === 0) {
        res.writeHead(200, { 'Content-Length': '20' });
        return res.write('part', () => res.destroy());
      }
      reply(res, 200, 'x'.repeat(20));
    });
    const logger = memoryLogger();
    const rec = har();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503], backoffFactor: 10 }));
    s.use(logging({ logger }));
    s.use(rec);

    const res = await s.get(`${server.url}/flaky`);
    expect(res.text).toBe('ok');
    expect(res.retries?.map((e) => e.status)).toEqual([503, 503]);
    const reset = await s.get(`${server.url}/reset`);
    expect(reset.text).toBe('x'.repeat(20));

    expect(logger.lines.map((l) => [l.level, l.record.status, l.record.attempt])).toEqual([
      ['error', 503, 1],
      ['error', 503, 2],
      ['info', 200, 3],
      // har (inside the logger) reads the body, which breaks: the logger sees the error.
      ['error', undefined, 1],
      ['info', 200, 2],
    ]);
    expect(logger.lines[3]?.record.error?.name).toBe('ChunkedEncodingError');
    const entries = rec.toJSON().log.entries;
    expect(entries.map((e) => [e.response.status, e.response.content.text])).toEqual([
      [503, 'busy 1'],
      [503, 'busy 2'],
      [200, 'ok'],
      [200, undefined],
      [200, 'x'.repeat(20)],
    ]);
    expect(entries[3]?.comment).toMatch(/^ChunkedEncodingError: /);
    await validator.har(rec.toJSON());
  });
});
