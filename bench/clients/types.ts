/**
 * The contract every benchmarked client implements. A new row (an HTTP/2
 * client, `session.fetch`, another library) is one module exporting a
 * `ClientDef`, added to the list in `clients/index.ts`.
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
}

/** A named client factory: each scenario sets up its own instance, so no state leaks between them. */
export interface ClientDef {
  /** The row's label in the tables, e.g. `got` or `sess (timeout)`. */
  readonly name: string;
  /**
   * Creates a client for `origin` (`http://127.0.0.1:<port>`) that sends
   * `headers` with every request: the headers sess sends, so that the server
   * does the same work for every client.
   */
  setup(origin: string, headers: Readonly<Record<string, string>>): BenchClient | Promise<BenchClient>;
}

/** Thrown by clients on an unexpected status, so a broken row fails loudly instead of measuring errors. */
export function badStatus(client: string, status: number): Error {
  return new Error(`${client}: expected status 200, got ${status}`);
}
