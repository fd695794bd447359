import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { ConnectFailure } from './errors.js';

/** Where to open a tunnel, and how to authenticate to the proxy. */
export interface TunnelTarget {
  /** The proxy, `http://` or `https://`; its userinfo is not used here (see `proxyAuthorization`). */
  proxy: URL;
  /** `host:port` of the origin, as the CONNECT request-target (RFC 9110 §9.3.6). */
  authority: string;
  /** The `Proxy-Authorization` value for the CONNECT, if any. */
  proxyAuthorization: string | undefined;
  /** TLS options for an `https://` proxy (the request's `verify` applies to it too). */
  tls: Readonly<ConnectionOptions>;
}

/** A tunnel being opened; `cancel()` gives it up and destroys whatever exists. */
export interface PendingTunnel {
  readonly socket: Promise<Socket>;
  cancel(): void;
}

/**
 * Opens an HTTP CONNECT tunnel through a proxy. Credentials travel only in
 * this CONNECT's `Proxy-Authorization`; everything after it is end-to-end
 * TLS (or h2c) to the origin, which never sees them. A proxy that refuses
 * (any status but 2xx), drops the connection or cannot be reached fails
 * with `ConnectFailure('proxy')`.
 */
export function openTunnel(target: TunnelTarget): PendingTunnel {
  const { proxy, authority } = target;
  const secure = proxy.protocol === 'https:';
  const headers: http.OutgoingHttpHeaders = { host: authority };
  if (target.proxyAuthorization !== undefined) headers['proxy-authorization'] = target.proxyAuthorization;
  const options: https.RequestOptions = {
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    port: proxy.port || (secure ? 443 : 80),
    method: 'CONNECT',
    path: authority,
    headers,
    // Nothing pooled by an agent could outlive the adapter.
    agent: false,
    ...(secure ? target.tls : {}),
  };
  const req = (secure ? https : http).request(options);
  let done = false;
  const socket = new Promise<Socket>((resolve, reject) => {
    req.once('connect', (res: http.IncomingMessage, sock: Socket, head: Buffer) => {
      done = true;
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        sock.destroy();
        reject(new ConnectFailure('proxy', `The proxy refused the CONNECT to ${authority}: ${status}`));
        return;
      }
      // Bytes the proxy sent past its answer belong to the tunnel.
      if (head.length > 0) sock.unshift(head);
      resolve(sock);
    });
    req.once('response', (res: http.IncomingMessage) => {
      // Node hands every answer to a CONNECT to 'connect'; this is a guard, not a path we expect.
      done = true;
      res.resume();
      req.destroy();
      reject(new ConnectFailure('proxy', `The proxy refused the CONNECT to ${authority}: ${res.statusCode}`));
    });
    req.once('error', (err) => {
      if (done) return;
      done = true;
      reject(
        new ConnectFailure('proxy', `Unable to connect to the proxy ${proxy.host}: ${err.message}`, {
          cause: err,
        }),
      );
    });
    req.end();
  });
  return {
    socket,
    cancel() {
      if (!done) {
        done = true;
        req.destroy();
      }
    },
  };
}

/** `Basic` credentials from a proxy URL's userinfo, or `undefined` without any. */
export function proxyUrlAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  const user = decode(proxy.username);
  const pass = decode(proxy.password);
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}

/** Percent-decodes userinfo; a malformed escape is taken literally rather than thrown. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
