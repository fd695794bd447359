import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import { FLAG, FRAME, type Frame, FrameReader, frame, settingsFrame } from './frames.js';

/** How a hand-written HTTP/2 server behaves. */
export interface RawBehaviour {
  /** Our SETTINGS, sent after the client preface; `null` sends none at all (and acks nothing). */
  settings?: ReadonlyArray<readonly [number, number]> | null;
  /** Leave PING unanswered (a dead peer). */
  ignorePing?: boolean;
  /** A HEADERS frame opened a stream. */
  onRequest?(conn: RawConnection, streamId: number): void;
  /** Any frame (after the defaults above ran). */
  onFrame?(conn: RawConnection, f: Frame): void;
}

export interface RawConnection {
  socket: net.Socket;
  /** Writes, unless the socket is gone; false when the kernel buffer is full. */
  write(buf: Buffer): boolean;
}

export interface RawServer {
  port: number;
  /** `http://127.0.0.1:port` (h2c by prior knowledge). */
  origin: string;
  sockets: net.Socket[];
  /** Bytes written to clients so far. */
  readonly written: number;
  close(): Promise<void>;
}

/** A TCP server speaking HTTP/2 frames by hand (cleartext, prior knowledge). */
export async function startRawH2(behaviour: RawBehaviour): Promise<RawServer> {
  const sockets: net.Socket[] = [];
  let written = 0;
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    const reader = new FrameReader();
    const conn: RawConnection = {
      socket,
      write(buf) {
        if (socket.destroyed) return false;
        written += buf.length;
        return socket.write(buf);
      },
    };
    let greeted = false;
    socket.on('data', (data: Buffer) => {
      const frames = reader.push(data);
      if (reader.sawPreface && !greeted) {
        greeted = true;
        if (behaviour.settings !== null) conn.write(settingsFrame(behaviour.settings ?? []));
      }
      for (const f of frames) {
        if (behaviour.settings !== null && f.type === FRAME.SETTINGS && !(f.flags & FLAG.ACK)) {
          conn.write(frame(FRAME.SETTINGS, FLAG.ACK, 0));
        }
        if (f.type === FRAME.PING && !(f.flags & FLAG.ACK) && !behaviour.ignorePing) {
          conn.write(frame(FRAME.PING, FLAG.ACK, 0, f.payload));
        }
        if (f.type === FRAME.HEADERS) behaviour.onRequest?.(conn, f.streamId);
        behaviour.onFrame?.(conn, f);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    sockets,
    get written() {
      return written;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A plain TCP server on 127.0.0.1 (for peers that do not speak HTTP/2 at all). */
export async function startRawServer(onSocket: (socket: net.Socket) => void): Promise<RawServer> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    sockets,
    written: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
