/**
 * sess with its observability switched on, for scenario (a): the logging
 * plugin at levels that write nothing, and a diagnostics_channel subscriber.
 * The plain `sess` row is the case without either (no plugin, no subscriber).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type LoggerLike, logging } from '@sess/plugin-logging';
import { sessDef } from './sess.js';

/** A pino-compatible logger that drops everything, as pino does below its level. */
const NOOP_LOGGER: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * `level: 'silent'`: `logging()` returns a plugin without `send`, so the
 * chain skips it; the row shows that this costs nothing per request.
 */
export const sessLoggingSilent = sessDef('sess (logging, silent)', {
  prepare(s) {
    const plugin = logging({ level: 'silent' });
    if ('send' in plugin) throw new Error("logging({ level: 'silent' }) has a send: update the row's notes");
    s.use(plugin);
  },
});

/**
 * Level `info` (the default), the logger dropping the records: every 200 is
 * timed, turned into a redacted record and handed to the logger. The cost of
 * logging to a pino logger set above info, I/O aside.
 */
export const sessLoggingNoop = sessDef('sess (logging, info, no-op logger)', {
  prepare(s) {
    s.use(logging({ logger: NOOP_LOGGER }));
  },
});

/** Level `error`: every request goes through the plugin's send, a 200 builds no record. */
export const sessLoggingError = sessDef('sess (logging, error: none built)', {
  prepare(s) {
    s.use(logging({ logger: NOOP_LOGGER, level: 'error' }));
  },
});

const CHANNELS = ['sess:request:create', 'sess:request:headers', 'sess:request:end', 'sess:request:error'];
const noop = (): void => {};
const subscribeAll = (fn: (message: unknown) => void): void => {
  for (const name of CHANNELS) subscribe(name, fn);
};
const unsubscribeAll = (fn: (message: unknown) => void): void => {
  for (const name of CHANNELS) unsubscribe(name, fn);
};

/**
 * A no-op subscriber on each of the four `sess:request:*` channels, so
 * every hop builds and publishes its messages. Subscribed only during this
 * row's turns: a subscriber is process-wide, and would otherwise be paid for
 * by every sess row.
 */
export const sessDiagnostics = sessDef('sess (diagnostics subscribed)', {
  async prepare(s, origin) {
    // One request with a counting subscriber: are these the channels sess publishes on?
    let published = 0;
    const count = (): void => {
      published++;
    };
    subscribeAll(count);
    try {
      await s.get(`${origin}/json`);
    } finally {
      unsubscribeAll(count);
    }
    if (published !== 3)
      throw new Error(
        `a GET published ${published} sess:request:* messages, expected 3 (create, headers, end)`,
      );
  },
  activate: () => subscribeAll(noop),
  deactivate: () => unsubscribeAll(noop),
});
