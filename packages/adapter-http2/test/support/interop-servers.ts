import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fixture } from './fixtures.js';

/**
 * Real HTTP/2 servers from Debian for the interop tests: `nghttpd`
 * (nghttp2-server) and `nginx`, each a child process on free 127.0.0.1
 * ports with its own temp dir (config, logs, pid, docroot).
 */

/** Where a binary is: PATH first, then the sbin dirs a non-root PATH may lack. */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  return undefined;
}

/**
 * The skip policy of the Redis stores: without the binary the tests are left
 * out, loudly, unless CI is set; with CI set they run and fail.
 */
export function interopSkip(
  binary: string,
  debianPackage: string,
): { path: string | undefined; skip: boolean } {
  const path = findBinary(binary);
  const skip = path === undefined && !process.env.CI;
  if (skip) {
    console.warn(
      `adapter-http2 interop: ${binary} tests skipped, ${binary} is missing (apt-get install ${debianPackage}); with CI set they fail instead`,
    );
  }
  return { path, skip };
}

function need(binary: string, debianPackage: string): string {
  const path = findBinary(binary);
  if (!path) throw new Error(`${binary} missing: apt-get install ${debianPackage}`);
  return path;
}

/** A port nothing listens on (yet) on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Polls a TCP connect to each port until all accept; fails after `ms` or when the child exits. */
async function waitForPorts(child: ChildProcess, ports: number[], log: () => string, ms = 5000) {
  const end = performance.now() + ms;
  for (const port of ports) {
    while (!(await canConnect(port))) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `server exited (${child.exitCode ?? child.signalCode}) before port ${port} opened:\n${log()}`,
        );
      }
      if (performance.now() > end) throw new Error(`port ${port} did not accept within ${ms} ms:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** SIGTERM, then SIGKILL if it lingers; resolves when the process is gone. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

function spawnServer(path: string, args: string[], cwd: string) {
  const child = spawn(path, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    // Bounded: a verbose server must not grow the test's memory.
    if (output.length < 64 * 1024) output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (err) => {
    output += `\nspawn error: ${err.message}`;
  });
  return { child, output: () => output };
}

/** Files every server serves: `small.txt` and the 1 MiB `big.bin`, with their sha256. */
export interface Docroot {
  readonly dir: string;
  readonly files: Record<'small.txt' | 'big.bin', { bytes: Buffer; sha256: string }>;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function makeDocroot(dir: string): Docroot {
  mkdirSync(dir, { recursive: true });
  const small = Buffer.from('hello from a real HTTP/2 server\n');
  const big = randomBytes(1024 * 1024);
  writeFileSync(join(dir, 'small.txt'), small);
  writeFileSync(join(dir, 'big.bin'), big);
  return {
    dir,
    files: {
      'small.txt': { bytes: small, sha256: sha256(small) },
      'big.bin': { bytes: big, sha256: sha256(big) },
    },
  };
}

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sess-interop-${prefix}-`));
}

export interface NghttpdServer {
  readonly port: number;
  /** `https://127.0.0.1:port` or `http://…` with `tls: false`. */
  readonly origin: string;
  readonly docroot: Docroot;
  readonly pid: number;
  close(): Promise<void>;
}

/**
 * `nghttpd` on a free port: TLS with the test CA's 127.0.0.1 certificate,
 * or cleartext h2c (`--no-tls`). Serves the docroot, echoes POST/PUT bodies
 * (`--echo-upload`), and advertises `maxConcurrentStreams` (nghttpd's default is 100).
 */
