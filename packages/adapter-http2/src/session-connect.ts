import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ConnectFailure, isTlsError } from './errors.js';
import { openTunnel, type PendingTunnel } from './tunnel.js';

/** Everything needed to open one session to one origin. */
export interface ConnectPlan {
  /** `https://host:port` or `http://host:port` (h2c). */
  readonly origin: URL;
  /** TLS options from `verify` and `cert`. */
  readonly tls: Readonly<tls.ConnectionOptions>;
  /** Tunnel through this proxy, with this `Proxy-Authorization`. */
  readonly proxy: { readonly url: URL; readonly authorization: string | undefined } | undefined;
  /** Our SETTINGS. */
  readonly settings: http2.Settings;
  /** `timeout.connect` of the request that started the attempt. */
  readonly timeout: number | undefined;
}

/** An attempt's outcome: an HTTP/2 session that has the server's SETTINGS, or a server that chose HTTP/1.1. */
export type Connected =
  | { readonly kind: 'h2'; readonly session: http2.ClientHttp2Session; readonly socket: net.Socket }
  | { readonly kind: 'h1'; readonly socket: tls.TLSSocket };

/** A connection attempt under way. */
export interface ConnectAttempt {
  /** Rejects with a ConnectFailure. */
  readonly result: Promise<Connected>;
  /** Gives the attempt up and destroys whatever it opened. */
  cancel(): void;
}

/** The connection window we open per session: room for many streams in flight at once. */
const SESSION_WINDOW = 4 * 1024 * 1024;

/**
 * Opens a session: TCP, or a CONNECT tunnel; TLS with ALPN `h2` /
 * `http/1.1` (not for h2c); then HTTP/2, and waits for the server's first
 * SETTINGS frame, so the stream limit is known before any request is put
 * on it. All of it runs under one `timeout` (a server that never sends
 * SETTINGS fails with ConnectFailure('timeout')).
 */
export function startConnect(plan: ConnectPlan): ConnectAttempt {
  const { origin } = plan;
  const host = origin.hostname.replace(/^\[|\]$/g, '');
  const port = Number(origin.port) || (origin.protocol === 'https:' ? 443 : 80);
  let stage = plan.proxy ? 'opening the proxy tunnel' : 'connecting';
  let tunnel: PendingTunnel | undefined;
  let socket: net.Socket | undefined;
  let session: http2.ClientHttp2Session | undefined;
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  let fail: (err: unknown) => void = () => {};

  const teardown = () => {
    if (timer) clearTimeout(timer);
    tunnel?.cancel();
    session?.destroy();
    socket?.destroy();
  };

  const run = async (): Promise<Connected> => {
    if (plan.proxy) {
      tunnel = openTunnel({
        proxy: plan.proxy.url,
        authority: `${origin.hostname}:${port}`,
        proxyAuthorization: plan.proxy.authorization,
        tls: plan.tls,
      });
      socket = await tunnel.socket;
      if (settled) {
        socket.destroy();
        throw new ConnectFailure('connection', 'The connection attempt was given up');
      }
    } else if (origin.protocol === 'http:') {
      socket = net.connect({ host, port });
      await connected(socket, 'connect');
    }
    if (origin.protocol === 'https:') {
      stage = 'in the TLS handshake';
      const secure = tls.connect({
        ...plan.tls,
        ...(socket ? { socket } : { port }),
        host,
        // SNI carries names only (RFC 6066 §3); Node warns on an IP.
        ...(net.isIP(host) ? {} : { servername: host }),
        ALPNProtocols: ['h2', 'http/1.1'],
      });
      socket = secure;
      await connected(secure, 'secureConnect');
      if (secure.alpnProtocol !== 'h2') return { kind: 'h1', socket: secure };
    }
    stage = "waiting for the server's SETTINGS";
    const transport = socket as net.Socket;
    const s = http2.connect(origin.origin, { settings: plan.settings, createConnection: () => transport });
    session = s;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      const onClose = () => reject(new Error('The connection closed before the server sent SETTINGS'));
      s.once('remoteSettings', () => {
        s.off('error', onError);
        s.off('close', onClose);
        transport.off('error', onError);
        resolve();
      });
      s.once('error', onError);
      s.once('close', onClose);
      // A socket error (a TLS alert after the handshake: a client certificate refused) destroys the
      // session without it ever emitting 'error' or 'close'; the socket's own event is the only sign.
      transport.once('error', onError);
    });
    // Ask for the larger connection window at once; streams keep their own (smaller) windows.
    try {
      s.setLocalWindowSize(SESSION_WINDOW);
    } catch {
      // A session that closed meanwhile is found out by its owner.
    }
    return { kind: 'h2', session: s, socket: transport };
  };

  const result = new Promise<Connected>((resolve, reject) => {
    fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      teardown();
      reject(classify(err, origin, stage));
    };
    if (plan.timeout !== undefined) {
      const ms = plan.timeout;
      timer = setTimeout(
        () =>
          fail(
            new ConnectFailure('timeout', `Connecting to ${origin.host} timed out after ${ms} ms ${stage}`),
          ),
        ms,
      );
    }
    run().then((value) => {
      if (settled) {
        if (value.kind === 'h2') value.session.destroy();
        else value.socket.destroy();
        return;
      }
      settled = true;
      if (timer) clearTimeout(timer);
      resolve(value);
    }, fail);
  });
  return {
    result,
    cancel: () => fail(new ConnectFailure('connection', 'The connection attempt was given up')),
  };
}

/** Waits for `event`; an error or close first rejects. Our listeners are gone afterwards. */
function connected(socket: net.Socket, event: 'connect' | 'secureConnect'): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      socket.off(event, onOk);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const onOk = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('The connection closed during the handshake'));
    };
    socket.once(event, onOk);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

function classify(err: unknown, origin: URL, stage: string): ConnectFailure {
  if (err instanceof ConnectFailure) return err;
  const detail = (err as Error | null)?.message || String(err);
  if (isTlsError(err)) {
    return new ConnectFailure('tls', `TLS error connecting to ${origin.host}: ${detail}`, { cause: err });
  }
  return new ConnectFailure('connection', `Connecting to ${origin.host} failed ${stage}: ${detail}`, {
    cause: err,
  });
}
