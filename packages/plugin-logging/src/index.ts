/**
 * @sess/plugin-logging: `logging(options)` writes one redacted, structured
 * record per hop to a pino-compatible logger (or JSON lines to stderr);
 * `har(options)` records the traffic as HAR 1.2; `debugFromEnv()` turns
 * `SESS_DEBUG=1` into a debug logger.
 */
export { CURL_BODY_LIMIT, curlLine, shellQuote } from './curl.js';
export { debugFromEnv } from './debug-env.js';
export type { HarOptions, HarRecorder } from './har.js';
export { har } from './har.js';
export type {
  Har,
  HarContent,
  HarCookie,
  HarEntry,
  HarLog,
  HarNameValue,
  HarPostData,
  HarRequest,
  HarResponse,
  HarTimings,
} from './har-types.js';
export type { LevelSetting, LogLevel, Outcome } from './levels.js';
export { DEFAULT_LEVELS } from './levels.js';
export type { LoggedError, LoggingOptions, LoggingPlugin, LogRecord } from './logging.js';
export { logging } from './logging.js';
export type { RedactOptions, Secrets } from './redact.js';
export { DEFAULT_REDACT_HEADERS, DEFAULT_REDACT_QUERY, REDACTED, Redactor } from './redact.js';
export type { LineDestination, LoggerLike } from './sink.js';
export { VERSION } from './version.js';
