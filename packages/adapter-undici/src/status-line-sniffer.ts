import { isUtf8 } from 'node:buffer';
import type { Socket } from 'node:net';
import type { buildConnector } from 'undici';

type Connector = buildConnector.connector;
type ConnectorResult = Parameters<buildConnector.Callback>;

/** A status line whose reason is not valid UTF-8: undici's form of the reason, and its bytes read as latin-1. */
interface Garbled {
  code: number;
  utf8: string;
  latin1: string;
}

/** Status lines kept per connection at most; older ones are dropped (a lookup then falls back). */
const MAX_KEPT = 8;
/** Where every HTTP/1.x status line starts. A Buffer: `indexOf` with it is native and allocates nothing. */
const PREFIX = Buffer.from('HTTP/1.', 'latin1');
/** Its first byte, `H`: searching for one byte is native memchr, cheaper still than searching for `PREFIX`. */
const H = 0x48;
/** `HTTP/1.x NNN `: the reason starts right after. */
const REASON_AT = 13;
const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** `chunk` holds `HTTP/1.x NNN ` at `at` (whose `H` is known). Bytes past the end read as undefined: no. */
function isStatusLine(chunk: Buffer, at: number): boolean {
  for (let i = 1; i < PREFIX.length; i++) if (chunk[at + i] !== PREFIX[i]) return false;
  return (
    isDigit(chunk[at + 7]) &&
    chunk[at + 8] === SP &&
    isDigit(chunk[at + 9]) &&
    isDigit(chunk[at + 10]) &&
    isDigit(chunk[at + 11]) &&
    chunk[at + 12] === SP
  );
}

/**
 * Reads the reason of the status line at `at`; one that is not valid UTF-8
 * is kept in `kept`. Returns where it ends. Nothing is allocated unless the
 * reason has a byte >= 0x80. A status line split over two chunks is passed
 * over (the exchange then falls back to the standard phrase).
 */
function reason(chunk: Buffer, at: number, kept: Garbled[]): number {
  const start = at + REASON_AT;
  const length = chunk.length;
  let end = start;
  let high = false;
  for (; end < length; end++) {
    const b = chunk[end]!;
    if (b === CR || b === LF) break;
    if (b >= 0x80) high = true;
  }
  // Plain ASCII, or the line goes on in the next chunk; valid UTF-8 is what undici decodes right.
  if (!high || end === length || isUtf8(chunk.subarray(start, end))) return end;
  const code = (chunk[at + 9]! - 0x30) * 100 + (chunk[at + 10]! - 0x30) * 10 + (chunk[at + 11]! - 0x30);
  if (kept.length === MAX_KEPT) kept.shift();
  // `toString()` is how undici decodes it (client-h1 onStatus): the form the exchange will be handed.
  kept.push({ code, utf8: chunk.toString('utf8', start, end), latin1: chunk.toString('latin1', start, end) });
  return end;
}

/**
 * Every status line in `chunk`. A chunk without an `H` (most bodies) costs
 * one memchr; after an `H` that starts no status line (text), the rest is
 * searched for the whole prefix, so a chunk full of `H`s stays one search.
 */
function sniff(chunk: Buffer, kept: Garbled[]): void {
  let at = chunk.indexOf(H);
  while (at !== -1) {
    at = isStatusLine(chunk, at) ? chunk.indexOf(H, reason(chunk, at, kept)) : chunk.indexOf(PREFIX, at + 1);
  }
}

/** The sniffer the exchange consults, by the undici Client it was bound to. */
const byClient = new WeakMap<object, StatusLineSniffer>();

/**
 * Recovers latin-1 reason phrases for one undici Client. undici decodes the
 * status line as UTF-8 (client-h1 `onStatus`: `buf.toString()`), so the
 * bytes of `Caf\xE9` reach the exchange as `Caf\uFFFD`, the `\xE9` lost;
 * requests reads the reason as latin-1. undici reads its socket with
 * `socket.read()`, so each socket this client connects (directly, adopted,
 * or through a proxy) gets its `read` wrapped: every chunk undici parses is
 * seen here first, and a status line whose reason is not valid UTF-8 is kept
 * with its latin-1 form (at most MAX_KEPT per connection, gone with it).
 *
 * The sniffer does not parse HTTP: a body may contain text that looks like a
 * status line. That is why a lookup needs both the code and the exact
 * garbled form undici produced: a lookalike can only answer for a response
 * with the same code and the same reason up to its non-UTF-8 bytes, i.e. it
 * can at worst differ in the very characters undici had lost. On a
 * connection without pipelining it cannot even do that: a request is written
 * only once the previous response is done, so each write (`write` is wrapped
 * too) forgets what was read before it, and the first match after it is the
 * response's own status line, which comes before its body. With pipelining
 * (undici sends the next request once the previous response's headers are
 * in) the previous body may still follow that write, hence the bound above.
 * A head split over chunks with a write in between (an upload the server
 * answers early) loses its entry: the standard phrase then, never a wrong one.
 */
export class StatusLineSniffer {
  /** What the current connection's chunks held, oldest first. */
  #kept: Garbled[] = [];

  /** `connect`, with every socket it hands over watched. */
  wrap(connect: Connector): Connector {
    return (options, callback) =>
      connect(options, (...result: ConnectorResult) => {
        const socket = result[1];
        if (socket) this.#watch(socket);
        callback(...result);
      });
  }

  /** Makes this the sniffer `reasonPhrase` consults for `client`. */
  serve(client: object): void {
    byClient.set(client, this);
  }

  /** The latin-1 form of the oldest kept status line with this code and garbled reason; it and older ones are spent. */
  take(code: number, utf8: string): string | undefined {
    const kept = this.#kept;
    const i = kept.findIndex((g) => g.code === code && g.utf8 === utf8);
    if (i === -1) return undefined;
    const { latin1 } = kept[i]!;
    // Responses are parsed in order: what precedes this one on the wire belongs to earlier responses.
    kept.splice(0, i + 1);
    return latin1;
  }

  #watch(socket: Socket): void {
    // A list per connection: an old socket, if ever read again, cannot feed the new one's.
    const kept: Garbled[] = [];
    this.#kept = kept;
    const read = socket.read as (this: Socket, size?: number) => Buffer | string | null;
    const write = socket.write as (this: Socket, ...args: unknown[]) => boolean;
    socket.read = function (this: Socket, size?: number) {
      const chunk = read.call(this, size);
      if (chunk !== null && typeof chunk !== 'string') sniff(chunk, kept);
      return chunk;
    };
    socket.write = function (this: Socket, chunk: unknown, encoding?: unknown, cb?: unknown) {
      if (kept.length !== 0) kept.length = 0;
      return write.call(this, chunk, encoding, cb);
    } as Socket['write'];
  }
}

/**
 * The reason phrase for a response undici reported with `statusMessage` on
 * `client`: as undici decoded it, unless that lost bytes (U+FFFD): then its
 * latin-1 form if the client's sniffer kept it, else `undefined`, so core's
 * standard phrase says more than a garbled one. A reason that is valid UTF-8
 * stays UTF-8 (requests would show it as latin-1 mojibake). Connections not
 * made by the adapter's pools (a caller's dispatcher, the keep-alive-race
 * re-send) have no sniffer: the standard phrase there.
 */
export function reasonPhrase(
  client: object | undefined,
  statusCode: number,
  statusMessage: string | undefined,
): string | undefined {
  if (statusMessage === undefined || !statusMessage.includes('\uFFFD')) return statusMessage;
  return client ? byClient.get(client)?.take(statusCode, statusMessage) : undefined;
}
