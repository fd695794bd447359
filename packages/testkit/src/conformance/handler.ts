import { type PreparedRequest, ReplayableBody, type SendOptions } from '@sess/core';
import type { MockHandler, MockReply } from '../mock-adapter.js';
import { answer, groupLines, notFound, PATHS, type Reply, type SeenRequest, Trackers } from './routes.js';
import { type Target, urlFor } from './servers.js';

/** The made-up origin the suite uses for an adapter without network. */
export const HANDLER_ORIGIN = 'http://adapter-conformance.test';

/** The in-process stand-in for the servers: a Target whose requests a MockHandler answers. */
export interface HandlerTarget extends Target {
  readonly kind: 'handler';
  /** Answers the suite's routes like its servers do; give it to the adapter under test. */
  readonly handler: MockHandler;
}

function toMockReply(reply: Reply): MockReply {
  // Repeated names become one array, in order: how MockReply expresses several lines.
  return { status: reply.status, headers: groupLines(reply.headers, false), body: reply.body };
}

/** The body as sent, when it can be read again (bytes, a ReplayableBody); `null` otherwise. */
async function replayBody(request: PreparedRequest): Promise<Uint8Array | null> {
  const body = request.body;
  if (body === null) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  if (!(body instanceof ReplayableBody)) return null;
  const parts: Uint8Array[] = [];
  for await (const p of body) parts.push(p);
  return new Uint8Array(Buffer.concat(parts));
}

/** Resolves when `signal` fires; never without one. */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Builds the handler target. Routes that need a socket (upload, download, interim, truncated) answer 404. */
export function createHandlerTarget(): HandlerTarget {
  const log: SeenRequest[] = [];
  const trackers = new Trackers();
  const handler: MockHandler = async (request: PreparedRequest, options: SendOptions) => {
    const u = new URL(request.url);
    const target = u.pathname + u.search;
    const tracker = trackers.of(target);
    const headers = [...request.headers.rawEntries()];
    const seen: SeenRequest = { method: request.method, target, headers, body: await replayBody(request) };
    log.push(seen);
    tracker?.receive(seen);
    const signal = options.signal;
    if (u.pathname === PATHS.never) {
      // The adapter stops waiting when the signal fires; the handler lets go then too.
      await aborted(signal);
      tracker?.close(false);
      return new Promise<never>(() => {});
    }
    if (u.pathname === PATHS.stallBody) {
      async function* body(): AsyncGenerator<Uint8Array> {
        yield new Uint8Array(16 * 1024).fill(1);
        await aborted(signal);
        tracker?.close(false);
      }
      return {
        status: 200,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(1024 * 1024) },
        body: body(),
      };
    }
    tracker?.close(true);
    return toMockReply(answer(seen) ?? notFound(seen));
  };
  return {
    kind: 'handler',
    origin: HANDLER_ORIGIN,
    log,
    handler,
    track: () => trackers.create(),
    url: (path, tracker, query) => urlFor(HANDLER_ORIGIN, path, tracker, query),
  };
}
