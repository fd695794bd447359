import { RequestError } from './errors.js';
import { PreparedRequest } from './prepared-request.js';
import { describeRequest } from './redact.js';

const NAMED = Symbol.for('sess.error.named');

/**
 * Appends the request to a sess error's message, once: `… (GET
 * https://host/path?token=[REDACTED])`, credentials and query secrets
 * redacted, so a log line says which call failed without leaking.
 */
export function nameRequest(err: unknown, fallback: PreparedRequest | undefined): void {
  if (!(err instanceof RequestError) || (err as { [NAMED]?: boolean })[NAMED]) return;
  const request = err.request ?? fallback;
  if (!request?.url) return;
  Object.defineProperty(err, NAMED, { value: true });
  // A Request (not prepared yet) holds the URL as given; only its method needs upper-casing.
  const method = request instanceof PreparedRequest ? request.method : String(request.method).toUpperCase();
  const named = describeRequest(method, String(request.url));
  err.message = `${err.message} (${named})`;
  // The stack's first line repeats the message: keep them in step.
  if (err.stack) err.stack = err.stack.replace(/^[^\n]*/, `${err.name}: ${err.message}`);
}

/**
 * An error met while reading a response's body carries that response (and
 * the request it answers), as `new XError(message, { response })` would.
 */
export function attachResponse(err: unknown, response: { request: PreparedRequest }): unknown {
  if (err instanceof RequestError && err.response === undefined) {
    err.response = response as RequestError['response'];
    err.request ??= response.request;
  }
  return err;
}
