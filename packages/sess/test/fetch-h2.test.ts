import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Http2Adapter } from '@sess/adapter-http2';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../../core/src/fetch/index.js';
import { deferred, within } from './fetch-server.js';

/**
 * session.fetch goes through whatever the session has mounted: here an
 * HTTP/2 adapter (h2c) for one origin, with a body that streams frame by
 * frame and cookies the session's jar keeps.
 */
let server: Http2Server;
let origin: string;
const gate = deferred();
let stalled = false;
beforeAll(async () => {
  server = createServer();
  server.on('stream', async (stream, headers) => {
    const path = headers[':path'];
    if (path === '/ndjson') {
      stream.respond({
        ':status': 200,
        'content-type': 'application/x-ndjson',
        'set-cookie': ['h2=yes; Path=/'],
      });
      stream.write('{"n":1}\n');
      // The second line only once the client has read the first: a buffering fetch would stall here.
      if (!(await within(gate.promise, 5000))) stalled = true;
      stream.end('{"n":2}\n');
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(JSON.stringify({ cookie: headers.cookie ?? null, team: headers['x-team'] ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('session.fetch over an HTTP/2 mount', () => {
  it('streams NDJSON line by line, keeps the cookie, sends it and the session header back', async () => {
    await using s = new Session();
    s.mount(origin, new Http2Adapter({ h2c: true }));
    s.headers.set('X-Team', 'sess');
    const fetch = createFetch(s);

    const res = await fetch(`${origin}/ndjson`);
    expect(res.status).toBe(200);
    expect([...res.headers.keys()].some((k) => k.startsWith(':'))).toBe(false);
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('{"n":1}\n');
    gate.resolve();
    let rest = '';
    for (let step = await reader.read(); !step.done; step = await reader.read()) rest += step.value;
    expect(rest).toBe('{"n":2}\n');
    expect(stalled).toBe(false);

    const echo = (await (await fetch(`${origin}/echo`)).json()) as { cookie: string; team: string };
    expect(echo).toEqual({ cookie: 'h2=yes', team: 'sess' });
  });
});
