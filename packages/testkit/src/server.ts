import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Context, type ServerState } from './server/context.js';
import { DigestNonces } from './server/digest.js';
import { MultipartError } from './server/multipart.js';
import { BodyTooLargeError } from './server/request-body.js';
import { dispatch } from './server/router.js';
import { routes } from './server/routes.js';

/** Options for {@link startTestServer}. */
export interface TestServerOptions {
  /** Serve HTTPS with this PEM key and certificate instead of plain HTTP. */
  https?: { key: string | Buffer; cert: string | Buffer };
}

/** A running test server. See the package README for its endpoints. */
export interface TestServer {
  /** The base URL, `http://127.0.0.1:PORT` (or `https://…`), without a trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly host: '127.0.0.1';
  /** Sockets accepted since start: a keep-alive pool that works keeps this low. */
  readonly connectionCount: number;
  /** Sockets open right now. */
  readonly openConnections: number;
  /** Requests whose handler has not finished yet (a /delay or /drip in progress counts). */
  readonly activeRequests: number;
  /**
   * Resolves once no request is being handled. A handler stops as soon as its
   * client disconnects, so after aborting a request this shows the server let
   * go of it (its timers cleared) rather than finishing the work.
   */
  idle(): Promise<void>;
  /** Closes every socket, keep-alive ones included, and resolves when the server is fully shut down. */
  close(): Promise<void>;
  /** `await using server = await startTestServer()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}

const HOST = '127.0.0.1';

/** Error codes node:http throws for a header it will not send; they are the client's fault (bad parameters). */
const BAD_HEADER_CODES = new Set([
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_HTTP_INVALID_HEADER_VALUE',
]);

function statusFor(err: unknown): number {
  if (err instanceof BodyTooLargeError) return 413;
  if (err instanceof MultipartError) return 400;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BAD_HEADER_CODES.has(code) ? 400 : 500;
}

class RunningTestServer implements TestServer {
  readonly host = HOST;
  readonly url: string;
  readonly port: number;
  #connections = 0;
  /** Each open socket, with a promise that settles when it has emitted 'close'. */
  readonly #sockets = new Map<Socket, Promise<void>>();
  #active = 0;
  #idleWaiters: Array<() => void> = [];
  #closing: Promise<void> | undefined;

  constructor(
    private readonly server: Server,
    private readonly state: ServerState,
  ) {
    this.port = (server.address() as AddressInfo).port;
    this.url = `${state.scheme}://${HOST}:${this.port}`;
    server.on('connection', (socket: Socket) => {
      this.#connections++;
      const closed = new Promise<void>((resolve) =>
        socket.once('close', () => {
          this.#sockets.delete(socket);
          resolve();
        }),
      );
      this.#sockets.set(socket, closed);
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#handle(req, res));
    // Once listening, a server error must not take the test process down with it.
    server.on('error', () => {});
  }

  get connectionCount(): number {
    return this.#connections;
  }

  get openConnections(): number {
    return this.#sockets.size;
  }

  get activeRequests(): number {
    return this.#active;
  }

  idle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      // server.close() only stops accepting; idle keep-alive sockets would hold it open for seconds.
      for (const socket of this.#sockets.keys()) socket.destroy();
      // The server reports closed before its sockets emit 'close'; wait for both, then for handlers to wind down.
      await Promise.all([stopped, ...this.#sockets.values()]);
      await this.idle();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.#active++;
    // Streams that error with no listener throw; a vanished client is routine here, not a crash.
    req.on('error', () => {});
    res.on('error', () => {});
    this.#answer(req, res)
      .catch(() => {
        // #answer handles its own errors; this only guards against a bug there.
        res.destroy();
      })
      .finally(() => {
        this.#active--;
        if (this.#active === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
      });
  }

  async #answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let ctx: Context;
    try {
      ctx = new Context(req, res, this.state);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' }).end('bad request target\n');
      return;
    }
    try {
      await dispatch(ctx, routes);
    } catch (err) {
      if (ctx.signal.aborted || res.destroyed) return; // the client left; nobody to answer
      if (res.headersSent) {
        // Part of the body is out: cutting the connection makes the client see a truncated response.
        res.destroy();
        return;
      }
      const status = statusFor(err);
      // Unread upload bytes would otherwise be drained before the socket can be reused.
      const extra = status === 413 ? { Connection: 'close' } : {};
      ctx.fail(status, err instanceof Error ? err.message : String(err), extra);
    }
  }
}

/**
 * Starts an httpbin-like server on 127.0.0.1 and a free port. Close it with
 * `close()` (or `await using`); it never listens on another interface.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const server: Server = options.https
    ? createHttpsServer({ key: options.https.key, cert: options.https.cert })
    : createHttpServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const state: ServerState = {
    scheme: options.https ? 'https' : 'http',
    authority: `${HOST}:${port}`,
    digest: new DigestNonces(),
  };
  return new RunningTestServer(server, state);
}
