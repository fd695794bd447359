import {
  AbortError,
  ChunkedEncodingError,
  ConnectionError,
  ConnectTimeoutError,
  PoolTimeoutError,
  ProxyError,
  ReadTimeoutError,
  RequestError,
  SessionClosedError,
  SSLError,
} from '@sess/core';

/** The counter a failure is charged to; `undefined`: it is never retried. */
export type FailureKind = 'connect' | 'read' | 'other';

/** Socket codes of a connection that was never made: nothing of the request left the process. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** The transport itself was closed: retrying cannot help. */
const CLOSED = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'ERR_HTTP2_INVALID_SESSION']);

/**
 * Which counter a failure counts against (urllib3's `_is_connection_error`
 * and `_is_read_error`), or `undefined` when it must not be retried:
 *
 * - connect: ConnectTimeoutError, PoolTimeoutError, and a ConnectionError
 *   (a ProxyError included) whose cause says no connection was made
 *   (refused, unreachable, DNS): the request never reached the server.
 * - read: ReadTimeoutError, ChunkedEncodingError, and any other
 *   ConnectionError (a reset after the request was written): the server may
 *   have seen it, so only allowed methods are retried.
 * - other: a ProxyError that is not about connecting (the proxy failed the
 *   tunnel), except 407 (credentials will not change).
 * - never: AbortError, the session's TimeoutError (its deadline),
 *   SessionClosedError, a closed adapter, SSLError (a certificate problem
 *   does not go away), invalid URLs and headers, bodies too large, and
 *   anything that is not a sess error.
 */
export function classifyError(err: unknown): FailureKind | undefined {
  if (!(err instanceof RequestError)) return undefined;
  if (err instanceof AbortError || err instanceof SessionClosedError || err instanceof SSLError)
    return undefined;
  if (err instanceof ConnectTimeoutError || err instanceof PoolTimeoutError) return 'connect';
  if (err instanceof ReadTimeoutError || err instanceof ChunkedEncodingError) return 'read';
  if (!(err instanceof ConnectionError)) return undefined;
  const codes = causeCodes(err);
  if (codes.some((c) => CLOSED.has(c)) || /\badapter (is|was) closed\b/i.test(err.message)) return undefined;
  if (codes.some((c) => NOT_CONNECTED.has(c))) return 'connect';
  if (err instanceof ProxyError) return /\b407\b/.test(err.message) ? undefined : 'other';
  return 'read';
}

/** The string `code`s along an error's cause chain (and inside AggregateErrors), nearest first. */
function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  const queue: unknown[] = [err];
  for (let i = 0; i < queue.length && i < 16; i++) {
    const e = queue[i] as { code?: unknown; cause?: unknown; errors?: unknown } | null;
    if (typeof e !== 'object' || e === null) continue;
    if (typeof e.code === 'string') codes.push(e.code);
    if (e.cause !== undefined) queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  return codes;
}
