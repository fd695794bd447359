import { afterEach } from 'vitest';
import { Http2Adapter, type Http2AdapterOptions } from '../../src/index.js';
import { type H2ServerOptions, type H2TestServer, type StreamHandler, startH2 } from './h2-server.js';

/**
 * Per-file bookkeeping: servers and adapters made through it are closed
 * after each test, so a failing test leaves nothing behind for the next.
 */
export function harness() {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    const all = closers.splice(0).reverse();
    for (const close of all) await close();
  });
  return {
    async serve(handler: StreamHandler, options?: H2ServerOptions): Promise<H2TestServer> {
      const s = await startH2(handler, options);
      closers.push(() => s.close());
      return s;
    },
    adapter(options?: Http2AdapterOptions): Http2Adapter {
      const a = new Http2Adapter(options);
      closers.push(() => a.close());
      return a;
    },
    /** Anything else with a close(). */
    track<T extends { close(): Promise<unknown> }>(thing: T): T {
      closers.push(() => thing.close());
      return thing;
    },
  };
}
