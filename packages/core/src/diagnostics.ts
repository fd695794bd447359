import { channel } from 'node:diagnostics_channel';
import type { PreparedRequest } from './prepared-request.js';
import type { Response } from './response.js';

/**
 * `node:diagnostics_channel` events for every hop, in undici's naming style,
 * for tracing (OpenTelemetry) and metrics without a plugin. Each message is
 * `{ request, response?, error? }` (read `response.timings` for phases).
 * Publishing is skipped entirely while nobody subscribes: the cost for
 * everyone else is one property read per event.
 */
export interface RequestDiagnosticsMessage {
  request: PreparedRequest;
  response?: Response;
  error?: unknown;
}

/** A hop is about to be sent (plugins and adapter next). */
export const requestCreate = channel('sess:request:create');
/** A hop's response headers are in (before the body is read). */
export const requestHeaders = channel('sess:request:headers');
/** A hop is done: its body read (or handed over, with `stream: true`) and its cookies stored. */
export const requestEnd = channel('sess:request:end');
/** A hop failed. */
export const requestError = channel('sess:request:error');

/** One hop with its events published: create, headers, end, or error. */
export async function tracedHop(
  request: PreparedRequest,
  send: () => Promise<Response>,
  settle: (response: Response) => Response | Promise<Response>,
): Promise<Response> {
  if (requestCreate.hasSubscribers) requestCreate.publish({ request } satisfies RequestDiagnosticsMessage);
  try {
    const headersIn = await send();
    if (requestHeaders.hasSubscribers)
      requestHeaders.publish({ request, response: headersIn } satisfies RequestDiagnosticsMessage);
    const response = await settle(headersIn);
    if (requestEnd.hasSubscribers)
      requestEnd.publish({ request, response } satisfies RequestDiagnosticsMessage);
    return response;
  } catch (error) {
    if (requestError.hasSubscribers)
      requestError.publish({ request, error } satisfies RequestDiagnosticsMessage);
    throw error;
  }
}

/** Whether anyone subscribes to any of the channels (four property reads). */
export function tracing(): boolean {
  return (
    requestCreate.hasSubscribers ||
    requestHeaders.hasSubscribers ||
    requestEnd.hasSubscribers ||
    requestError.hasSubscribers
  );
}
