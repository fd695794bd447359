import ky from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appSession,
  expectRetried,
  expectSessionTraits,
  type FakeServer,
  flaky,
  sendJson,
  startServer,
} from './fetch-server.js';

/**
 * ky given session.fetch. ky hands fetch a WHATWG Request (not a URL and
 * init), so this also covers reading method, headers and body off one.
 */
let server: FakeServer;
const failFirst = flaky();
beforeAll(async () => {
  server = await startServer((req, res, body) => {
    if (req.url === '/items/1' && req.method === 'GET') {
      if (failFirst('get', res)) return;
      return sendJson(res, 200, { id: 1, name: 'first' });
    }
    if (req.url === '/items' && req.method === 'POST') {
      if (failFirst('post', res)) return;
      return sendJson(res, 201, { id: 2, ...(JSON.parse(body.toString()) as object) });
    }
    sendJson(res, 404, { error: 'not found' });
  });
});
afterAll(() => server.close());

describe('ky with session.fetch', () => {
  it('GETs and POSTs JSON, with its hooks, through the session (retry: 0, the plugin retries)', async () => {
    const { session, fetch } = appSession();
    await using _ = session;
    const statuses: number[] = [];
    const api = ky.create({
      fetch,
      prefixUrl: server.origin,
      retry: 0,
      hooks: {
        beforeRequest: [(request) => request.headers.set('X-Ky-Hook', 'before')],
        afterResponse: [(_request, _options, response) => void statuses.push(response.status)],
      },
    });
    expect(await api.get('items/1').json()).toEqual({ id: 1, name: 'first' });
    expect(await api.post('items', { json: { name: 'second' } }).json()).toEqual({ id: 2, name: 'second' });
    expect(statuses).toEqual([200, 201]);

    expectRetried(server.seen, '/items/1');
    expectRetried(server.seen, '/items');
    expectSessionTraits(server.seen);
    for (const s of server.seen) expect(s.headers['x-ky-hook']).toBe('before');
    const posts = server.seen.filter((s) => s.method === 'POST');
    // The retry sent the body again: it was read off ky's Request into memory.
    expect(posts.map((p) => JSON.parse(p.body.toString()))).toEqual([{ name: 'second' }, { name: 'second' }]);
    expect(posts[1]?.headers['content-type']).toBe('application/json');
  });

  it('ky sees a 404 as an HTTPError with the response', async () => {
    const { session, fetch } = appSession();
    await using _ = session;
    const err = await ky(`${server.origin}/missing`, { fetch, retry: 0 }).catch((e: unknown) => e);
    expect((err as { name: string }).name).toBe('HTTPError');
    expect((err as { response: Response }).response.status).toBe(404);
  });
});
