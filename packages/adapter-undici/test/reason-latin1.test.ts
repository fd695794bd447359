import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAdapter } from '../src/index.js';
import { prepare, rawServer, send, type TestServer } from './helpers.js';

let server: TestServer | undefined;
let adapter: UndiciAdapter | undefined;

afterEach(async () => {
  await adapter?.close();
  await server?.close();
  adapter = undefined;
  server = undefined;
});

/** A server that answers every request with `statusLine` (raw bytes) and a two-byte body. */
async function answering(statusLine: Uint8Array): Promise<TestServer> {
  server = await rawServer((socket: Socket) => {
    socket.once('data', () => {
      socket.write(statusLine);
      socket.end('\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    });
  });
  return server;
}

/** The reason phrase the adapter hands to core for a status line of these bytes. */
async function reasonFor(statusLine: Uint8Array): Promise<string> {
  const s = await answering(statusLine);
  adapter = new UndiciAdapter();
  const res = await send(adapter, await prepare(`${s.origin}/`));
  expect(res.statusCode).toBe(200);
  return res.reason;
}

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('UndiciAdapter: non-ASCII reason phrases', () => {
  it('an ASCII reason phrase arrives as sent', async () => {
    expect(await reasonFor(latin1('HTTP/1.1 200 Fine'))).toBe('Fine');
  });

  it('a UTF-8 reason phrase arrives decoded (undici decodes the status line as UTF-8)', async () => {
    expect(await reasonFor(new TextEncoder().encode('HTTP/1.1 200 Café'))).toBe('Café');
  });

  it('a latin-1 reason phrase, garbled by undici, is replaced by the standard phrase, never shown as U+FFFD', async () => {
    // undici's client-h1 parser: `onStatus (buf) { this.statusText = buf.toString() }` (UTF-8, lossy):
    // the byte is lost before the adapter sees it, so it falls back to core's phrase for the code.
    expect(await reasonFor(latin1('HTTP/1.1 200 Caf\u00e9'))).toBe('OK');
  });

  // Known failure (undici 7 decodes the status line as UTF-8): flip to `it` once undici keeps latin-1.
  it.fails('wanted: a latin-1 reason phrase (0xE9) arrives as é', async () => {
    expect(await reasonFor(latin1('HTTP/1.1 200 Caf\u00e9'))).toBe('Caf\u00e9');
  });
});
