/**
 * Run by lifecycle.test.ts in a child process: makes requests, closes the
 * adapter, and must then exit on its own (no process.exit): nothing the
 * adapter created may keep the event loop alive.
 *
 * argv: <http origin> <https origin> <CA bundle path>
 */
import { Request } from '@sess/core';
import { UndiciAdapter } from '../../src/index.js';

const [httpOrigin, httpsOrigin, ca] = process.argv.slice(2) as [string, string, string];
const adapter = new UndiciAdapter();
const options = {
  stream: false,
  timeout: { connect: 60_000, read: 60_000, total: 60_000 },
  verify: ca,
  cert: null,
  proxies: {},
  deadline: undefined,
  signal: undefined,
  extensions: {},
};

const plain = await adapter.send(await new Request({ url: `${httpOrigin}/plain` }).prepare(), options);
const secure = await adapter.send(await new Request({ url: `${httpsOrigin}/secure` }).prepare(), options);
const streamed = await adapter.send(await new Request({ url: `${httpOrigin}/streamed` }).prepare(), {
  ...options,
  stream: true,
});
const streamedBody = await streamed.read();
// The adapter hands bodies over unread (core reads them): read them as the session would.
await plain.read();
await secure.read();
await adapter.close();
console.log(JSON.stringify({ plain: plain.text, secure: secure.text, streamed: streamedBody.byteLength }));
