/** Starts `server-child.ts` in a child process and hands back its origins. */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface ServerHandle {
  /** `http://127.0.0.1:<port>`: node:http, HTTP/1.1 with keep-alive. */
  readonly origin: string;
  /** `https://127.0.0.1:<port>`: node:http2 over TLS, h2 only (the CA is in `tls.ts`). */
  readonly h2Origin: string;
  /** The server's process id, to tell it apart in `top` while a run is going. */
  readonly pid: number | undefined;
  /** HTTP/2 sessions (TCP connections) the h2 server has accepted so far. */
  h2Sessions(): Promise<number>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

export async function startServer(): Promise<ServerHandle> {
  // Not the parent's execArgv: the server needs neither --expose-gc nor the source condition.
  const child = fork(CHILD, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ports = await new Promise<{ port: number; h2Port: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number; h2Port: number }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
  });
  return {
    origin: `http://127.0.0.1:${ports.port}`,
    h2Origin: `https://127.0.0.1:${ports.h2Port}`,
    pid: child.pid,
    h2Sessions: () => stats(child),
    close: () => stop(child),
  };
}

async function stats(child: ChildProcess): Promise<number> {
  const reply = once(child, 'message');
  child.send('stats');
  const [m] = (await reply) as [{ h2Sessions: number }];
  return m.h2Sessions;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill();
  await exited;
}
