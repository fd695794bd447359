/**
 * The contract every benchmarked client implements, over HTTP/1.1 or HTTP/2
 * alike. A new row (another library, a configuration of sess) is one module
 * exporting a `ClientDef`, added to a list in `clients/index.ts` or to a
 * scenario's `clients` (`scenarios.ts`).
 */

/** How a GET's body is read: parsed as JSON, or taken whole as bytes. */
export type BodyKind = 'json' | 'bytes';

/** One client, set up against one origin. Every call reads the whole body before resolving. */
export interface BenchClient {
  /**
   * GET `path` (it starts with `/`). Resolves to the parsed JSON, or to the
   * body's byte length for `bytes`. Rejects on a status other than 200.
   */
  get(path: string, as: BodyKind): Promise<unknown>;
  /** POST `body` as JSON (Content-Type: application/json) and resolve to the parsed JSON answer. */
  postJson(path: string, body: unknown): Promise<unknown>;
  /** Releases the client's connections. */
  close(): Promise<void>;
  /**
   * Process-wide state this row needs only while it runs (a
   * diagnostics_channel subscriber): the runner calls `activate` before each
   * of the row's turns (warm-up included) and `deactivate` after, so that the
   * other rows do not pay for it.
   */
  activate?(): void;
  deactivate?(): void;
}

/** A named client factory: each scenario sets up its own instance, so no state leaks between them. */
export interface ClientDef {
  /** The row's label in the tables, e.g. `got` or `sess (timeout)`. */
  readonly name: string;
  /**
   * Creates a client for `origin` that sends `headers` with every request:
   * the headers sess sends, so that the server does the same work for every
   * client. For the HTTP/1.1 scenarios `origin` is `http://127.0.0.1:<port>`;
   * for the HTTP/2 one it is `https://127.0.0.1:<port>` (trust `lib/tls.ts`'s
   * CA, speak h2: the server refuses HTTP/1.1) and `headers` leaves out
   * `Connection`, which HTTP/2 forbids.
   */
  setup(origin: string, headers: Readonly<Record<string, string>>): BenchClient | Promise<BenchClient>;
}

/** Thrown by clients on an unexpected status, so a broken row fails loudly instead of measuring errors. */
export function badStatus(client: string, status: number): Error {
  return new Error(`${client}: expected status 200, got ${status}`);
}
