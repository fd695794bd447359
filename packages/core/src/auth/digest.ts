import { createHash, randomBytes } from 'node:crypto';
import { UnrewindableBodyError } from '../errors.js';
import type { HookContext, ResponseHook } from '../hooks.js';
import type { PreparedRequest } from '../prepared-request.js';
import type { Response } from '../response.js';
import { originKey } from '../url.js';
import type { Auth } from './auth.js';

/** One challenge of a `WWW-Authenticate` header: its scheme and its parameters (names lower-cased). */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** What a digest `Authorization` header is computed from. */
export interface DigestInput {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  /** The request target as sent: path and query. */
  uri: string;
  /** `'auth'`, or `undefined` for the RFC 2069 form (no qop, no nc, no cnonce). */
  qop?: 'auth' | undefined;
  /** Nonce count; a number is written as 8 hex digits, a string is sent as given. Required with qop. */
  nc?: number | string | undefined;
  /** Client nonce. Required with qop. */
  cnonce?: string | undefined;
  /** As the server named it (`MD5`, `MD5-sess`, `SHA-256`, ...); omitted means MD5 and is not echoed. */
  algorithm?: string | undefined;
  opaque?: string | undefined;
  /** RFC 7616 §3.4.4: send `H(username:realm)` instead of the username. */
  userhash?: boolean | undefined;
}

// RFC 7616 §6.1 names, upper-cased; the value is node:crypto's name for the hash.
const HASHES: Record<string, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  // SHA-512/256 of FIPS 180-4: its own initial values, not SHA-512 cut short.
  'SHA-512-256': 'sha512-256',
  // Not in RFC 7616's registry list, but servers send it and the construction is the same.
  'SHA-512': 'sha512',
};

/** `true` when `algorithm` (as a server names it, any case, `-sess` allowed) can be answered. */
export function isSupportedDigestAlgorithm(algorithm: string | undefined): boolean {
  return hashName(algorithm) !== undefined;
}

function hashName(algorithm: string | undefined): string | undefined {
  const base = (algorithm ?? 'MD5').toUpperCase().replace(/-SESS$/, '');
  return Object.hasOwn(HASHES, base) ? HASHES[base] : undefined;
}

/**
 * The value of an `Authorization: Digest ...` header (RFC 7616, and RFC 2069
 * when `qop` is absent). Pure: the caller supplies `nc` and `cnonce`, which
 * makes it checkable against the RFC's worked examples.
 *
 * @throws TypeError for an algorithm other than MD5, SHA-256, SHA-512-256, SHA-512 (and their `-sess` forms),
 *   for a `-sess` algorithm without qop, or when qop is set without nc and cnonce.
 */
