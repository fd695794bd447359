import type { AddressInfo, Socket } from 'node:net';
import * as net from 'node:net';
import { Worker } from 'node:worker_threads';

/** A TCP listener on 127.0.0.1 that a check starts and closes itself. */
export interface RawServer {
  readonly port: number;
  /** Every socket it accepted. */
  readonly sockets: readonly Socket[];
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<RawServer> {
  const sockets: Socket[] = [];
  server.on('connection', (s: Socket) => {
    sockets.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Accepts and never says a word (it reads and drops what it is sent): a
 * TLS handshake to it never completes, an HTTP request is never answered.
 */
export function startSilentServer(): Promise<RawServer> {
  return listen(net.createServer((socket) => socket.resume()));
}

/**
 * An HTTP/1.1 server that writes `response` verbatim once the request's
 * header block is in, then ends the connection: for framing a real server
 * would refuse to produce (a body shorter than its Content-Length, a
 * chunked body without its last chunk).
 */
export function startScriptedServer(response: string | Buffer): Promise<RawServer> {
  return listen(
    net.createServer((socket) => {
      let head = '';
      const onData = (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        socket.resume();
        socket.write(response, () => socket.end());
      };
      socket.on('data', onData);
    }),
  );
}

/** A port nothing listens on (a listener was bound there, then closed). */
export async function closedPort(): Promise<number> {
  const s = await listen(net.createServer());
  await s.close();
  return s.port;
}

/** A listener whose accept queue is full: a new TCP connect to it hangs (the SYN is dropped). */
export interface FullBacklog {
  readonly port: number;
  close(): Promise<void>;
}

// Runs in a worker: listens with a backlog of 1, then blocks its own event loop so nothing is ever accepted.
const BACKLOG_WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  setImmediate(() => {
    Atomics.wait(workerData, 0, 0);
    server.close();
  });
});
`;

function connects(port: number, ms: number, sockets: Socket[]): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    sockets.push(s);
    s.on('error', () => resolve(false));
    const timer = setTimeout(() => resolve(false), ms);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * The loopback stand-in for an unreachable host: a listener in a worker
 * thread that never accepts, its accept queue filled by the suite, so the
 * next connect waits for a SYN-ACK that does not come (Linux drops SYNs to
 * a full queue). `undefined` when the queue would not fill (another kernel),
 * so the caller can skip rather than fail.
 */
export async function startFullBacklog(): Promise<FullBacklog | undefined> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(BACKLOG_WORKER, { eval: true, workerData: flag });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const fillers: Socket[] = [];
  const close = async () => {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    for (const s of fillers) s.destroy();
    await worker.terminate();
  };
  let filled = false;
  for (let i = 0; i < 64 && !filled; i++) filled = !(await connects(port, 150, fillers));
  if (!filled) {
    await close();
    return undefined;
  }
  return { port, close };
}
