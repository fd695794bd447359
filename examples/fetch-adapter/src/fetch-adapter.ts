import type { Adapter, BodySource, PreparedRequest, SendOptions } from '@sess/core';
import {
  abortReason,
  ChunkedEncodingError,
  ConnectionError,
  Headers,
  ReadTimeoutError,
  Response,
  SSLError,
} from '@sess/core';

/** Why our own controller fired: the read clock ran out. */
const SILENCE = Symbol('read timeout');

/**
 * A sess transport on the global `fetch` (undici inside Node): one hop (`redirect: 'manual'`), no
 * cookies, the body handed over unread, failures as sess's error classes. fetch undoes
 * Content-Encoding itself, so the body goes to core as `decoded`.
 */
export class FetchAdapter implements Adapter {
  async send(request: PreparedRequest, options: SendOptions): Promise<Response> {
    const { signal, timeout } = options;
    if (signal?.aborted) throw abortReason(signal, request);
    // One controller stops fetch: the session's signal (abort, deadline) or our read clock.
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    const release = () => signal?.removeEventListener('abort', stop);
    // The read clock runs only while we wait for the server (with fetch, connecting included).
    const wait = <T>(step: Promise<T>): Promise<T> => {
      const ms = timeout.read;
      const timer = ms === undefined ? undefined : setTimeout(() => controller.abort(SILENCE), ms);
      return step.finally(() => clearTimeout(timer));
    };
    const fail = (err: unknown, inBody: boolean) => {
      release();
      if (signal?.aborted) return abortReason(signal, request);
      if (controller.signal.reason === SILENCE)
        return new ReadTimeoutError(`No data from the server for ${timeout.read} ms`, { request });
      const code = String((err as { cause?: { code?: unknown } }).cause?.code ?? '');
      const [message, opts] = [`${(err as Error).message} ${code}`.trim(), { request, cause: err }];
      if (/CERT|SSL|TLS/.test(code)) return new SSLError(message, opts);
      return inBody ? new ChunkedEncodingError(message, opts) : new ConnectionError(message, opts);
    };
    const t0 = performance.now();
    // undici's fetch streams an AsyncIterable body, pulling a chunk whenever it can send one.
    const init = { method: request.method, body: request.body, duplex: 'half', redirect: 'manual' };
    const headers = [...request.headers.rawEntries()];
    const res = await wait(
      fetch(request.url, { ...init, headers, signal: controller.signal } as RequestInit),
    ).catch((err: unknown) => Promise.reject(fail(err, false)));
    const out = new Headers();
    for (const [name, value] of res.headers) if (name !== 'set-cookie') out.append(name, value);
    for (const cookie of res.headers.getSetCookie()) out.append('Set-Cookie', cookie);
    // The length the server declared is that of the encoded body, not of what fetch yields.
    if (out.has('content-encoding')) out.delete('content-length');
    // No body (HEAD, 204, 304): an empty stream, so the same code releases the signal listener.
    const reader = (res.body ?? new ReadableStream({ start: (c) => c.close() })).getReader();
    const body: BodySource = {
      async *[Symbol.asyncIterator]() {
        try {
          for (let s = await wait(reader.read()); !s.done; s = await wait(reader.read())) yield s.value;
        } catch (err) {
          throw fail(err, true);
        } finally {
          release();
        }
      },
      // Never rejects: cancelling a stream that already failed must not replace that failure.
      cancel: () => reader.cancel().then(release, release),
    };
    const status = { statusCode: res.status, reason: res.statusText, url: request.url, request };
    return new Response({ ...status, headers: out, body, decoded: true, elapsed: performance.now() - t0 });
  }

  /** fetch's connections live in Node's global pool: there is nothing of ours to release. */
  async close(): Promise<void> {}
}
