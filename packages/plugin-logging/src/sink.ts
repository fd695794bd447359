import type { LogLevel } from './levels.js';

/** A pino-compatible logger: `logger.info(obj, msg)` and so on. console works too, printing both. */
export interface LoggerLike {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Where JSON lines go without a logger: anything with `write(line)`; `process.stderr` by default. */
export interface LineDestination {
  write(line: string): unknown;
}

/** Emits one record at `level`. */
export type Emit = (level: LogLevel, record: object, msg: string) => void;

/** A logger's methods, or JSON lines (`{"level","time","msg",...record}`) to `destination`. */
export function makeEmit(logger: LoggerLike | undefined, destination: LineDestination | undefined): Emit {
  if (logger) {
    for (const m of ['debug', 'info', 'warn', 'error'] as const) {
      if (typeof logger[m] !== 'function')
        throw new TypeError(
          `logger must have debug, info, warn and error methods (pino-compatible); ${m} is missing`,
        );
    }
    return (level, record, msg) => logger[level](record, msg);
  }
  const out = destination ?? process.stderr;
  return (level, record, msg) => {
    out.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...record })}\n`);
  };
}
