/**
 * The endpoints the fetch contract tests use, on a fake server
 * (fetch-server.ts). Each answers just enough to check one point.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { deferred, type Handler, sendJson } from './fetch-server.js';

/** What /echo answers: the request as the server saw it. */
export interface Echo {
  method: string;
  url: string;
  /** [name, value] as on the wire, case kept. */
  headers: Array<[string, string]>;
  body: string;
}

/** Lets a test hold a response body half-sent: /drip sends `first`, then waits for `release()`. */
export interface Drip {
  release(): void;
  /** Resolves when the client went away before the body was finished. */
  closed: Promise<void>;
}

let pendingDrip: { released: Promise<void>; onClose: () => void } | undefined;

/** The next /drip request waits on the returned handle. */
export function armDrip(): Drip {
  const released = deferred();
  const closed = deferred();
  pendingDrip = { released: released.promise, onClose: closed.resolve };
  return { release: released.resolve, closed: closed.promise };
}

function pairs(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

export const routes: Handler = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  if (path === '/echo') {
    const echo: Echo = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: pairs(req.rawHeaders),
      body: body.toString('latin1'),
    };
    return sendJson(res, 200, echo);
  }
  if (path === '/text') {
    res.writeHead(200, 'Fine Thanks', { 'content-type': 'text/plain; charset=utf-8' });
    return res.end('héllo');
  }
  if (path === '/form-out') {
    res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
    return res.end('k=v&x=1');
  }
  if (path === '/bytes') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    return res.end(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
  }
  if (path === '/gzip') {
    const zipped = gzipSync('{"zipped":true}');
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': zipped.length,
    });
    return res.end(zipped);
  }
  if (path === '/headers-out') {
    res.setHeader('X-Zeta', 'last');
    res.setHeader('X-Alpha', 'first');
    res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
    res.setHeader('X-Multi', ['one', 'two']);
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok');
  }
  if (path.startsWith('/status/')) {
    const status = Number(path.slice('/status/'.length));
    res.writeHead(status, { 'x-status': String(status) });
    return res.end();
  }
  if (path === '/redirect') {
    const to = url.searchParams.get('to') ?? '/echo';
    const status = Number(url.searchParams.get('status') ?? '302');
    res.writeHead(status, { location: to, 'content-type': 'text/plain' });
    return res.end(`redirecting to ${to}`);
  }
  if (path === '/drip') {
    const drip = pendingDrip;
    pendingDrip = undefined;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first;');
    if (!drip) return res.end('no drip armed');
    // 'close' before the end: the client went away (an abort or a cancelled body).
    const gone = new Promise<void>((resolve) => res.on('close', resolve));
    res.on('close', () => {
      if (!res.writableFinished) drip.onClose();
    });
    await Promise.race([drip.released, gone]);
    return res.end('second');
  }
  if (path === '/hang') {
    // Never answers; the client must give up by itself.
    return new Promise<void>((resolve) => res.on('close', () => resolve()));
  }
  sendJson(res, 404, { path });
};
