import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Context } from './context.js';
import { echoHeaders } from './echo.js';
import { type Route, route } from './router.js';

function compressed(flag: string, encoding: string, compress: (data: Buffer) => Buffer) {
  return (ctx: Context): void => {
    const doc = {
      [flag]: true,
      headers: echoHeaders(ctx.req.rawHeaders),
      method: ctx.method,
      origin: ctx.origin,
    };
    const body = compress(Buffer.from(`${JSON.stringify(doc, null, 2)}\n`));
    ctx.send(200, body, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
  };
}

/** /gzip, /deflate (zlib-wrapped, as httpbin sends it) and /brotli: compressed JSON whatever the client accepts. */
export const encodingRoutes: readonly Route[] = [
  route('/gzip', compressed('gzipped', 'gzip', gzipSync), ['GET']),
  route('/deflate', compressed('deflated', 'deflate', deflateSync), ['GET']),
  route('/brotli', compressed('brotli', 'br', brotliCompressSync), ['GET']),
];
