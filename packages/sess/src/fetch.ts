import { type SessFetchInit, sessionFetch } from '@sess/core';
import { Session } from './session.js';

/**
 * A WHATWG fetch on a throw-away Session (the functional API's way): the
 * `sess` defaults (User-Agent, pooled undici, a cookie jar that follows
 * redirects), then nothing is remembered. The session is closed once the
 * call no longer needs it: when the response body has been read to the
 * end, has errored or was cancelled (never before: the body streams from
 * the session's connection), at once for a response without a body, and
 * on failure. An unread body keeps its connection (and this session) open
 * until the Response is garbage-collected, as with the global fetch: read
 * it or `await res.body?.cancel()`.
 */
export function fetch(input: string | URL | Request, init?: SessFetchInit): Promise<Response> {
  const session = new Session();
  return sessionFetch(session, input, init, {
    onDone: () => void session.close().catch(() => {}),
  });
}