export async function startNghttpd(
  options: { tls: boolean; maxConcurrentStreams?: number } = { tls: true },
): Promise<NghttpdServer> {
  const bin = need('nghttpd', 'nghttp2-server');
  const dir = tempDir('nghttpd');
  const docroot = makeDocroot(join(dir, 'htdocs'));
  const port = await freePort();
  const args = [
    '-a',
    '127.0.0.1',
    '-d',
    docroot.dir,
    '--echo-upload',
    '-m',
    String(options.maxConcurrentStreams ?? 100),
  ];
  if (options.tls) args.push(String(port), fixture('server.key'), fixture('server.pem'));
  else args.push('--no-tls', String(port));
  const { child, output } = spawnServer(bin, args, dir);
  try {
    await waitForPorts(child, [port], output);
  } catch (err) {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    docroot,
    pid: child.pid ?? 0,
    async close() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One line of an nginx access log in the `interop` format. */
export interface NginxLogLine {
  /** nginx's connection serial number ($connection). */
  connection: number;
  /** Requests made so far on that connection, this one included ($connection_requests). */
  connectionRequests: number;
  protocol: string;
  status: number;
  bytes: number;
  uri: string;
  /** When the request was finished, in ms since the epoch ($msec). */
  endMs: number;
  /** How long it took, in ms ($request_time). */
  durationMs: number;
}

/** The server blocks of the test nginx, each on its own port(s). */
export type NginxServerName = 'wide' | 'narrow' | 'narrowH2c' | 'h1';

export interface NginxServer {
  /** TLS h2, `http2_max_concurrent_streams 250`. */
  readonly wide: number;
  /** TLS h2, `http2_max_concurrent_streams 10`. */
  readonly narrow: number;
  /** The same server block as `narrow`, also listening for cleartext h2c (prior knowledge). */
  readonly narrowH2c: number;
  /** TLS HTTP/1.1 only: `listen … ssl;` without http2. */
  readonly h1: number;
  readonly docroot: Docroot;
  readonly pid: number;
  /** The access log of a server block, parsed (nginx writes each line when a request ends). */
  accessLog(name: 'wide' | 'narrow' | 'h1'): NginxLogLine[];
  close(): Promise<void>;
}

const LOG_FORMAT =
  '$connection $connection_requests $server_protocol $status $body_bytes_sent $request_uri $msec $request_time';

function nginxConfig(dir: string, docroot: string, ports: Record<NginxServerName, number>): string {
  const common = `
    root ${docroot};
    ssl_certificate ${fixture('server.pem')};
    ssl_certificate_key ${fixture('server.key')};
    location / { }`;
  return `# Written by packages/adapter-http2/test/support/interop-servers.ts
daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;

events {
  worker_connections 1024;
}

http {
  default_type application/octet-stream;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  log_format interop '${LOG_FORMAT}';
  keepalive_requests 1000;
  keepalive_timeout 60s;

  server {
    listen 127.0.0.1:${ports.wide} ssl http2;
    http2_max_concurrent_streams 250;
    access_log ${dir}/wide.log interop;${common}
  }

  server {
    listen 127.0.0.1:${ports.narrow} ssl http2;
    listen 127.0.0.1:${ports.narrowH2c} http2;
    http2_max_concurrent_streams 10;
    access_log ${dir}/narrow.log interop;${common}
  }

  server {
    listen 127.0.0.1:${ports.h1} ssl;
    access_log ${dir}/h1.log interop;${common}
  }
}
`;
}

function parseLog(text: string): NginxLogLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [connection, requests, protocol, status, bytes, uri, msec, time] = line.split(' ');
      return {
        connection: Number(connection),
        connectionRequests: Number(requests),
        protocol: protocol ?? '',
        status: Number(status),
        bytes: Number(bytes),
        uri: uri ?? '',
        endMs: Number(msec) * 1000,
        durationMs: Number(time) * 1000,
      };
    });
}

/**
 * One nginx (`daemon off; master_process off;`, so the child is the whole
 * server) with four listening ports, config/logs/pid/temp paths in its own
 * temp dir, started as `nginx -p <dir> -c <dir>/nginx.conf`.
 */
export async function startNginx(): Promise<NginxServer> {
  const bin = need('nginx', 'nginx');
  const dir = tempDir('nginx');
  const docroot = makeDocroot(join(dir, 'htdocs'));
  const ports: Record<NginxServerName, number> = {
    wide: await freePort(),
    narrow: await freePort(),
    narrowH2c: await freePort(),
    h1: await freePort(),
  };
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, docroot.dir, ports));
  const { child, output } = spawnServer(
    bin,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    dir,
  );
  const log = () => {
    let errors = '';
    try {
      errors = readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {}
    return `${output()}\n${errors}`;
  };
  try {
    await waitForPorts(child, Object.values(ports), log);
  } catch (err) {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...ports,
    docroot,
    pid: child.pid ?? 0,
    accessLog(name) {
      try {
        return parseLog(readFileSync(join(dir, `${name}.log`), 'utf8'));
      } catch {
        return [];
      }
    },
    async close() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
