import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What `send` observed: status, headers both parsed and raw, every body chunk as it arrived. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  chunks: Buffer[];
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface SendInit extends RequestOptions {
  /** Sent in one write; an array is sent as separate writes (chunked when no Content-Length is given). */
  body?: string | Buffer | Array<string | Buffer>;
}

/**
 * One request through node:http(s), with nothing decoded or followed: the
 * tests look at exactly what the server put on the wire.
 */
export function send(url: string, init: SendInit = {}): Promise<RawResponse> {
  const { body, ...options } = init;
  const make = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = make(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: all,
          chunks,
          text: all.toString('utf8'),
          json: <T>() => JSON.parse(all.toString('utf8')) as T,
        });
      });
    });
    req.on('error', reject);
    for (const piece of Array.isArray(body) ? body : body === undefined ? [] : [body]) req.write(piece);
    req.end();
  });
}

/** Every value of a response header, in order (Set-Cookie included). */
export function headerValues(res: RawResponse, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    if (res.rawHeaders[i]?.toLowerCase() === name.toLowerCase()) out.push(res.rawHeaders[i + 1] ?? '');
  }
  return out;
}
