import type { Adapter } from '@sess/core';
import type { MockHandler } from '../mock-adapter.js';
import { type AdapterCapabilities, missing, type Need } from './capabilities.js';
import { createHandlerTarget, type HandlerTarget } from './handler.js';
import { type ServerTarget, startConformanceServer, type Target, TLS_FILES } from './servers.js';

/** What the suite hands `makeAdapter`. */
export interface ConformanceKit {
  /**
   * Answers the suite's routes in-process, the way its servers do. An
   * adapter without network (capability `network: false`) is built on it:
   * `(kit) => new MockAdapter(kit.handler)`. Network adapters ignore it.
   */
  readonly handler: MockHandler;
  /** PEM path of the CA behind the suite's TLS and HTTP/2 servers (the suite passes it as `verify`). */
  readonly caFile: string;
}

/** Builds a fresh adapter; the suite makes one per check and closes it afterwards. */
export type MakeAdapter = (kit: ConformanceKit) => Adapter | Promise<Adapter>;

/** The vitest functions the suite registers with (loaded lazily: vitest is an optional peer). */
export type Vitest = Pick<typeof import('vitest'), 'describe' | 'it' | 'beforeAll' | 'afterAll'>;

/** How the suite runs, besides capabilities. */
export interface ConformanceOptions {
  /**
   * Checks known to fail, by id (the title before the colon, e.g.
   * `'interim 100'`), each with why. They run as `it.fails`: the suite stays
   * green while the bug is open and turns red once it is fixed, so the entry
   * gets removed. An id that names no check is a TypeError.
   */
  knownFailures?: Readonly<Record<string, string>>;
}

/** What a check body receives. */
export interface CheckContext {
  /** Skips the check at run time, with the reason in the report (e.g. the platform cannot stage it). */
  skip(reason: string): void;
}

/** Where the suite's requests go, started in `beforeAll`. */
export interface Env {
  /** Every check's default target: an h1 server, an h2 server (capability http2), or the handler. */
  readonly main: Target;
  /** `main` when it is a server. */
  readonly server: ServerTarget | undefined;
  /** An https server: an HTTP/1.1 one, or `main` with http2. `undefined` without tls or network. */
  readonly tls: ServerTarget | undefined;
}

/** One registered run of the suite: capabilities, targets, and how to make adapters. */
export class Suite {
  readonly caps: Readonly<AdapterCapabilities>;
  readonly kit: ConformanceKit;
  readonly #vitest: Vitest;
  readonly #make: MakeAdapter;
  readonly #handlerTarget: HandlerTarget;
  #env: Env | undefined;
  readonly #servers: ServerTarget[] = [];
  readonly #knownFailures: ReadonlyMap<string, string>;
  readonly #ids = new Set<string>();

  constructor(
    caps: Readonly<AdapterCapabilities>,
    vitest: Vitest,
    make: MakeAdapter,
    options: ConformanceOptions = {},
  ) {
    this.caps = caps;
    this.#vitest = vitest;
    this.#make = make;
    this.#knownFailures = new Map(Object.entries(options.knownFailures ?? {}));
    this.#handlerTarget = createHandlerTarget();
    this.kit = Object.freeze({ handler: this.#handlerTarget.handler, caFile: TLS_FILES.ca });
  }

  get env(): Env {
    if (!this.#env)
      throw new Error('adapterConformance: the servers are not started (beforeAll has not run)');
    return this.#env;
  }

  /** Servers of the protocol the adapter speaks, or the handler target. */
  async setUp(): Promise<void> {
    const caps = this.caps;
    if (!caps.network) {
      this.#env = { main: this.#handlerTarget, server: undefined, tls: undefined };
      return;
    }
    const main = await this.#start(caps.http2 ? 'h2' : 'h1');
    const tls = caps.http2 ? main : caps.tls ? await this.#start('h1-tls') : undefined;
    this.#env = { main, server: main, tls };
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.#servers.splice(0).map((s) => s.close()));
  }

  async #start(kind: 'h1' | 'h1-tls' | 'h2'): Promise<ServerTarget> {
    const s = await startConformanceServer(kind);
    this.#servers.push(s);
    return s;
  }

  /** A fresh adapter from `makeAdapter`. */
  async make(): Promise<Adapter> {
    return await this.#make(this.kit);
  }

  /** Runs `fn` with a fresh adapter and closes the adapter afterwards, whatever happened. */
  async withAdapter<T>(fn: (adapter: Adapter) => Promise<T>): Promise<T> {
    const adapter = await this.make();
    try {
      return await fn(adapter);
    } finally {
      await adapter.close();
    }
  }

  /**
   * Registers one check: `it('id: title')`, or, when a need is missing,
   * `it.skip('id: skipped, <why>')` so the report says why it did not run.
   */
  check(id: string, title: string, needs: readonly Need[], fn: (t: CheckContext) => Promise<void>): void {
    this.#ids.add(id);
    const why = missing(this.caps, needs);
    const { it } = this.#vitest;
    if (why !== undefined) {
      it.skip(`${id}: skipped, ${why}`, () => {});
      return;
    }
    const known = this.#knownFailures.get(id);
    const body = async (ctx: { skip(note?: string): void }) => {
      await fn({ skip: (reason) => ctx.skip(reason) });
    };
    if (known === undefined) it(`${id}: ${title}`, body);
    else it.fails(`${id}: ${title} [known failure: ${known}]`, body);
  }

  /** Throws for a knownFailures id that named no check (a typo would hide nothing and fail nothing). */
  assertKnownFailuresExist(): void {
    const unknown = [...this.#knownFailures.keys()].filter((id) => !this.#ids.has(id));
    if (unknown.length > 0) {
      throw new TypeError(
        `adapterConformance: knownFailures names no check: ${unknown.join(', ')}; ids: ${[...this.#ids].join(', ')}`,
      );
    }
  }
}
