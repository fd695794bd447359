import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CookieJar } from '@sess/cookies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCookieStore } from '../src/index.js';
import { type RedisServer, startRedis } from './redis-server.js';

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

/** Logs in from this process: GET /login, hand its Set-Cookie values to the jar. */
async function logIn(jar: CookieJar<RedisCookieStore>): Promise<void> {
  const url = `${base}/login`;
  const res = get(url);
  const [response] = (await once(res, 'response')) as [import('node:http').IncomingMessage];
  response.resume();
  await once(response, 'end');
  await jar.setCookiesFromResponse(response.headers['set-cookie'] ?? [], url);
}

async function otherProcess(prefix: string): Promise<{ cookie: string; status: number; body: string }> {
  const { stdout } = await run(process.execPath, ['--conditions=@sess/source', '--import', 'tsx', worker], {
    cwd: repoRoot,
    env: { ...process.env, REDIS_URL: redis.url, PREFIX: prefix, BASE_URL: base },
  });
  return JSON.parse(stdout) as { cookie: string; status: number; body: string };
}

describe('two processes share one logged-in session through Redis', () => {
  it('a worker process sees the login another process made', async () => {
    const store = new RedisCookieStore({ url: redis.url, prefix: 'fleet' });
    try {
      await logIn(new CookieJar({ store }));
    } finally {
      await store.close();
    }
    const seen = await otherProcess('fleet');
    expect(seen.cookie).toBe(`session=${token}; theme=dark`);
    expect(seen.status).toBe(200);
    expect(seen.body).toBe('logged in as alice');
  });

  it('a worker on another prefix is not logged in', async () => {
    const seen = await otherProcess('elsewhere');
    expect(seen).toEqual({ cookie: '', status: 401, body: 'who are you?' });
  });
});
