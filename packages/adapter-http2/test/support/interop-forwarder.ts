import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

/**
 * What the forwarder saw on one TCP connection. With `parseH2` (cleartext
 * h2c only: TLS bytes are opaque), the HTTP/2 frame headers are read in
 * both directions, so streams in flight are counted on the wire, between
 * the client and the server.
 */
export interface ForwardedConnection {
  /** 1-based, in accept order. */
  readonly id: number;
  /** The first byte from the client was a TLS handshake record (a ClientHello). */
  tlsClientHello: boolean;
  /** Streams the client opened (HEADERS on a new stream id). */
  streamsOpened: number;
  /** Streams open now: opened, and not yet ended by both sides nor reset. */
  inFlight: number;
  /** The most streams open at once on this connection. */
  peakInFlight: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS the server advertised, if it did. */
  serverMaxConcurrentStreams: number | undefined;
  /** Protocol errors of the parser (none expected). */
  parseErrors: string[];
}

export interface Forwarder {
  /** Port on 127.0.0.1 to point the client at. */
  readonly port: number;
  /** Connections accepted (each one a TCP connect by the client). */
  readonly accepted: number;
  /** Connections open right now. */
  readonly open: number;
  /** Every connection, in accept order. */
  readonly connections: readonly ForwardedConnection[];
  /** Destroys every forwarded connection and stops listening. */
  close(): Promise<void>;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const SETTINGS = 0x4;
const END_STREAM = 0x1;
const ACK = 0x1;
const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;

interface StreamState {
  clientEnded: boolean;
  serverEnded: boolean;
}

/** Reads HTTP/2 frame headers off one direction of a connection, chunk by chunk. */
class FrameReader {
  #buffer: Buffer = Buffer.alloc(0);
  #prefaceLeft: number;

  constructor(
    expectPreface: boolean,
    private readonly onFrame: (type: number, flags: number, streamId: number, payload: Buffer) => void,
    private readonly onError: (message: string) => void,
  ) {
    this.#prefaceLeft = expectPreface ? PREFACE.length : 0;
  }

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (this.#prefaceLeft > 0) {
      const n = Math.min(this.#prefaceLeft, this.#buffer.length);
      const offset = PREFACE.length - this.#prefaceLeft;
      if (!this.#buffer.subarray(0, n).equals(PREFACE.subarray(offset, offset + n))) {
        this.onError('bad client preface');
      }
      this.#prefaceLeft -= n;
      this.#buffer = this.#buffer.subarray(n);
    }
    while (this.#buffer.length >= 9) {
      const length = this.#buffer.readUIntBE(0, 3);
      if (this.#buffer.length < 9 + length) break;
      const type = this.#buffer[3]!;
      const flags = this.#buffer[4]!;
      const streamId = this.#buffer.readUInt32BE(5) & 0x7fffffff;
      // Only SETTINGS payloads are read; copy so the big buffer can go.
      const payload = type === SETTINGS ? Buffer.from(this.#buffer.subarray(9, 9 + length)) : Buffer.alloc(0);
      this.#buffer = this.#buffer.subarray(9 + length);
      this.onFrame(type, flags, streamId, payload);
    }
  }
}

/**
 * A TCP forwarder on 127.0.0.1 in front of `targetPort`: the client connects
 * to it and it opens one connection to the target per accepted socket, so
 * `accepted` is exactly the number of TCP connections (and TLS handshakes)
 * the client made, whatever the server behind it is.
 */
export async function startForwarder(
  targetPort: number,
  options: { parseH2?: boolean } = {},
): Promise<Forwarder> {
  const sockets = new Set<Socket>();
  const connections: ForwardedConnection[] = [];
  let open = 0;
  const server = createServer((client) => {
    const info: ForwardedConnection = {
      id: connections.length + 1,
      tlsClientHello: false,
      streamsOpened: 0,
      inFlight: 0,
      peakInFlight: 0,
      serverMaxConcurrentStreams: undefined,
      parseErrors: [],
    };
    connections.push(info);
    open++;
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let closed = 0;
    const onClose = () => {
      closed++;
      if (closed === 2) open--;
    };
    for (const [s, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      s.on('error', () => other.destroy());
      s.on('close', () => {
        sockets.delete(s);
        other.destroy();
        onClose();
      });
    }
    let first = true;
    client.on('data', (chunk: Buffer) => {
      if (first) {
        first = false;
        info.tlsClientHello = chunk[0] === 0x16;
      }
    });
    if (options.parseH2) tapH2(client, upstream, info);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    get accepted() {
      return connections.length;
    },
    get open() {
      return open;
    },
    connections,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Counts streams in flight on an h2c connection from the frame headers both ways. */
function tapH2(client: Socket, upstream: Socket, info: ForwardedConnection): void {
  const streams = new Map<number, StreamState>();
  const settle = (id: number, state: StreamState) => {
    if (state.clientEnded && state.serverEnded) drop(id);
  };
  const drop = (id: number) => {
    if (streams.delete(id)) info.inFlight--;
  };
  const error = (message: string) => info.parseErrors.push(message);
  const fromClient = new FrameReader(
    true,
    (type, flags, id) => {
      if (type === HEADERS && id !== 0) {
        let state = streams.get(id);
        if (!state) {
          if (id % 2 === 0) return error(`client HEADERS on even stream ${id}`);
          state = { clientEnded: false, serverEnded: false };
          streams.set(id, state);
          info.streamsOpened++;
          info.inFlight++;
          info.peakInFlight = Math.max(info.peakInFlight, info.inFlight);
        }
        if (flags & END_STREAM) state.clientEnded = true;
        settle(id, state);
      } else if (type === DATA && flags & END_STREAM) {
        const state = streams.get(id);
        if (state) {
          state.clientEnded = true;
          settle(id, state);
        }
      } else if (type === RST_STREAM) {
        drop(id);
      }
    },
    error,
  );
  const fromServer = new FrameReader(
    false,
    (type, flags, id, payload) => {
      if (type === SETTINGS && !(flags & ACK)) {
        for (let i = 0; i + 6 <= payload.length; i += 6) {
          if (payload.readUInt16BE(i) === SETTINGS_MAX_CONCURRENT_STREAMS) {
            info.serverMaxConcurrentStreams = payload.readUInt32BE(i + 2);
          }
        }
      } else if ((type === HEADERS || type === DATA) && flags & END_STREAM) {
        const state = streams.get(id);
        if (state) {
          state.serverEnded = true;
          settle(id, state);
        }
      } else if (type === RST_STREAM) {
        drop(id);
      }
    },
    error,
  );
  client.on('data', (chunk: Buffer) => fromClient.push(chunk));
  upstream.on('data', (chunk: Buffer) => fromServer.push(chunk));
}
