import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'sess';
import { type CacheOptions, type CachePlugin, cache } from '../src/index.js';

/** A clock the tests move by hand, starting on a whole second (so Date headers are exact). */
export class TestClock {
  t = Math.floor(Date.now() / 1000) * 1000;
  readonly now = (): number => this.t;
  /** Moves the clock `seconds` forward. */
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
  /** The current time as an HTTP-date. */
  httpDate(offsetSeconds = 0): string {
    return new Date(this.t + offsetSeconds * 1000).toUTCString();
  }
}

/** A route's handler: `hit` counts this route's requests, from 1. */
export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

/** A loopback origin that counts requests per path and dates its answers by the test clock. */
export interface Origin {
  readonly base: string;
  /** Registers `handler` on a fresh path (under `name`) and returns its URL. */
  route(name: string, handler: Handler): string;
  /** Requests the path of `url` received. */
  hits(url: string): number;
  /** The request headers of the last request to the path of `url`. */
  lastHeaders(url: string): IncomingMessage['headers'] | undefined;
  close(): Promise<void>;
}

let seq = 0;

export async function startOrigin(clock: TestClock): Promise<Origin> {
  const routes = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const last = new Map<string, IncomingMessage['headers']>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    last.set(path, req.headers);
    res.setHeader('Date', clock.httpDate());
    const handler = routes.get(path);
    if (!handler) {
      res.statusCode = 404;
      res.end();
      return;
    }
    handler(req, res, n);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pathOf = (url: string) => new URL(url, base).pathname;
  return {
    base,
    route(name, handler) {
      const path = `/${name}-${++seq}`;
      routes.set(path, handler);
      return base + path;
    },
    hits: (url) => counts.get(pathOf(url)) ?? 0,
    lastHeaders: (url) => last.get(pathOf(url)),
    async close() {
      server.closeAllConnections();
      if (server.listening) {
        server.close();
        await once(server, 'close');
      }
    },
  };
}

/** A batteries-included Session with the cache plugin on the test clock. */
export function cachedSession(
  clock: TestClock,
  options: CacheOptions = {},
): { s: Session; plugin: CachePlugin } {
  const s = new Session();
  const plugin = cache({ now: clock.now, ...options });
  s.use(plugin);
  return { s, plugin };
}

/** A handler answering `body` with `headers`. */
export function reply(headers: Record<string, string | string[]>, body = 'hello', status = 200): Handler {
  return (_req, res) => {
    res.statusCode = status;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.end(body);
  };
}
