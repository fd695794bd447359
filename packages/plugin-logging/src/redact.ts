/** What replaces every secret. */
export const REDACTED = '[REDACTED]';

/** Headers whose values are always replaced. */
export const DEFAULT_REDACT_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
];
/**
 * Query (and form, and JSON body) keys whose values are always replaced,
 * whatever their case: the list core's error messages redact with.
 */
export const DEFAULT_REDACT_QUERY: readonly string[] = [
  'token',
  'api_key',
  'apikey',
  'access_token',
  'refresh_token',
  'password',
  'secret',
  'signature',
  'sig',
  'client_secret',
];

/** Redaction settings shared by `logging()` and `har()`. Names add to the defaults; case does not matter. */
export interface RedactOptions {
  /** More header names whose values are replaced by `[REDACTED]` (Authorization, Proxy-Authorization, Cookie and Set-Cookie always are). */
  redactHeaders?: Iterable<string>;
  /** More query/form/JSON keys whose values are replaced (the `DEFAULT_REDACT_QUERY` ones always are). */
  redactQuery?: Iterable<string>;
}

/** Secret strings seen in one exchange, scrubbed from free text (error messages, bodies) wherever they appear. */
export type Secrets = Set<string>;

const MIN_SECRET = 4;
const SCHEME_CREDENTIALS = /\b(Basic|Bearer|Negotiate|NTLM)\s+[^\s,;"']+/gi;
// Digest and AWS signatures are lists of parameters: everything to the end of the line goes.
const PARAM_CREDENTIALS = /\b(Digest|AWS4-HMAC-SHA256)\s+[^\r\n]+/gi;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** Redacts headers, URLs, query strings, bodies and free text by one set of rules. */
export class Redactor {
  readonly headerNames: ReadonlySet<string>;
  readonly queryKeys: ReadonlySet<string>;
  readonly #queryPattern: RegExp;

  constructor(options: RedactOptions = {}) {
    this.headerNames = lowerSet(DEFAULT_REDACT_HEADERS, options.redactHeaders);
    this.queryKeys = lowerSet(DEFAULT_REDACT_QUERY, options.redactQuery);
    const keys = [...this.queryKeys].map(escapeRegExp).join('|');
    // key=value inside any text (a URL in an error message); the key may be percent-encoded as is.
    this.#queryPattern = new RegExp(`([?&;\\s"']|^)(${keys})=([^&#\\s"'<>]*)`, 'gi');
  }

  isSecretHeader(name: string): boolean {
    return this.headerNames.has(name.toLowerCase());
  }

  isSecretKey(key: string): boolean {
    return this.queryKeys.has(key.toLowerCase());
  }

  /** Each header as `[name, value]` (one per value: Set-Cookie stays apart), secrets replaced. */
  headers(entries: Iterable<readonly [string, string]>): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [name, value] of entries) out.push([name, this.isSecretHeader(name) ? REDACTED : value]);
    return out;
  }

  /** The URL with userinfo and secret query values replaced; nothing else re-encoded. */
  url(url: string): string {
    const hash = url.indexOf('#');
    const beforeHash = hash === -1 ? url : url.slice(0, hash);
    const fragment = hash === -1 ? '' : url.slice(hash);
    const q = beforeHash.indexOf('?');
    let base = q === -1 ? beforeHash : beforeHash.slice(0, q);
    base = base.replace(URL_USERINFO, `$1${REDACTED}@`);
    if (q === -1) return base + fragment;
    return `${base}?${this.form(beforeHash.slice(q + 1))}${fragment}`;
  }

  /** `a=1&token=x` with secret values replaced (a query string or a urlencoded body). */
  form(text: string): string {
    return text
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq === -1) return pair;
        return this.isSecretKey(safeDecode(pair.slice(0, eq))) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
      })
      .join('&');
  }

  /** Free text (an error message): credentials after an auth scheme, URL userinfo, secret query values, known secrets. */
  text(text: string, secrets?: Secrets): string {
    let out = text
      .replace(PARAM_CREDENTIALS, `$1 ${REDACTED}`)
      .replace(SCHEME_CREDENTIALS, `$1 ${REDACTED}`)
      .replace(URL_USERINFO, `$1${REDACTED}@`)
      .replace(this.#queryPattern, `$1$2=${REDACTED}`);
    if (secrets) out = scrub(out, secrets);
    return out;
  }

  /**
   * A body as text: JSON has the values of secret keys (query keys and
   * redacted header names) replaced, a urlencoded form its secret fields;
   * any text then goes through `text()`.
   */
  body(text: string, mimeType: string, secrets?: Secrets): string {
    const type = mimeType.toLowerCase();
    if (type.includes('json')) {
      try {
        const parsed = JSON.parse(text) as unknown;
        const redacted = JSON.stringify(this.#json(parsed, secrets));
        // Unchanged: keep the text as it was sent, spacing and all.
        return redacted === JSON.stringify(parsed) ? text : redacted;
      } catch {
        // Not JSON after all: treat it as text.
      }
    }
    if (type.includes('x-www-form-urlencoded')) return this.text(this.form(text), secrets);
    return this.text(text, secrets);
  }

  #json(value: unknown, secrets: Secrets | undefined): unknown {
    if (typeof value === 'string') return this.text(value, secrets);
    if (Array.isArray(value)) return value.map((v) => this.#json(v, secrets));
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = this.isSecretKey(k) || this.isSecretHeader(k) ? REDACTED : this.#json(v, secrets);
    }
    return out;
  }

  /**
   * Collects the secret values of an exchange, so free text that repeats
   * them (a server echoing a header, an error quoting a cookie) is scrubbed
   * too: redacted header values and their parts (the token after the
   * scheme, a basic password, cookie values), secret query values, URL
   * passwords.
   */
  collect(secrets: Secrets, headers: Iterable<readonly [string, string]>, url?: string): Secrets {
    for (const [name, value] of headers) {
      if (!this.isSecretHeader(name)) continue;
      const lower = name.toLowerCase();
      add(secrets, value);
      if (lower === 'cookie') for (const part of value.split(';')) add(secrets, afterEq(part));
      else if (lower === 'set-cookie') add(secrets, afterEq(value.split(';')[0] ?? ''));
      else {
        const m = /^\s*(\S+)\s+(.+)$/.exec(value);
        if (m?.[2]) {
          add(secrets, m[2]);
          if (m[1]?.toLowerCase() === 'basic') {
            const decoded = Buffer.from(m[2], 'base64').toString('utf8');
            add(secrets, decoded);
            add(secrets, decoded.slice(decoded.indexOf(':') + 1));
          }
        }
      }
    }
    if (url) this.collectUrl(secrets, url);
    return secrets;
  }

  /** Secret query values and userinfo of a URL. */
  collectUrl(secrets: Secrets, url: string): void {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return;
    }
    add(secrets, decodeURIComponent(u.password));
    add(secrets, u.password);
    for (const [k, v] of u.searchParams) {
      if (this.isSecretKey(k)) {
        add(secrets, v);
        add(secrets, encodeURIComponent(v));
      }
    }
  }
}

/** Replaces every occurrence of each secret (longest first) in `text`. */
export function scrub(text: string, secrets: Secrets): string {
  if (secrets.size === 0) return text;
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out;
}

function add(secrets: Secrets, value: string | undefined): void {
  const v = value?.trim();
  if (v && v.length >= MIN_SECRET && v !== REDACTED) secrets.add(v);
}

function afterEq(pair: string): string {
  const eq = pair.indexOf('=');
  return eq === -1 ? '' : pair.slice(eq + 1).trim();
}

function lowerSet(defaults: readonly string[], extra: Iterable<string> | undefined): Set<string> {
  const out = new Set(defaults);
  if (extra) for (const name of extra) out.add(String(name).toLowerCase());
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
