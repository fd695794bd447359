import { readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Session } from 'sess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `new Session({ http2: true })`: https origins negotiate h2 by ALPN, an
 * origin that picks HTTP/1.1 goes to the undici adapter on the probe's own
 * connection, and cookies, auth and redirects behave the same across both.
 */
const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../adapter-http2/test/fixtures/${name}`, import.meta.url)));
const tls = { key: fixture('server.key'), cert: fixture('server.pem') };
const ca = fileURLToPath(new URL('../../adapter-http2/test/fixtures/ca.pem', import.meta.url));

interface Counted {
  origin: string;
  connections: number;
  handshakes: number;
  close(): Promise<void>;
}

async function listen(server: https.Server | http2.Http2SecureServer): Promise<Counted> {
  const counted = { connections: 0, handshakes: 0 } as Counted;
  server.on('connection', () => counted.connections++);
  server.on('secureConnection', () => counted.handshakes++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  counted.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  counted.close = () =>
    new Promise<void>((r) => {
      (server as https.Server).closeAllConnections?.();
      server.close(() => r());
    });
  return counted;
}

function reply(version: string, path: string, headers: Record<string, string | string[] | undefined>) {
  return JSON.stringify({
    version,
    path,
    cookie: headers.cookie ?? null,
    auth: headers.authorization ?? null,
  });
}

let h2: Counted;
let h1: Counted;
beforeAll(async () => {
  const h2server = http2.createSecureServer({ ...tls, allowHTTP1: false }, (req, res) => {
    if (req.url === '/login') {
      res.setHeader('Set-Cookie', 'sid=h2; Path=/');
      res.end(reply('2', req.url, req.headers));
    } else if (req.url === '/to-h1') {
      res.writeHead(302, { Location: `${h1.origin}/landed` });
      res.end();
    } else res.end(reply('2', req.url, req.headers));
  });
  h2 = await listen(h2server);
  h1 = await listen(https.createServer(tls, (req, res) => res.end(reply('1.1', req.url ?? '', req.headers))));
});
afterAll(async () => {
  await h2.close();
  await h1.close();
});

describe('Session({ http2: true })', () => {
  it('one session mixes an h2 host and an h1 host; cookies and auth behave the same', async () => {
    await using s = new Session({ http2: true });
    s.verify = ca;
    const login = await s.get(`${h2.origin}/login`);
    expect(login.httpVersion).toBe('2');
    expect(login.json()).toMatchObject({ version: '2' });
    const again = await s.get(`${h2.origin}/me`, { auth: ['u', 'p'] });
    expect(again.json()).toMatchObject({ version: '2', cookie: 'sid=h2', auth: `Basic ${btoa('u:p')}` });
    const other = await s.get(`${h1.origin}/x`);
    expect(other.httpVersion).toBe('1.1');
    // RFC 6265 cookies belong to the host, not the port: the same jar serves both transports.
    expect(other.json()).toMatchObject({ version: '1.1', cookie: 'sid=h2' });
  });

  it('a redirect from the h2 host to the h1 host drops Authorization (another port)', async () => {
    await using s = new Session({ http2: true });
    s.verify = ca;
    const res = await s.get(`${h2.origin}/to-h1`, { auth: ['u', 'p'] });
    expect(res.history.map((r) => r.httpVersion)).toEqual(['2']);
    expect(res.json()).toMatchObject({ version: '1.1', path: '/landed', auth: null });
  });

  it('an h1-only https origin costs one ALPN handshake for 50 requests, not one per request', async () => {
    const before = { connections: h1.connections, handshakes: h1.handshakes };
    await using s = new Session({ http2: true });
    s.verify = ca;
    for (let i = 0; i < 50; i++) {
      const r = await s.get(`${h1.origin}/n${i}`);
      expect(r.httpVersion).toBe('1.1');
    }
    // The probe's socket is handed to the undici adapter: one TCP connection, one TLS handshake.
    expect(h1.connections - before.connections).toBe(1);
    expect(h1.handshakes - before.handshakes).toBe(1);
  });

  it('refuses an http2 option of the wrong type', () => {
    expect(() => new Session({ http2: 'yes' as never })).toThrow(/http2 must be/);
  });
});
