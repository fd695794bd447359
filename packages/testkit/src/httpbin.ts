import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A running Debian `python3-httpbin` under gunicorn, on 127.0.0.1. */
export interface HttpbinServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
}

const GUNICORN = 'gunicorn';

/**
 * Whether the reference server can be started here: gunicorn with Debian's
 * httpbin module (`apt-get install python3-httpbin gunicorn`).
 */
export function httpbinAvailable(): boolean {
  const probe = spawnSync(GUNICORN, ['--check-config', 'httpbin:app'], { encoding: 'utf8', timeout: 20_000 });
  return !probe.error && probe.status === 0;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * Starts httpbin (the server requests' own docs use) with gunicorn's
 * threaded worker, which, unlike werkzeug's development server, accepts
 * chunked uploads. Resolves once gunicorn says it is listening; throws with
 * the install command when it is missing.
 */
export async function startHttpbin(): Promise<HttpbinServer> {
  if (!httpbinAvailable()) {
    throw new Error('httpbin is missing: apt-get install python3-httpbin gunicorn');
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    GUNICORN,
    ['-k', 'gthread', '--threads', '16', '-b', `127.0.0.1:${port}`, '--log-level', 'info', 'httpbin:app'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      // The worker line comes after the bind: from then on requests are served.
      if (/Booting worker/.test(log)) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gunicorn exited (${code}) before it was ready:\n${log}`)));
    child.once('error', reject);
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
