import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChunkedEncodingError, ConnectionError, ResponseTooLargeError } from '@sess/core';
import { type HarEntry, har } from '@sess/plugin-logging';
import validator from 'har-validator';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSession, reply, startServer } from './helpers.js';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const routes = () =>
  startServer((hit, res) => {
    if (hit.url.startsWith('/json'))
      return reply(res, 200, '{"hello":"world"}', { 'Content-Type': 'application/json' });
    if (hit.url.startsWith('/bin')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '3' });
      return res.end(Buffer.from([0, 1, 0xff]));
    }
    if (hit.url.startsWith('/big'))
      return reply(res, 200, 'é'.repeat(600), { 'Content-Type': 'text/plain; charset=utf-8' });
    if (hit.url.startsWith('/moved')) return reply(res, 302, '', { Location: '/json' });
    if (hit.url.startsWith('/reset')) return res.socket?.destroy();
    if (hit.url.startsWith('/cut')) {
      res.writeHead(200, { 'Content-Length': '50' });
      return res.write('x'.repeat(5), () => res.destroy());
    }
    reply(res, 201, hit.body, { 'Content-Type': 'text/plain' });
  });

/** Validates with har-validator (the HAR 1.2 JSON schema), showing the schema's complaints on failure. */
async function expectValidHar(doc: unknown): Promise<void> {
  await validator.har(doc).catch((err: { errors?: unknown }) => {
    throw new Error(`not valid HAR 1.2: ${JSON.stringify(err.errors ?? err)}`);
  });
}

