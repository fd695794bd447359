/** Starts `server-child.ts` in a child process and hands back its origin. */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface ServerHandle {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The server's process id, to tell it apart in `top` while a run is going. */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

export async function startServer(): Promise<ServerHandle> {
  // Not the parent's execArgv: the server needs neither --expose-gc nor the source condition.
  const child = fork(CHILD, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
  });
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid, close: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill();
  await exited;
}
