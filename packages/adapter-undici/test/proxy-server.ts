import type * as http from 'node:http';
import type * as net from 'node:net';
import { type ProxyLogEntry, startTestProxy, type TestProxyOptions } from '@sess/testkit';
import { serverTls, type TestServer } from './helpers.js';

export type ProxyLog = ProxyLogEntry;

/** testkit's proxy options, with `tls: true` meaning "the fixtures' server certificate". */
export interface ProxyBehaviour extends Omit<TestProxyOptions, 'tls'> {
  tls?: boolean;
}

export interface TestProxy extends TestServer<http.Server> {
  log: ProxyLog[];
  /** Client connections the proxy accepted. */
  readonly connectionCount: number;
  /** Tunnels are among `sockets` already; kept for the tests that read both. */
  tunnels: net.Socket[];
}

/** The testkit proxy in the shape of this package's test servers. */
export async function startProxy(behaviour: ProxyBehaviour = {}): Promise<TestProxy> {
  const { tls, ...rest } = behaviour;
  const p = await startTestProxy({ ...rest, ...(tls ? { tls: serverTls() } : {}) });
  return {
    server: p.server,
    port: p.port,
    origin: p.url,
    sockets: p.sockets as net.Socket[],
    tunnels: [],
    log: p.log,
    get connectionCount() {
      return p.connectionCount;
    },
    close: () => p.close(),
  };
}
