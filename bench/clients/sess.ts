/** sess rows: the batteries-included Session as users get it, and variants of its configuration. */
import { Session } from 'sess';
import { type BenchClient, badStatus, type ClientDef } from './types.js';

/** How a sess row differs from plain `new Session()`. */
export interface SessRow {
  /** Makes the row's Session; `new Session()` by default. */
  readonly session?: () => Session;
  /** Run on the Session once made (a plugin, a filled jar, a timeout); may check it against `origin`. */
  readonly prepare?: (s: Session, origin: string) => void | Promise<void>;
  /** Process-wide state the row needs only while it runs: see `BenchClient.activate`. */
  readonly activate?: () => void;
  readonly deactivate?: () => void;
}

export function sessDef(name: string, row: SessRow = {}): ClientDef {
  return {
    name,
    // sess sends its own default headers: they are the reference the other clients copy.
    async setup(origin): Promise<BenchClient> {
      const s = row.session?.() ?? new Session();
      await row.prepare?.(s, origin);
      const client: BenchClient = {
        async get(path, as) {
          const r = await s.get(origin + path);
          if (r.statusCode !== 200) throw badStatus(name, r.statusCode);
          return as === 'json' ? r.json() : r.content.byteLength;
        },
        async postJson(path, body) {
          const r = await s.post(origin + path, { json: body });
          if (r.statusCode !== 200) throw badStatus(name, r.statusCode);
          return r.json();
        },
        close: () => s.close(),
      };
      if (row.activate) client.activate = row.activate;
      if (row.deactivate) client.deactivate = row.deactivate;
      return client;
    },
  };
}

export const FOREIGN_HOSTS = 200;
export const COOKIES_PER_HOST = 10;

/**
 * A jar like a long-lived crawler's: 2,000 cookies for 200 hosts, none of
 * which matches the benchmark's origin, so every request pays for looking
 * through them and sends only the server's own cookie.
 */
function fillJar(s: Session): void {
  for (let h = 0; h < FOREIGN_HOSTS; h++) {
    for (let c = 0; c < COOKIES_PER_HOST; c++) {
      s.cookies.set(`c${c}`, `value-${h}-${c}-${'v'.repeat(16)}`, { domain: `host${h}.example` });
    }
  }
  const expected = FOREIGN_HOSTS * COOKIES_PER_HOST;
  if (s.cookies.size !== expected)
    throw new Error(`expected ${expected} cookies, jar holds ${s.cookies.size}`);
}

/** `new Session()`, nothing changed. */
export const sess = sessDef('sess');
/** The same, labelled for the cookie scenario where its jar starts empty. */
export const sessEmptyJar = sessDef('sess (empty jar)');
/** A jar pre-filled with 2,000 foreign cookies. */
export const sessFullJar = sessDef('sess (2,000 cookies)', { prepare: fillJar });
/** Every timeout set: what arming and clearing the timers costs per request. */
export const sessTimeout = sessDef('sess (timeout)', {
  prepare(s) {
    s.timeout = { connect: 5000, read: 5000, total: 10000 };
  },
});
