import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { DigestNonces } from './digest.js';
import type { FormValues } from './form-values.js';
import { groupPairs } from './form-values.js';
import { type ParsedBody, parseBody, readRequestBody } from './request-body.js';

/** What lives as long as one server: its scheme and the digest nonces it handed out. */
export interface ServerState {
  scheme: 'http' | 'https';
  /** `127.0.0.1:PORT`, for requests that carry no Host header (HTTP/1.0). */
  authority: string;
  digest: DigestNonces;
}

/**
 * One request being answered: the parsed URL, lazy body parsing, and the
 * response helpers every route uses. `signal` fires when the client goes away
 * before the response is complete, so routes that wait can stop waiting.
 */
export class Context {
  readonly url: URL;
  readonly signal: AbortSignal;
  #body: Promise<ParsedBody> | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly state: ServerState,
  ) {
    const controller = new AbortController();
    this.signal = controller.signal;
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const target = req.url ?? '/';
    // Origin-form (`/path`) is resolved against the Host; absolute-form (a proxy request) is kept as sent.
    // Concatenating instead of `new URL(target, base)` keeps `//x` a path instead of a host.
    this.url = target.startsWith('/')
      ? new URL(`${state.scheme}://${req.headers.host ?? state.authority}${target}`)
      : new URL(target);
  }

  get method(): string {
    return this.req.method ?? 'GET';
  }

  /** The query string, httpbin-style. */
  get args(): FormValues {
    return groupPairs(this.url.searchParams);
  }

  /** The client's address (httpbin's `origin`); X-Forwarded-For wins, as in httpbin. */
  get origin(): string {
    const forwarded = this.req.headers['x-forwarded-for'];
    return (
      (Array.isArray(forwarded) ? forwarded.join(', ') : forwarded) ?? this.req.socket.remoteAddress ?? ''
    );
  }

  /** The body, read and parsed once however many times a route asks. */
  body(): Promise<ParsedBody> {
    this.#body ??= readRequestBody(this.req).then((raw) => parseBody(raw, this.req.headers['content-type']));
    return this.#body;
  }

  /** Waits `ms`, or rejects as soon as the client disconnects (the timer is cleared, nothing lingers). */
  sleep(ms: number): Promise<void> {
    return delay(ms, undefined, { signal: this.signal });
  }

  /** Sends a complete response with Content-Length (none for 204 and 304, which never have a body). */
  send(status: number, body: string | Uint8Array, headers: OutgoingHttpHeaders = {}): void {
    if (status === 204 || status === 304) {
      this.res.writeHead(status, headers);
      this.res.end();
      return;
    }
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.res.writeHead(status, { 'Content-Length': bytes.byteLength, ...headers });
    this.res.end(bytes);
  }

  /** Sends `value` as indented JSON, the way httpbin prints it. */
  json(value: unknown, status = 200, headers: OutgoingHttpHeaders = {}): void {
    this.send(status, `${JSON.stringify(value, null, 2)}\n`, {
      'Content-Type': 'application/json',
      ...headers,
    });
  }

  /** A redirect with a small HTML body, so clients have something to drain before following it. */
  redirect(location: string, status = 302, headers: OutgoingHttpHeaders = {}): void {
    const html = `<!doctype html>\n<title>Redirecting...</title>\n<p>Redirecting to ${escapeHtml(location)}</p>\n`;
    this.send(status, html, { Location: location, 'Content-Type': 'text/html; charset=utf-8', ...headers });
  }

  /** An error answer in JSON, e.g. for bad parameters. */
  fail(status: number, message: string, headers: OutgoingHttpHeaders = {}): void {
    this.json({ error: message }, status, headers);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
