import { type LoggingOptions, type LoggingPlugin, logging } from './logging.js';

const OFF = /^(|0|false|no|off)$/i;

/**
 * `SESS_DEBUG=1` (any value but empty, 0, false, no, off): a logging plugin
 * at debug level writing JSON lines to stderr, headers and curl lines
 * included, secrets redacted. `undefined` otherwise. The `sess` Session
 * calls it in its constructor: `const d = debugFromEnv(); if (d) this.use(d);`
 */
export function debugFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: Omit<LoggingOptions, 'level'> = {},
): LoggingPlugin | undefined {
  const value = env.SESS_DEBUG;
  if (value === undefined || OFF.test(value.trim())) return undefined;
  return logging({ ...options, level: 'debug' });
}