describe('har()', () => {
  it('records every hop as valid HAR 1.2 (har-validator)', async () => {
    server = await routes();
    const rec = har({ maxBodySize: 1000 });
    await using s = makeSession();
    s.use(rec);
    await s.get(`${server.url}/moved?a=1&b=two`);
    await s.post(`${server.url}/form`, { data: { user: 'ann', password: 'pw-123456' } });
    await s.get(`${server.url}/bin`);
    await s.get(`${server.url}/big`);
    await expect(s.get(`${server.url}/reset`)).rejects.toBeInstanceOf(ConnectionError);
    const res = await s.get(`${server.url}/json`, { stream: true });
    await res.read();
    const doc = rec.toJSON();
    await expectValidHar(doc);
    // The validator is a real one: a document without entries or creator is refused.
    await expect(validator.har({ log: { version: '1.2' } })).rejects.toBeDefined();
    expect(doc.log.version).toBe('1.2');
    expect(doc.log.creator.name).toBe('@sess/plugin-logging');
    const [moved, json, form, bin, big, reset, streamed] = doc.log.entries as HarEntry[];
    expect(doc.log.entries).toHaveLength(7);

    expect(moved?.response).toMatchObject({ status: 302, redirectURL: '/json', httpVersion: 'HTTP/1.1' });
    expect(moved?.request.queryString).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'two' },
    ]);
    expect(json?.response.content).toEqual({
      size: 17,
      mimeType: 'application/json',
      text: '{"hello":"world"}',
    });

    expect(form?.request.postData?.mimeType).toBe('application/x-www-form-urlencoded');
    expect(form?.request.postData?.params).toEqual([
      { name: 'user', value: 'ann' },
      { name: 'password', value: '[REDACTED]' },
    ]);
    expect(form?.request.bodySize).toBe('user=ann&password=pw-123456'.length);
    expect(JSON.stringify(doc)).not.toContain('pw-123456');

    expect(bin?.response.content).toMatchObject({
      encoding: 'base64',
      text: Buffer.from([0, 1, 0xff]).toString('base64'),
    });
    expect(big?.response.content.size).toBe(1200);
    expect(big?.response.content.text).toBe('é'.repeat(500));
    expect(big?.response.content.comment).toBe('truncated to 1000 of 1200 bytes');

    expect(reset?.response.status).toBe(0);
    expect(reset?.response.comment).toMatch(/^ConnectionError: /);
    expect(streamed?.response.content).toMatchObject({
      size: 17,
      comment: 'body not recorded (stream: true)',
    });

    for (const e of doc.log.entries) {
      expect(e.timings).toMatchObject({ dns: -1, ssl: -1, send: 0 });
      // blocked (pool wait) and connect come from response.timings when the adapter measured them.
      const blocked = e.timings.blocked ?? -1;
      const connect = e.timings.connect ?? -1;
      expect(blocked === -1 || blocked >= 0).toBe(true);
      expect(connect === -1 || connect >= 0).toBe(true);
      expect(e.timings.wait).toBeGreaterThanOrEqual(0);
      expect(e.timings.receive).toBeGreaterThanOrEqual(0);
      const send = e.timings.send ?? 0;
      const wait = e.timings.wait ?? 0;
      const receive = e.timings.receive ?? 0;
      const measured = [blocked, connect, send, wait, receive].filter((p) => p >= 0);
      expect(e.time).toBeGreaterThanOrEqual(send + wait + receive - 0.01);
      expect(e.time).toBeLessThanOrEqual(measured.reduce((sum, p) => sum + p, 0) + 0.01);
      expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
    }
  });

  it('a body that breaks while the recorder reads it: the error goes on, and is noted', async () => {
    server = await routes();
    const rec = har();
    await using s = makeSession();
    s.use(rec);
    await expect(s.get(`${server.url}/cut`)).rejects.toBeInstanceOf(ChunkedEncodingError);
    expect(rec.entries[0]?.response.status).toBe(200);
    expect(rec.entries[0]?.comment).toMatch(/^ChunkedEncodingError: /);
    await expectValidHar(rec.toJSON());
  });

  it('save(path) writes the HAR through a temporary file; clear() forgets', async () => {
    server = await routes();
    const dir = await mkdtemp(join(tmpdir(), 'sess-har-'));
    try {
      const rec = har();
      await using s = makeSession();
      s.use(rec);
      await s.put(`${server.url}/echo`, { data: 'text body' });
      const path = join(dir, 'out.har');
      await rec.save(path);
      expect(await readdir(dir)).toEqual(['out.har']);
      const saved = JSON.parse(await readFile(path, 'utf8')) as unknown;
      expect(saved).toEqual(rec.toJSON());
      await expectValidHar(saved);
      expect(rec.entries[0]?.request.postData).toEqual({ mimeType: '', text: 'text body' });
      rec.clear();
      expect(rec.toJSON().log.entries).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads bodies within maxResponseSize when core passes it', async () => {
    server = await routes();
    const rec = har();
    await using s = makeSession();
    s.maxResponseSize = 5;
    s.use(rec);
    await expect(s.get(`${server.url}/json`)).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(rec.entries[0]?.comment).toMatch(/^ResponseTooLargeError: /);
  });

  it('with a core that gives plugins no body bounds: no body read, maxResponseSize holds, the entry says why', async () => {
    server = await routes();
    const rec = har();
    await using s = makeSession({ coreLimits: false });
    s.maxResponseSize = 5;
    s.use(rec);
    await expect(s.get(`${server.url}/json`)).rejects.toBeInstanceOf(ResponseTooLargeError);
    s.maxResponseSize = null;
    expect((await s.get(`${server.url}/json`)).json()).toEqual({ hello: 'world' });
    expect(rec.entries[1]?.response.content).toMatchObject({
      size: 17,
      comment: expect.stringMatching(/does not pass maxResponseSize/),
    });
  });

  it('maxEntries keeps the newest', async () => {
    server = await routes();
    const rec = har({ maxEntries: 2 });
    await using s = makeSession();
    s.use(rec);
    for (const p of ['/json?1', '/json?2', '/json?3']) await s.get(server.url + p);
    expect(rec.entries.map((e) => e.request.url.slice(-1))).toEqual(['2', '3']);
  });
});
