/** The levels a record can have, lowest first (pino's names). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** A threshold: records below it are not emitted; `silent` emits none. */
export type LevelSetting = LogLevel | 'silent';

/** What happened to one hop. */
export type Outcome = 'success' | 'redirect' | 'clientError' | 'serverError' | 'error';

export const LEVEL_RANK: Readonly<Record<LevelSetting, number>> = {
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  silent: Number.POSITIVE_INFINITY,
};

/** info for 1xx-3xx, warn for 4xx, error for 5xx and errors. */
export const DEFAULT_LEVELS: Readonly<Record<Outcome, LogLevel>> = {
  success: 'info',
  redirect: 'info',
  clientError: 'warn',
  serverError: 'error',
  error: 'error',
};

export function outcomeOf(status: number | undefined): Outcome {
  if (status === undefined) return 'error';
  if (status >= 500) return 'serverError';
  if (status >= 400) return 'clientError';
  if (status >= 300) return 'redirect';
  return 'success';
}

export function checkLevel(value: unknown, where: string): asserts value is LevelSetting {
  if (typeof value !== 'string' || !(value in LEVEL_RANK))
    throw new TypeError(
      `${where} must be one of ${Object.keys(LEVEL_RANK).join(', ')}, got ${String(value)}`,
    );
}
