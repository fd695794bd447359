import type { Plugin } from '@sess/core';
import { type BeforeRetryContext, Retry, RetryError, retry } from '@sess/plugin-retry';
import { afterEach, describe, expect, it } from 'vitest';
import { type FlakyServer, makeSession, reply, startServer } from './helpers.js';

let server: FlakyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const alwaysBusy = () => startServer((_hit, res) => reply(res, 503, 'busy'));
const onceBusy = () =>
  startServer((hit, res) => (hit.n === 1 ? reply(res, 503, 'busy') : reply(res, 200, 'ok')));

function tracer(name: string, log: string[]): Plugin {
  return {
    name,
    async send(request, options, next) {
      log.push(`${name}>${options.extensions.attempt ?? 1}`);
      const res = await next(request, options);
      log.push(`${name}<${res.statusCode}`);
      return res;
    },
  };
}

describe('per request', () => {
  it('extensions: { retry: false } sends once', async () => {
    server = await alwaysBusy();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503] }));
    const res = await s.get(server.url, { extensions: { retry: false } });
    expect(res.statusCode).toBe(503);
    expect(res.retries).toBeUndefined();
    expect(server.hits).toHaveLength(1);
  });

  it('extensions.retry options are merged over the plugin options', async () => {
    server = await alwaysBusy();
    await using s = makeSession();
    s.use(retry({ total: 5, statusForcelist: [503] }));
    const res = await s.get(server.url, { extensions: { retry: { total: 1, raiseOnStatus: false } } });
    expect(res.retries).toHaveLength(1);
    expect(server.hits).toHaveLength(2);
    await expect(s.get(server.url, { extensions: { retry: { totl: 1 } as never } })).rejects.toThrow(
      /extensions\.retry: unknown retry option "totl"/,
    );
  });

  it('retry(false) and total: false pass through; retry(n) is total n', async () => {
    server = await alwaysBusy();
    await using s = makeSession();
    s.use(retry(false));
    expect((await s.get(server.url)).statusCode).toBe(503);
    expect(server.hits).toHaveLength(1);
    expect(retry(2).policy.total).toBe(2);
    expect(retry(new Retry({ total: 7 })).policy.total).toBe(7);
  });
});

describe('beforeRetry', () => {
  it('sees each retry before its wait and may change the copy it gets', async () => {
    server = await onceBusy();
    await using s = makeSession();
    const seen: BeforeRetryContext[] = [];
    s.use(
      retry({
        statusForcelist: [503],
        beforeRetry(ctx) {
          seen.push(ctx);
          ctx.request.headers.set('X-Attempt', String(ctx.attempt));
        },
      }),
    );
    const res = await s.get(server.url, { headers: { 'X-Mine': '1' } });
    expect(res.statusCode).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ attempt: 2, delay: 0 });
    expect(seen[0]?.response?.statusCode).toBe(503);
    expect(seen[0]?.retries).toHaveLength(1);
    expect(server.hits.map((h) => [h.headers['x-attempt'], h.headers['x-mine']])).toEqual([
      [undefined, '1'],
      ['2', '1'],
    ]);
    // The caller's request was not changed; the response names the copy that was sent.
    expect(res.request.headers.get('X-Attempt')).toBe('2');
  });

  it('returning false cancels: the last outcome comes back as it is', async () => {
    server = await alwaysBusy();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503], beforeRetry: () => false }));
    const res = await s.get(server.url);
    expect(res.statusCode).toBe(503);
    expect(res.text).toBe('busy');
    expect(res.retries).toEqual([]);
    expect(server.hits).toHaveLength(1);
  });

  it('an async hook is awaited', async () => {
    server = await alwaysBusy();
    await using s = makeSession();
    s.use(retry({ total: 1, statusForcelist: [503], beforeRetry: async () => {} }));
    await expect(s.get(server.url)).rejects.toBeInstanceOf(RetryError);
    expect(server.hits).toHaveLength(2);
  });
});

describe('plugin order: the first added is outermost', () => {
  it('retry then another plugin: the inner one sees every attempt', async () => {
    server = await onceBusy();
    await using s = makeSession();
    const log: string[] = [];
    s.use(retry({ statusForcelist: [503] })).use(tracer('inner', log));
    await s.get(server.url);
    expect(log).toEqual(['inner>1', 'inner<503', 'inner>2', 'inner<200']);
  });

  it('another plugin then retry: the outer one sees the hop once', async () => {
    server = await onceBusy();
    await using s = makeSession();
    const log: string[] = [];
    s.use(tracer('outer', log)).use(retry({ statusForcelist: [503] }));
    await s.get(server.url);
    expect(log).toEqual(['outer>1', 'outer<200']);
  });
});
