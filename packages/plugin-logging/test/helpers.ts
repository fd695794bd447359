import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { UndiciAdapter } from '@sess/adapter-undici';
import { CookieJar } from '@sess/cookies';
import { type Plugin, type SendOptions, Session } from '@sess/core';
import type { LoggerLike, LogLevel, LogRecord } from '@sess/plugin-logging';

/**
 * A core Session with undici on http:// with a real cookie jar (what `sess` builds).
 * An outermost shim fixes what the plugins get: with `coreLimits` (the
 * default) SendOptions carry `maxResponseSize`, as core will pass it (see
 * the README); without, they do not, as with a core that does not. Plugins
 * read bodies inside the chain only when it is there.
 */
export function makeSession({ coreLimits = true }: { coreLimits?: boolean } = {}): Session {
  const s = new Session({ cookies: new CookieJar() });
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

/** A pino-shaped logger that keeps what it was given. */
export interface MemoryLogger extends LoggerLike {
  lines: Array<{ level: LogLevel; record: LogRecord; msg: string | undefined }>;
  /** Everything logged, as JSON text: what a secret scan reads. */
  dump(): string;
}

export function memoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = [];
  const at = (level: LogLevel) => (record: object, msg?: string) =>
    lines.push({ level, record: record as LogRecord, msg });
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    dump: () => lines.map((l) => JSON.stringify(l)).join('\n'),
  };
}

export interface Hit {
  n: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback server running `handler` for each request (body read first). */
export async function startServer(
  handler: (hit: Hit, res: ServerResponse) => void,
): Promise<{ url: string; hits: Hit[]; close(): Promise<void> }> {
  const hits: Hit[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit: Hit = {
        n: hits.length + 1,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      hits.push(hit);
      handler(hit, res);
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function reply(
  res: ServerResponse,
  status: number,
  body = '',
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
