import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { UndiciAdapter } from '@sess/adapter-undici';
import { type Plugin, type SendOptions, Session } from '@sess/core';

/**
 * A core Session with undici on http:// (what the `sess` package builds, minus the jar).
 * An outermost shim fixes what the plugins get: with `coreLimits` (the
 * default) SendOptions carry `maxResponseSize`, as core will pass it (see
 * the README); without, they do not, as with a core that does not. Plugins
 * read bodies inside the chain only when it is there.
 */
export function makeSession({ coreLimits = true }: { coreLimits?: boolean } = {}): Session {
  const s = new Session();
  s.mount('http://', new UndiciAdapter());
  s.use(coreLimitsShim(s, coreLimits));
  return s;
}

/** Puts the session's `maxResponseSize` into SendOptions (unless core did), or takes it out. */
export function coreLimitsShim(s: Session, present: boolean): Plugin {
  return {
    name: 'core-limits-shim',
    send(request, options, next) {
      if (present === 'maxResponseSize' in options) return next(request, options);
      if (present)
        return next(request, { ...options, maxResponseSize: s.maxResponseSize ?? undefined } as SendOptions);
      const { maxResponseSize: _, ...rest } = options as SendOptions & { maxResponseSize?: unknown };
      return next(request, rest as SendOptions);
    },
  };
}

/** One request as the test server saw it. */
export interface Hit {
  /** 1 for the first request the server got. */
  n: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `performance.now()` when the request arrived. */
  at: number;
}

export type Handler = (hit: Hit, res: ServerResponse, req: IncomingMessage) => unknown;

/** A loopback server that runs `handler` for every request and keeps what it saw. */
export interface FlakyServer {
  url: string;
  hits: Hit[];
  /** Resolves with the n-th hit (1-based) once it has arrived. */
  hit(n: number): Promise<Hit>;
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<FlakyServer> {
  const hits: Hit[] = [];
  const waiters = new Map<number, Array<(h: Hit) => void>>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    res.on('error', () => {});
    req.on('end', () => {
      const hit: Hit = {
        n: hits.length + 1,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at,
      };
      hits.push(hit);
      for (const wake of waiters.get(hit.n) ?? []) wake(hit);
      waiters.delete(hit.n);
      Promise.resolve(handler(hit, res, req)).catch(() => res.destroy());
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    hit(n) {
      const have = hits[n - 1];
      if (have) return Promise.resolve(have);
      return new Promise((resolve) => {
        const list = waiters.get(n) ?? [];
        list.push(resolve);
        waiters.set(n, list);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers `status` with a small text body and `headers`. */
export function reply(
  res: ServerResponse,
  status: number,
  body = '',
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Gaps in ms between consecutive hits. */
export function gaps(hits: readonly Hit[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < hits.length; i++) out.push((hits[i] as Hit).at - (hits[i - 1] as Hit).at);
  return out;
}
