import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { ConnectionError } from '@sess/core';
import { debugFromEnv, type LogRecord, logging } from '@sess/plugin-logging';
import { retry } from '@sess/plugin-retry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeSession, memoryLogger, reply, startServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

const byPath = () =>
  startServer((hit, res) => {
    if (hit.url.startsWith('/missing')) return reply(res, 404, 'no');
    if (hit.url.startsWith('/broken')) return reply(res, 500, 'oops');
    if (hit.url.startsWith('/moved')) return reply(res, 302, '', { Location: '/here' });
    if (hit.url.startsWith('/reset')) return res.socket?.destroy();
    if (hit.url.startsWith('/flaky')) return hit.n === 1 ? reply(res, 503, '') : reply(res, 200, 'ok');
    reply(res, 200, 'hello');
  });

describe('logging()', () => {
  it('one record per hop: method, url, status, httpVersion, elapsed, bytes, attempt; info for 2xx/3xx', async () => {
    server = await byPath();
    const logger = memoryLogger();
    await using s = makeSession();
    s.use(logging({ logger }));
    await s.get(`${server.url}/moved?q=1`);
    expect(logger.lines.map((l) => [l.level, l.record.status, l.record.url])).toEqual([
      ['info', 302, `${server.url}/moved?q=1`],
      ['info', 200, `${server.url}/here`],
    ]);
    const r = logger.lines[1]?.record as LogRecord;
    expect(r).toMatchObject({ event: 'response', method: 'GET', httpVersion: '1.1', bytes: 5, attempt: 1 });
    expect(r.elapsed).toBeGreaterThanOrEqual(0);
    expect(r.requestHeaders).toBeUndefined();
    expect(logger.lines[1]?.msg).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/here 200 OK \(\d+(\.\d)? ms\)$/);
  });

  it('warn for 4xx, error for 5xx and for failures (name, code, message)', async () => {
    server = await byPath();
    const logger = memoryLogger();
    await using s = makeSession();
    s.use(logging({ logger }));
    await s.get(`${server.url}/missing`);
    await s.get(`${server.url}/broken`);
    await expect(s.get(`${server.url}/reset`)).rejects.toBeInstanceOf(ConnectionError);
    expect(logger.lines.map((l) => [l.level, l.record.event, l.record.status])).toEqual([
      ['warn', 'response', 404],
      ['error', 'response', 500],
      ['error', 'error', undefined],
    ]);
    expect(logger.lines[2]?.record.error).toMatchObject({
      name: 'ConnectionError',
      code: 'ERR_SESS_CONNECTION',
    });
  });

  it('levels are configurable, and the threshold drops what is below it', async () => {
    server = await byPath();
    const logger = memoryLogger();
    await using s = makeSession();
    s.use(logging({ logger, level: 'warn', levels: { clientError: 'info', success: 'warn' } }));
    await s.get(`${server.url}/missing`);
    await s.get(`${server.url}/ok`);
    expect(logger.lines.map((l) => [l.level, l.record.status])).toEqual([['warn', 200]]);
    expect(() => logging({ level: 'loud' as never })).toThrow(TypeError);
  });

  it('without a logger: JSON lines on stderr', async () => {
    server = await byPath();
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    await using s = makeSession();
    s.use(logging());
    await s.get(`${server.url}/ok`);
    vi.restoreAllMocks();
    expect(writes).toHaveLength(1);
    const line = JSON.parse(writes[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', method: 'GET', status: 200 });
    expect(typeof line.time).toBe('string');
    expect(writes[0]?.endsWith('\n')).toBe(true);
  });

  it("level: 'silent' has no send: the chain skips it", () => {
    const plugin = logging({ level: 'silent' });
    expect(plugin.send).toBeUndefined();
    expect(plugin.name).toBe('logging');
  });

  it('after retry (inner), every attempt is logged with its number', async () => {
    server = await byPath();
    const logger = memoryLogger();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503] }));
    s.use(logging({ logger }));
    await s.get(`${server.url}/flaky`);
    expect(logger.lines.map((l) => [l.level, l.record.status, l.record.attempt])).toEqual([
      ['error', 503, 1],
      ['info', 200, 2],
    ]);
  });

  it('before retry (outer), it logs the hop once, with the number of retries', async () => {
    server = await byPath();
    const logger = memoryLogger();
    await using s = makeSession();
    s.use(logging({ logger }));
    s.use(retry({ statusForcelist: [503] }));
    await s.get(`${server.url}/flaky`);
    expect(logger.lines.map((l) => [l.record.status, l.record.attempt, l.record.retries])).toEqual([
      [200, 1, 1],
    ]);
  });
});

describe('debug', () => {
  it('adds redacted headers and a curl line', async () => {
    server = await startServer((_hit, res) =>
      reply(res, 200, '{"ok":true}', { 'Content-Type': 'application/json', 'Set-Cookie': 'sid=abcdef' }),
    );
    const logger = memoryLogger();
    await using s = makeSession();
    s.use(logging({ logger, level: 'debug' }));
    await s.post(`${server.url}/p?token=tok123&x=1`, {
      json: { a: 'b' },
      headers: { Authorization: 'Bearer tok456', 'X-Plain': 'seen' },
    });
    const r = logger.lines[0]?.record as LogRecord;
    expect(r.url).toBe(`${server.url}/p?token=[REDACTED]&x=1`);
    expect(r.requestHeaders).toMatchObject({ Authorization: '[REDACTED]', 'X-Plain': 'seen' });
    expect(r.responseHeaders).toMatchObject({ 'Set-Cookie': '[REDACTED]' });
    expect(r.curl).toContain(`curl --globoff -X POST '${server.url}/p?token=[REDACTED]&x=1'`);
    expect(r.curl).toContain(`-H 'Authorization: [REDACTED]'`);
    expect(r.curl).toContain(`--data-binary '{"a":"b"}'`);
    expect(logger.dump()).not.toMatch(/tok123|tok456|abcdef/);
  });

  it.runIf(existsSync('/usr/bin/curl'))(
    'the curl line runs as it is and sends the same request',
    async () => {
      server = await startServer((_hit, res) => reply(res, 200, 'ok'));
      const logger = memoryLogger();
      await using s = makeSession();
      s.use(logging({ logger, level: 'debug' }));
      await s.put(`${server.url}/echo?a=1`, { data: "it's a body", headers: { 'X-One': 'uno' } });
      const curl = logger.lines[0]?.record.curl as string;
      const { stdout } = await promisify(execFile)('sh', ['-c', `${curl} --silent`]);
      expect(stdout).toBe('ok');
      const [first, second] = server.hits;
      expect([second?.method, second?.url, second?.body]).toEqual([first?.method, first?.url, first?.body]);
      expect(second?.headers['x-one']).toBe('uno');
    },
  );

  it('debugFromEnv: SESS_DEBUG=1 gives a debug logger, unset or 0 gives none', () => {
    expect(debugFromEnv({ SESS_DEBUG: '1' })?.level).toBe('debug');
    expect(debugFromEnv({ SESS_DEBUG: 'true' })?.level).toBe('debug');
    expect(debugFromEnv({})).toBeUndefined();
    expect(debugFromEnv({ SESS_DEBUG: '0' })).toBeUndefined();
    expect(debugFromEnv({ SESS_DEBUG: '' })).toBeUndefined();
  });
});
