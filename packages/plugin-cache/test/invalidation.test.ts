import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedSession, type Origin, startOrigin, TestClock } from './helpers.js';

const clock = new TestClock();
let origin: Origin;
let other: Origin;
beforeAll(async () => {
  origin = await startOrigin(clock);
  other = await startOrigin(clock);
});
afterAll(async () => {
  await origin.close();
  await other.close();
});

/** A resource: GET is cacheable for a minute and shows how many times it was fetched. */
function resource(o: Origin, name: string, onWrite?: (res: import('node:http').ServerResponse) => void) {
  let gets = 0;
  return o.route(name, (req, res) => {
    if (req.method === 'GET') {
      gets++;
      res.setHeader('Cache-Control', 'max-age=60');
      res.end(`get ${gets}`);
      return;
    }
    req.resume();
    req.on('end', () => {
      if (onWrite) onWrite(res);
      else res.end('written');
    });
  });
}

describe('invalidation (RFC 9111 §4.4)', () => {
  it('a successful POST invalidates its target URI', async () => {
    const url = resource(origin, 'post-target');
    const { s } = cachedSession(clock);
    expect((await s.get(url)).text).toBe('get 1');
    expect((await s.get(url)).text).toBe('get 1');
    await s.post(url, { data: 'x' });
    expect((await s.get(url)).text).toBe('get 2');
    await s.close();
  });

  it('PUT, PATCH and DELETE do too', async () => {
    const url = resource(origin, 'put-target');
    const { s } = cachedSession(clock);
    await s.get(url);
    let n = 1;
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      await s.request(method, url, { data: 'x' });
      expect((await s.get(url)).text).toBe(`get ${++n}`);
    }
    await s.close();
  });

  it('a failed POST (4xx, 5xx) invalidates nothing', async () => {
    const url = resource(origin, 'post-failed', (res) => {
      res.statusCode = 500;
      res.end();
    });
    const { s } = cachedSession(clock);
    await s.get(url);
    await s.post(url, { data: 'x' });
    expect((await s.get(url)).fromCache).toBe(true);
    await s.close();
  });

  it('the Location and Content-Location of the answer are invalidated when on the same origin', async () => {
    const item = resource(origin, 'item');
    const described = resource(origin, 'described');
    const foreign = resource(other, 'foreign');
    const collection = origin.route('collection', (req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = 201;
        res.setHeader('Location', new URL(item).pathname);
        res.setHeader('Content-Location', described);
        res.end();
      });
    });
    const elsewhere = origin.route('elsewhere', (req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = 201;
        res.setHeader('Location', foreign);
        res.end();
      });
    });
    const { s } = cachedSession(clock);
    for (const u of [item, described, foreign]) await s.get(u);
    await s.post(collection, { json: { name: 'new' } });
    await s.post(elsewhere, { json: {} });
    expect((await s.get(item)).text).toBe('get 2');
    expect((await s.get(described)).text).toBe('get 2');
    // Another origin's entry is not this response's to invalidate.
    expect((await s.get(foreign)).text).toBe('get 1');
    await s.close();
  });

  it('a method listed in `methods` is cached by body instead of invalidating', async () => {
    let posts = 0;
    const url = origin.route('query-post', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts++;
        res.setHeader('Cache-Control', 'max-age=60');
        res.end(`${Buffer.concat(chunks).toString()} #${posts}`);
      });
    });
    const { s } = cachedSession(clock, { methods: ['GET', 'HEAD', 'POST'] });
    expect((await s.post(url, { data: 'a' })).text).toBe('a #1');
    expect((await s.post(url, { data: 'a' })).text).toBe('a #1');
    expect((await s.post(url, { data: 'b' })).text).toBe('b #2');
    await s.close();
  });
});
