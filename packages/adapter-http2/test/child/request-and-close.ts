/**
 * Run by lifecycle.test.ts in a child process: makes requests and then
 * must exit on its own (no process.exit): nothing the adapter created may
 * keep the event loop alive, after close() or, with `idle`, without it
 * (idle sessions are unref'd).
 *
 * argv: <https origin> <h2c origin> <CA bundle path> <close|idle>
 */
import { Request } from '@sess/core';
import { Http2Adapter } from '../../src/index.js';

const [httpsOrigin, h2cOrigin, ca, mode] = process.argv.slice(2) as [string, string, string, string];
const adapter = new Http2Adapter({ h2c: true, pingInterval: 1000 });
const options = {
  stream: true,
  timeout: { connect: 60_000, read: 60_000 },
  deadline: undefined,
  signal: undefined,
  verify: ca,
  cert: null,
  proxies: {},
  extensions: {},
};
const get = async (url: string) => (await adapter.send(await new Request({ url }).prepare(), options)).read();

const secure = await Promise.all([1, 2, 3].map(() => get(`${httpsOrigin}/secure`)));
const plain = await get(`${h2cOrigin}/plain`);
const big = await get(`${httpsOrigin}/big`);
if (mode === 'close') await adapter.close();
console.log(
  JSON.stringify({
    secure: secure.map((b) => new TextDecoder().decode(b)),
    plain: new TextDecoder().decode(plain),
    big: big.byteLength,
  }),
);
