/**
 * A tiny HTTP/2 frame writer and reader, for servers that misbehave in ways
 * node:http2 will not (RFC 9113 §4.1: a 9-byte header, then the payload).
 */

export const FRAME = {
  DATA: 0,
  HEADERS: 1,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

export const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4 } as const;

export const SETTING = { MAX_CONCURRENT_STREAMS: 0x3, INITIAL_WINDOW_SIZE: 0x4 } as const;

/** The client connection preface (RFC 9113 §3.4). */
export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export interface Frame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

export function frame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array = Buffer.alloc(0),
): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.byteLength, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

export function settingsFrame(entries: ReadonlyArray<readonly [number, number]> = []): Buffer {
  const payload = Buffer.alloc(entries.length * 6);
  entries.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, i * 6);
    payload.writeUInt32BE(value, i * 6 + 2);
  });
  return frame(FRAME.SETTINGS, 0, 0, payload);
}

/** HPACK integer with an N-bit prefix (RFC 7541 §5.1), first byte's high bits from `mask`. */
function int(value: number, prefix: number, mask = 0): number[] {
  const max = (1 << prefix) - 1;
  if (value < max) return [mask | value];
  const out = [mask | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest & 127) | 128);
    rest >>= 7;
  }
  out.push(rest);
  return out;
}

function str(s: string): Buffer {
  const b = Buffer.from(s, 'latin1');
  return Buffer.concat([Buffer.from(int(b.length, 7)), b]);
}

/** A literal header field without indexing, new name (RFC 7541 §6.2.2); no Huffman. */
export function literal(name: string, value: string): Buffer {
  return Buffer.concat([Buffer.from([0]), str(name), str(value)]);
}

/** A header block: `:status` then the fields, all as literals. */
export function headerBlock(status: number, fields: ReadonlyArray<readonly [string, string]> = []): Buffer {
  return Buffer.concat([literal(':status', String(status)), ...fields.map(([n, v]) => literal(n, v))]);
}

/** Splits a byte stream into frames, after the client preface. */
export class FrameReader {
  #buf = Buffer.alloc(0);
  #preface = false;

  push(data: Buffer): Frame[] {
    this.#buf = Buffer.concat([this.#buf, data]);
    if (!this.#preface) {
      if (this.#buf.length < PREFACE.length) return [];
      this.#buf = this.#buf.subarray(PREFACE.length);
      this.#preface = true;
    }
    const frames: Frame[] = [];
    while (this.#buf.length >= 9) {
      const len = this.#buf.readUIntBE(0, 3);
      if (this.#buf.length < 9 + len) break;
      frames.push({
        type: this.#buf[3] as number,
        flags: this.#buf[4] as number,
        streamId: this.#buf.readUInt32BE(5) & 0x7fffffff,
        payload: this.#buf.subarray(9, 9 + len),
      });
      this.#buf = this.#buf.subarray(9 + len);
    }
    return frames;
  }

  get sawPreface(): boolean {
    return this.#preface;
  }
}
