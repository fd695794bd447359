import { ConnectionError } from '@sess/core';
import { RetryError, retry } from '@sess/plugin-retry';
import { afterEach, describe, expect, it } from 'vitest';
import { type FlakyServer, makeSession, reply, startServer } from './helpers.js';

let server: FlakyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const twiceThenOk = () =>
  startServer((hit, res) => (hit.n <= 2 ? reply(res, 503, 'busy') : reply(res, 201, 'made')));

async function* oneShot(): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode('streamed ');
  yield new TextEncoder().encode('once');
}

describe('methods and bodies', () => {
  it('POST is not retried by default: the 503 comes back as it is', async () => {
    server = await twiceThenOk();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503] }));
    const res = await s.post(server.url, { json: { a: 1 } });
    expect(res.statusCode).toBe(503);
    expect(server.hits).toHaveLength(1);
    expect(server.hits[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('POST is retried when allowedMethods includes it', async () => {
    server = await twiceThenOk();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503], allowedMethods: ['GET', 'POST'] }));
    const res = await s.post(server.url, { json: { a: 1 } });
    expect(res.statusCode).toBe(201);
    expect(server.hits.map((h) => h.body)).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
  });

  it('idempotencyKey: one Idempotency-Key per request, the same on every attempt', async () => {
    server = await twiceThenOk();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503], idempotencyKey: true }));
    const res = await s.post(server.url, { data: 'order' });
    expect(res.statusCode).toBe(201);
    const keys = server.hits.map((h) => h.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$/);
    expect(new Set(keys).size).toBe(1);
    // The next request gets a key of its own.
    await s.post(server.url, { data: 'order 2' });
    expect(server.hits[3]?.headers['idempotency-key']).not.toBe(keys[0]);
  });

  it('idempotencyKey keeps a key the caller set, and leaves GET alone', async () => {
    server = await twiceThenOk();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503], idempotencyKey: true }));
    await s.patch(server.url, { data: 'x', headers: { 'Idempotency-Key': '"mine"' } });
    expect(server.hits.map((h) => h.headers['idempotency-key'])).toEqual(['"mine"', '"mine"', '"mine"']);
    await s.get(server.url);
    expect(server.hits[3]?.headers['idempotency-key']).toBeUndefined();
  });

  it('a one-shot stream body is not sent again: RetryError says why', async () => {
    server = await twiceThenOk();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503], idempotencyKey: true }));
    const err = (await s.post(server.url, { data: oneShot() }).catch((e: unknown) => e)) as RetryError;
    expect(err).toBeInstanceOf(RetryError);
    expect(err.message).toMatch(/one-shot stream and could not be replayed/);
    expect(err.response?.statusCode).toBe(503);
    expect(server.hits.map((h) => h.body)).toEqual(['streamed once']);
  });

  it('... nor after a connection failure (ConnectionError says why)', async () => {
    server = await startServer((_hit, _res, req) => req.socket.destroy());
    await using s = makeSession();
    s.use(retry());
    const err = (await s.put(server.url, { data: oneShot() }).catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/one-shot stream and could not be replayed/);
    expect(server.hits).toHaveLength(1);
  });

  it('a replayable body (bytes) is sent again whole', async () => {
    server = await twiceThenOk();
    await using s = makeSession();
    s.use(retry({ statusForcelist: [503] }));
    const res = await s.put(server.url, { data: new Uint8Array([1, 2, 3]) });
    expect(res.statusCode).toBe(201);
    expect(server.hits.map((h) => h.headers['content-length'])).toEqual(['3', '3', '3']);
  });
});
