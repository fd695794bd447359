import type { Response as CoreResponse } from '../response.js';
import { toWebHeaders } from './headers.js';
import { ResponseBody } from './response-body.js';
import type { FetchAbort } from './signal.js';

// Statuses whose responses have no body (fetch's "null body status"): the constructor refuses one.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** What the global Response constructor cannot be told: set by fetch itself on the real thing. */
interface FetchMeta {
  readonly url: string;
  readonly redirected: boolean;
  /** A status outside 200..599 (a 999 from some servers), which the constructor refuses. */
  readonly status: number | undefined;
}

// The global Response's own members, for what FetchResponse does not change.
const base = Response.prototype;
const getter = (name: string) =>
  Object.getOwnPropertyDescriptor(base, name)?.get as (this: Response) => unknown;
const baseStatus = getter('status') as (this: Response) => number;
const baseOk = getter('ok') as (this: Response) => boolean;
const baseBody = getter('body') as (this: Response) => ReadableStream<Uint8Array> | null;
const baseBodyUsed = getter('bodyUsed') as (this: Response) => boolean;
type BodyMethod = (this: Response) => Promise<unknown>;
const baseMethod = (name: string) => (base as unknown as Record<string, BodyMethod | undefined>)[name];
const utf8 = new TextDecoder();
// A Response dropped unread would hold its connection (and a throw-away session) for ever.
const unread = new FinalizationRegistry<ResponseBody>((body) => body.abandon());

/**
 * A global `Response` (`instanceof Response` holds) with what only fetch
 * can set: `url`, `redirected`, `type` ('basic', as undici's), and a
 * status outside 200..599; `clone()` keeps them. Its body stays in the
 * core response until read (see ResponseBody); a clone's body is a plain
 * stream, read by the base class. The members are put on the prototype:
 * the global typings declare them as plain properties, which a subclass
 * may not redeclare as accessors.
 */
class FetchResponse extends Response {
  readonly #meta: FetchMeta;
  /** The lazily read body; `undefined`: the base class holds the body (a clone's branch, or none). */
  readonly #lazy: ResponseBody | undefined;

  constructor(init: ResponseInit, meta: FetchMeta, body: ResponseBody | ReadableStream<Uint8Array> | null) {
    super(body instanceof ResponseBody ? null : body, init);
    this.#meta = meta;
    this.#lazy = body instanceof ResponseBody ? body : undefined;
  }

  static {
    // The base constructor reads some of these before the fields are set: it gets the base's answers.
    const meta = (r: FetchResponse) => (#meta in r ? r.#meta : undefined);
    const lazy = (r: FetchResponse) => (#lazy in r ? r.#lazy : undefined);
    /** A body reader: from the lazy body when there is one, else the base class's. */
    const reader = (name: string, read: (bytes: Uint8Array, r: FetchResponse) => unknown) => ({
      async value(this: FetchResponse) {
        const body = lazy(this);
        if (body) return read(await body.bytes(), this);
        return baseMethod(name)?.call(this);
      },
      writable: true,
      configurable: true,
    });
    // blob() and formData() are rare: a plain Response over the bytes gives fetch's exact answers.
    const viaPlain = (name: string) =>
      reader(name, (bytes, r) => baseMethod(name)?.call(new Response(bytes, { headers: r.headers })));

    Object.defineProperties(FetchResponse.prototype, {
      url: { get: getterOf((r) => meta(r)?.url ?? '') },
      redirected: { get: getterOf((r) => meta(r)?.redirected ?? false) },
      type: { get: () => 'basic' },
      status: { get: getterOf((r) => meta(r)?.status ?? baseStatus.call(r)) },
      ok: {
        get: getterOf((r) => {
          const s = meta(r)?.status;
          return s === undefined ? baseOk.call(r) : s >= 200 && s <= 299;
        }),
      },
      body: { get: getterOf((r) => lazy(r)?.stream ?? baseBody.call(r)) },
      bodyUsed: { get: getterOf((r) => lazy(r)?.disturbed ?? baseBodyUsed.call(r)) },
      text: reader('text', (bytes) => utf8.decode(bytes)),
      json: reader('json', (bytes) => JSON.parse(utf8.decode(bytes))),
      arrayBuffer: reader('arrayBuffer', ownBuffer),
      bytes: reader('bytes', (bytes) => new Uint8Array(ownBuffer(bytes))),
      blob: viaPlain('blob'),
      formData: viaPlain('formData'),
      clone: {
        value(this: FetchResponse): Response {
          const body = lazy(this);
          // The base clone tees the body and returns a plain Response: its half is rewrapped.
          const twin = body ? undefined : (base.clone.call(this) as Response);
          const init = { status: baseStatus.call(this), statusText: this.statusText, headers: this.headers };
          return new FetchResponse(init, this.#meta, body ? body.tee() : (twin?.body ?? null));
        },
        writable: true,
        configurable: true,
      },
    });
  }
}

function getterOf<T>(fn: (r: FetchResponse) => T): (this: FetchResponse) => T {
  return function (this: FetchResponse) {
    return fn(this);
  };
}

/** An ArrayBuffer holding exactly `bytes`: theirs when they fill it, else a copy (a pooled chunk shares one). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (byteOffset === 0 && byteLength === buffer.byteLength && buffer instanceof ArrayBuffer) return buffer;
  return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
}

/**
 * The global Response for a core response received with `stream: true`.
 * HEAD and null-body statuses get a null body and the connection back at
 * once. `done` is called once, when the body is finished with.
 */
export function toWebResponse(
  res: CoreResponse,
  method: string,
  abort: FetchAbort,
  done: () => void,
): Response {
  const status = res.statusCode;
  let body: ResponseBody | null = null;
  if (method === 'HEAD' || NULL_BODY.has(status)) {
    abort.release();
    void res
      .close()
      .catch(() => {})
      .finally(done);
  } else body = new ResponseBody(res, abort, done);
  const inRange = status >= 200 && status <= 599;
  const meta: FetchMeta = {
    url: res.url,
    redirected: res.history.some((h) => h.isRedirect),
    status: inRange ? undefined : status,
  };
  const init: ResponseInit = {
    status: inRange ? status : 200,
    statusText: res.reason,
    headers: toWebHeaders(res.headers),
  };
  let response: FetchResponse;
  try {
    response = new FetchResponse(init, meta, body);
  } catch {
    // A reason phrase the constructor refuses (a control character): the status still counts.
    response = new FetchResponse({ ...init, statusText: '' }, meta, body);
  }
  if (body) unread.register(response, body);
  return response;
}