export function computeDigestResponse(input: DigestInput): string {
  const name = hashName(input.algorithm);
  if (!name) throw new TypeError(`Unsupported digest algorithm ${JSON.stringify(input.algorithm)}`);
  const H = (s: string) => createHash(name).update(s, 'utf8').digest('hex');
  const sess = /-sess$/i.test(input.algorithm ?? '');
  const { username, password, realm, nonce, method, uri, qop } = input;
  const nc = typeof input.nc === 'number' ? input.nc.toString(16).padStart(8, '0') : input.nc;
  const cnonce = input.cnonce;
  if (sess && !qop) throw new TypeError('digest -sess algorithms need qop=auth');
  if (qop && (nc === undefined || cnonce === undefined))
    throw new TypeError('digest qop=auth needs nc and cnonce');

  let ha1 = H(`${username}:${realm}:${password}`);
  if (sess) ha1 = H(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = H(`${method}:${uri}`);
  const response = qop ? H(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : H(`${ha1}:${nonce}:${ha2}`);

  const parts: string[] = [];
  if (input.userhash) parts.push(`username=${quoted(H(`${username}:${realm}`))}`);
  else if (/^[\x20-\x7e]*$/.test(username)) parts.push(`username=${quoted(username)}`);
  // RFC 7616 §3.4.4: a username a quoted-string cannot carry goes as RFC 5987 ext-value.
  else parts.push(`username*=UTF-8''${encodeRfc5987(username)}`);
  parts.push(`realm=${quoted(realm)}`, `nonce=${quoted(nonce)}`, `uri=${quoted(uri)}`);
  if (input.algorithm) parts.push(`algorithm=${input.algorithm}`);
  parts.push(`response=${quoted(response)}`);
  if (input.opaque !== undefined) parts.push(`opaque=${quoted(input.opaque)}`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quoted(cnonce as string)}`);
  if (input.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}

function quoted(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

function encodeRfc5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*[ \t]*(?:,|$)/;

/**
 * Parses a `WWW-Authenticate` value into its challenges (RFC 9110 §11.6.1):
 * several schemes may share one header (`Basic realm="a", Digest realm="b", ...`),
 * and several headers joined with `, ` parse the same way. Quoted strings are
 * unescaped; a scheme's token68 form (`Negotiate abc==`) is skipped.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let i = 0;
  const n = header.length;
  const skip = (re: RegExp) => {
    while (i < n && re.test(header[i] as string)) i++;
  };
  const token = () => {
    const start = i;
    while (i < n && TCHAR.test(header[i] as string)) i++;
    return header.slice(start, i);
  };
  while (i < n) {
    skip(/[\s,]/);
    if (i >= n) break;
    const word = token();
    if (!word) {
      // Not a token: resynchronise at the next comma rather than give up on the whole header.
      while (i < n && header[i] !== ',') i++;
      continue;
    }
    skip(/[ \t]/);
    if (header[i] === '=' && current) {
      i++;
      skip(/[ \t]/);
      let value: string;
      if (header[i] === '"') {
        i++;
        value = '';
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        value = token();
      }
      const key = word.toLowerCase();
      if (!Object.hasOwn(current.params, key)) current.params[key] = value;
      continue;
    }
    current = { scheme: word, params: Object.create(null) as Record<string, string> };
    out.push(current);
    const t68 = TOKEN68.exec(header.slice(i));
    if (t68) i += t68[0].length;
  }
  return out;
}

interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  algorithm: string | undefined;
  qop: 'auth' | undefined;
  userhash: boolean;
}

/** The first Digest challenge we can answer: supported algorithm, and qop `auth` or none. */
function pickChallenge(header: string | undefined): DigestChallenge | undefined {
  if (!header) return undefined;
  for (const c of parseWwwAuthenticate(header)) {
    if (c.scheme.toLowerCase() !== 'digest') continue;
    const p = c.params;
    if (p.nonce === undefined || p.realm === undefined) continue;
    if (!isSupportedDigestAlgorithm(p.algorithm)) continue;
    const sess = /-sess$/i.test(p.algorithm ?? '');
    let qop: 'auth' | undefined;
    if (p.qop !== undefined) {
      const offered = p.qop.split(',').map((q) => q.trim().toLowerCase());
      // auth-int would need the body hashed; requests declines it too.
      if (!offered.includes('auth')) continue;
      qop = 'auth';
    } else if (sess) {
      // RFC 2617 defines -sess only alongside qop: without it the server never learns our cnonce.
      continue;
    }
    return {
      realm: p.realm,
      nonce: p.nonce,
      opaque: p.opaque,
      algorithm: p.algorithm,
      qop,
      userhash: p.userhash?.toLowerCase() === 'true',
    };
  }
  return undefined;
}

function requestUri(url: string): string {
  const u = new URL(url);
  return `${u.pathname || '/'}${u.search}`;
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return originKey(new URL(url)) === origin;
  } catch {
    return false;
  }
}

/**
 * HTTP Digest authentication (RFC 7616; RFC 2617 and RFC 2069 servers too),
 * with requests' `HTTPDigestAuth` behaviour: the first request goes without
 * credentials, a `401` carrying a Digest challenge is answered once by
 * re-sending a copy of the request with `Authorization: Digest ...`, and
 * later requests to the same origin send the header pre-emptively with the
 * nonce count incremented.
 *
 * Algorithms MD5, SHA-256, SHA-512-256 and SHA-512, each also in `-sess` form; qop
 * `auth` (a challenge offering only `auth-int` is not answered). The answered
 * 401 is kept in the new response's `history`.
 *
 * Security: a challenge is answered only when it comes from the origin
 * (scheme, host, port) of the request this auth was applied to, so a redirect
 * to another host that asks for digest credentials does not get them. The
 * remembered challenge is likewise only replayed to the origin that issued it.
 *
 * One instance keeps one nonce at a time; share it across concurrent requests
 * to one server as you would in requests.
 */
export class HTTPDigestAuth implements Auth {
  #challenge: DigestChallenge | undefined;
  /** Origin whose challenge `#challenge` is. */
  #challengeOrigin: string | undefined;
  #nonceCount = 0;
  /** Requests that are themselves digest re-sends: a 401 to one of them is final. */
  readonly #retries = new WeakSet<PreparedRequest>();

  constructor(
    readonly username: string,
    readonly password: string,
  ) {}

  apply(request: PreparedRequest): PreparedRequest {
    const origin = originKey(new URL(request.url));
    if (this.#challenge && this.#challengeOrigin === origin) {
      request.headers.set('Authorization', this.#header(request.method, request.url));
    }
    const hook: ResponseHook = (response, context) => this.#handle401(origin, response, context);
    request.hooks.response.push(hook);
    return request;
  }

  async #handle401(origin: string, response: Response, context: HookContext): Promise<Response | undefined> {
    if (response.statusCode !== 401) return undefined;
    const sent = response.request;
    if (this.#retries.has(sent)) return undefined;
    if (!sameOrigin(response.url, origin) || !sameOrigin(sent.url, origin)) return undefined;
    const challenge = pickChallenge(response.headers.get('www-authenticate'));
    if (!challenge) return undefined;

    if (sent.body !== null && !sent.bodyReplayable) {
      await response.close();
      throw new UnrewindableBodyError(
        'Cannot answer the digest challenge: the request body was a one-shot stream and has been sent. ' +
          'Pass bytes, a Blob or a string so it can be sent again.',
        { request: sent, response },
      );
    }

    this.#remember(challenge, origin);
    const next = sent.copy();
    next.headers.set('Authorization', this.#header(next.method, next.url));
    this.#retries.add(next);
    await response.close();
    const answer = await context.send(next);
    answer.history.push(response);
    return answer;
  }

  #remember(challenge: DigestChallenge, origin: string): void {
    // nc counts uses of one nonce; a fresh nonce (or another server's) starts again at 1.
    if (this.#challenge?.nonce !== challenge.nonce || this.#challengeOrigin !== origin) this.#nonceCount = 0;
    this.#challenge = challenge;
    this.#challengeOrigin = origin;
  }

  #header(method: string, url: string): string {
    const c = this.#challenge as DigestChallenge;
    this.#nonceCount += 1;
    return computeDigestResponse({
      username: this.username,
      password: this.password,
      realm: c.realm,
      nonce: c.nonce,
      method,
      uri: requestUri(url),
      qop: c.qop,
      nc: this.#nonceCount,
      cnonce: randomBytes(16).toString('hex'),
      algorithm: c.algorithm,
      opaque: c.opaque,
      userhash: c.userhash,
    });
  }
}
