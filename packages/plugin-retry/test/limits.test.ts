import { ChunkedEncodingError, ResponseTooLargeError } from '@sess/core';
import { retry } from '@sess/plugin-retry';
import { afterEach, describe, expect, it } from 'vitest';
import { type FlakyServer, makeSession, reply, startServer } from './helpers.js';

let server: FlakyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const big = () => startServer((_hit, res) => reply(res, 200, 'x'.repeat(100)));
const cutOnce = () =>
  startServer((hit, res) => {
    if (hit.n > 1) return reply(res, 200, 'x'.repeat(100));
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('x'.repeat(10), () => res.destroy());
  });

describe('a body the plugin reads keeps the session bounds', () => {
  it('maxResponseSize holds when core passes it (the plugin reads within it)', async () => {
    server = await big();
    await using s = makeSession();
    s.maxResponseSize = 10;
    s.use(retry());
    await expect(s.get(server.url)).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(server.hits).toHaveLength(1);
  });

  it('maxResponseSize holds when core does not pass it (the plugin leaves the body alone)', async () => {
    server = await big();
    await using s = makeSession({ coreLimits: false });
    s.maxResponseSize = 10;
    s.use(retry());
    await expect(s.get(server.url)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('... and then a body that breaks is not retried: the session meets it', async () => {
    server = await cutOnce();
    await using s = makeSession({ coreLimits: false });
    s.use(retry());
    await expect(s.get(server.url)).rejects.toBeInstanceOf(ChunkedEncodingError);
    expect(server.hits).toHaveLength(1);
  });
});
