import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Adapter,
  type BodySource,
  ConnectionError,
  type PreparedRequest,
  Response,
  type SendOptions,
} from '../../src/index.js';

/**
 * The smallest real transport, for core's tests of what core owns (decoding,
 * size limits, truncation): node:http, one hop, the body handed over raw.
 * Core cannot depend on @sess/adapter-undici, so its tests bring this.
 */
export class NodeHttpAdapter implements Adapter {
  readonly #agent = new http.Agent({ keepAlive: true });

  send(request: PreparedRequest, options: SendOptions): Promise<Response> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of request.headers) headers[k] = v;
      const req = http.request(request.url, {
        method: request.method,
        headers,
        agent: this.#agent,
        signal: options.signal,
      });
      req.on('error', (cause) => reject(new ConnectionError(cause.message, { request, cause })));
      req.on('response', (res) => {
        const source: BodySource = {
          [Symbol.asyncIterator]: () => res[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>,
          cancel: () => void res.destroy(),
        };
        const raw: string[] = res.rawHeaders;
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string]);
        resolve(
          new Response({
            statusCode: res.statusCode ?? 0,
            reason: res.statusMessage,
            headers: pairs,
            url: request.url,
            request,
            body: source,
          }),
        );
      });
      if (request.body instanceof Uint8Array) req.end(request.body);
      else req.end();
    });
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }
}

/** A node:http server on 127.0.0.1 and its origin. */
export async function httpServer(
  handler: http.RequestListener,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
