import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type RedisServer, startRedisServer as startRedis } from '@sess/testkit';
import { CookieJar, Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCookieStore } from '../src/index.js';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let redis: RedisServer;
let app: Server;
let base: string;
const token = randomBytes(16).toString('hex');

beforeAll(async () => {
  redis = await startRedis();
  // The site: /login sets a session cookie, /me answers only to it.
  app = createServer((req, res) => {
    if (req.url === '/login') {
      res.setHeader('Set-Cookie', [`session=${token}; Path=/; HttpOnly; Max-Age=3600`, 'theme=dark; Path=/']);
      res.end('welcome');
    } else if (req.url === '/me') {
      const loggedIn = (req.headers.cookie ?? '').split('; ').includes(`session=${token}`);
      res.statusCode = loggedIn ? 200 : 401;
      res.end(loggedIn ? 'logged in as alice' : 'who are you?');
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  app.listen(0, '127.0.0.1');
  await once(app, 'listening');
  base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (app?.listening) {
    app.close();
    await once(app, 'close');
  }
  await redis?.stop();
});

/** Runs the worker fixture in its own process, on the shared Redis jar under `prefix` or on an empty in-memory jar. */
async function otherProcess(
  jar: { prefix: string } | 'memory',
): Promise<{ cookie: string; status: number; body: string }> {
  const env =
    jar === 'memory'
      ? { JAR: 'memory', BASE_URL: base }
      : { JAR: 'redis', REDIS_URL: redis.url, PREFIX: jar.prefix, BASE_URL: base };
  const { stdout } = await run(process.execPath, ['--conditions=@sess/source', '--import', 'tsx', worker], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
  });
  return JSON.parse(stdout) as { cookie: string; status: number; body: string };
}

describe('two processes sharing the Redis store: one logs in, the other is logged in', () => {
  it('a worker process is logged in by the login this process made through its Session', async () => {
    // Process A: a real Session on the Redis store logs in.
    const store = new RedisCookieStore({ url: redis.url, prefix: 'fleet' });
    const session = new Session({ cookies: new CookieJar({ store }) });
    try {
      const login = await session.get(`${base}/login`);
      expect(login.statusCode).toBe(200);
      expect(await session.cookies.getAsync('session')).toBe(token);
    } finally {
      await session.close();
      await store.close();
    }

    // Process B: its own Session on the same store is logged in.
    const b = await otherProcess({ prefix: 'fleet' });
    expect(b).toEqual({ cookie: `session=${token}; theme=dark`, status: 200, body: 'logged in as alice' });

    // A third process with an empty in-memory jar is not.
    const stranger = await otherProcess('memory');
    expect(stranger).toEqual({ cookie: '', status: 401, body: 'who are you?' });
  });

  it('a worker on another prefix is not logged in', async () => {
    const seen = await otherProcess({ prefix: 'elsewhere' });
    expect(seen).toEqual({ cookie: '', status: 401, body: 'who are you?' });
  });
});
