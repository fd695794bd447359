import { gzipSync } from 'node:zlib';

/** One request as a conformance server (or `kit.handler`) received it. */
export interface SeenRequest {
  method: string;
  /** Path and query, as sent. */
  target: string;
  /** Header lines in the order they arrived, names as sent (HTTP/2: lower case, no pseudo-headers). */
  headers: Array<[string, string]>;
  /** The body; `null` when the route does not read it. */
  body: Uint8Array | null;
}

/** What a route answers: status, header lines in order (a name may repeat), the body. */
export interface Reply {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/** The paths the suite uses. Every one takes `?t=TOKEN`, which links the exchange to a Tracker. */
export const PATHS = {
  /** Any method: `{ method, target, headers, body (base64), bodyLength }`. */
  echo: '/cf/echo',
  /** `?status=3xx&to=LOCATION`: that redirect, Location as given. */
  redirect: '/cf/redirect',
  /** Three Set-Cookie lines. */
  setCookies: '/cf/set-cookies',
  /** Repeated, mixed-case, latin1 and Set-Cookie response headers. */
  headers: '/cf/headers',
  /** `?status=204|304|200` with a Content-Length (not for 204) and no body; with HEAD, a 200 like that. */
  noBody: '/cf/no-body',
  /** A gzip body with Content-Encoding: gzip and Content-Length. */
  gzip: '/cf/gzip',
  /** Never answers. */
  never: '/cf/never',
  /** Headers (Content-Length 1 MiB) and 16 KiB of body, then silence. */
  stallBody: '/cf/stall-body',
  /** Reads the body after a pause, counting bytes on the tracker; answers `{ length, sha1 }`. */
  upload: '/cf/upload',
  /** `?n=BYTES`: that many bytes, written with backpressure, counted on the tracker. */
  download: '/cf/download',
  /** `?kind=100|103`: that interim response, then a 200. */
  interim: '/cf/interim',
  /** HTTP/2 only: Content-Length 1000, 100 bytes, then RST_STREAM. */
  truncated: '/cf/truncated',
} as const;

export const SET_COOKIES = [
  'sid=abc123; Path=/; HttpOnly',
  // A comma inside one value: joining and splitting again would break it.
  'expiring=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/',
  'theme=dark; Path=/',
];

/** Response header lines of PATHS.headers, in the order sent. Values are latin1 strings (one char per byte). */
export const RESPONSE_HEADERS: Array<[string, string]> = [
  ['X-Dup', 'first'],
  ['X-Other', 'between'],
  ['X-Dup', 'second'],
  ['Set-Cookie', 'a=1; Path=/'],
  ['X-Dup', 'third'],
  ['Set-Cookie', 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/'],
  ['X-Case', 'MiXeD CaSe VaLuE'],
  ['X-Latin1', 'caf\u00e9 \u00fcber \u00ff'],
  ['X-Spaces', 'a  b\tc'],
];

/** The document PATHS.gzip compresses. */
export const GZIP_TEXT = JSON.stringify({ gzipped: true, filler: 'sess '.repeat(200) });
const GZIP_BODY = new Uint8Array(gzipSync(GZIP_TEXT));

const text = new TextEncoder();

function json(value: unknown, status = 200): Reply {
  return {
    status,
    headers: [['Content-Type', 'application/json']],
    body: text.encode(JSON.stringify(value)),
  };
}

/** What PATHS.echo answers, parsed. */
export interface EchoDocument {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  /** Base64 of the body as received. */
  body: string;
  bodyLength: number;
}

/**
 * The routes that need nothing but the request: answered the same way by
 * every conformance server and by `kit.handler`. `undefined` for other paths.
 */
export function answer(seen: SeenRequest): Reply | undefined {
  const url = new URL(seen.target, 'http://conformance.invalid');
  const q = url.searchParams;
  switch (url.pathname) {
    case PATHS.echo: {
      const body = seen.body ?? new Uint8Array(0);
      const doc: EchoDocument = {
        method: seen.method,
        target: seen.target,
        headers: seen.headers,
        body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'),
        bodyLength: body.byteLength,
      };
      return json(doc);
    }
    case PATHS.redirect:
      return {
        status: Number(q.get('status') ?? 302),
        headers: [
          ['Location', q.get('to') ?? '/'],
          ['Content-Type', 'text/html'],
        ],
        body: text.encode('<a href="elsewhere">redirecting</a>'),
      };
    case PATHS.setCookies:
      return {
        status: 200,
        headers: [
          ...SET_COOKIES.map((c): [string, string] => ['Set-Cookie', c]),
          ['Content-Type', 'text/plain'],
        ],
        body: text.encode('cookies set'),
      };
    case PATHS.headers:
      return { status: 200, headers: [...RESPONSE_HEADERS], body: text.encode('headers') };
    case PATHS.noBody: {
      const status = seen.method === 'HEAD' ? 200 : Number(q.get('status') ?? 204);
      const headers: Array<[string, string]> = [['ETag', '"v1"']];
      // A length the client must not wait for: HEAD and 304 describe a body they do not carry.
      if (status !== 204) headers.push(['Content-Length', '1234'], ['Content-Type', 'text/plain']);
      return { status, headers, body: new Uint8Array(0) };
    }
    case PATHS.gzip:
      return {
        status: 200,
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip'],
        ],
        body: GZIP_BODY,
      };
  }
  return undefined;
}

/** `answer` for an unknown path. */
export function notFound(seen: SeenRequest): Reply {
  return json({ error: `no conformance route for ${seen.target}` }, 404);
}

/** Header lines grouped by name (lower-cased with `lower`), the values of each in order. */
export function groupLines(
  lines: ReadonlyArray<readonly [string, string]>,
  lower: boolean,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of lines) {
    const key = lower ? name.toLowerCase() : name;
    const values = out[key];
    if (values) values.push(value);
    else out[key] = [value];
  }
  return out;
}

/** The token of a request target (`?t=`), if any. */
export function tokenOf(target: string): string | undefined {
  return new URL(target, 'http://conformance.invalid').searchParams.get('t') ?? undefined;
}

/**
 * What the suite can observe of one exchange on the server side. A check
 * makes one with `target.track()` and puts `?t=${token}` on its URL.
 */
export class Tracker {
  readonly token: string;
  /** Request body bytes the route has read so far (PATHS.upload). */
  bytesIn = 0;
  /** Response body bytes the route has written so far (PATHS.download). */
  bytesOut = 0;
  /** Resolves with the request when it reaches the route. */
  readonly received: Promise<SeenRequest>;
  /** Resolves when the exchange is over: `true` if the server finished its response, `false` if the client left first. */
  readonly closed: Promise<boolean>;
  #receive!: (seen: SeenRequest) => void;
  #close!: (finished: boolean) => void;
  #isClosed = false;

  constructor(token: string) {
    this.token = token;
    this.received = new Promise((resolve) => {
      this.#receive = resolve;
    });
    this.closed = new Promise((resolve) => {
      this.#close = resolve;
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** @internal */
  receive(seen: SeenRequest): void {
    this.#receive(seen);
  }

  /** @internal */
  close(finished: boolean): void {
    this.#isClosed = true;
    this.#close(finished);
  }
}

/** Trackers by token, per server. */
export class Trackers {
  readonly #map = new Map<string, Tracker>();
  #next = 0;

  create(): Tracker {
    const t = new Tracker(`k${++this.#next}`);
    this.#map.set(t.token, t);
    return t;
  }

  of(target: string): Tracker | undefined {
    const token = tokenOf(target);
    return token === undefined ? undefined : this.#map.get(token);
  }
}
