import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type * as tls from 'node:tls';
import {
  type Adapter,
  type BodySource,
  ConnectionError,
  Headers,
  type PreparedRequest,
  Response,
  type SendOptions,
} from '@sess/core';
import type { SocketAdopter } from '../../src/index.js';

/**
 * A minimal HTTP/1.1 fallback on node:https, for the fallback tests: one
 * keep-alive connection per origin (so the connection count shows the
 * handshakes), and, in the adopting flavour, the probe's socket used for
 * its first connection.
 */
/** A keep-alive agent that uses an adopted socket for its first connection to an origin. */
class AdoptingAgent extends https.Agent {
  /** Sockets handed over by the Http2Adapter, per origin, not yet used. */
  readonly adopted = new Map<string, tls.TLSSocket>();

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const origin = `https://${options.host}:${options.port}`;
    const socket = this.adopted.get(origin);
    if (socket) {
      this.adopted.delete(origin);
      return socket;
    }
    return super.createConnection(options, callback);
  }
}

export class FakeH1Adapter implements Adapter {
  readonly agent: AdoptingAgent;
  sends = 0;
  closed = false;

  constructor(ca: Buffer) {
    this.agent = new AdoptingAgent({ keepAlive: true, maxSockets: 1, ca });
  }

  async send(request: PreparedRequest, _options: SendOptions): Promise<Response> {
    this.sends++;
    const headers: Record<string, string> = {};
    for (const [k, v] of request.headers) headers[k] = v;
    return new Promise<Response>((resolve, reject) => {
      const req = https.request(
        request.url,
        { method: request.method, headers, agent: this.agent },
        (res) => {
          const body: BodySource = {
            [Symbol.asyncIterator]: () => res[Symbol.asyncIterator](),
            cancel: () => {
              res.destroy();
            },
          };
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
          }
          resolve(
            new Response({
              statusCode: res.statusCode ?? 0,
              headers: h,
              url: request.url,
              request,
              httpVersion: '1.1',
              body,
            }),
          );
        },
      );
      req.on('error', (err) => reject(new ConnectionError(err.message, { request, cause: err })));
      req.end(request.body instanceof Uint8Array ? request.body : undefined);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.agent.adopted.values()) s.destroy();
    this.agent.destroy();
  }
}

/** The same, and it adopts the Http2Adapter's probe socket. */
export class AdoptingH1Adapter extends FakeH1Adapter implements SocketAdopter {
  adoptions: string[] = [];

  adoptSocket(origin: string, socket: tls.TLSSocket): boolean {
    this.adoptions.push(origin);
    (socket as Socket).on('error', () => {});
    this.agent.adopted.set(origin, socket);
    return true;
  }
}
