import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { unquote } from './header-params.js';

/** The RFC 7616 algorithms the server can demand. */
export const DIGEST_ALGORITHMS = [
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
  'SHA-512-256-sess',
] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

/** `null` is RFC 2069 compatibility mode: no qop, no nc, no cnonce. */
export type DigestQop = 'auth' | 'auth-int' | null;

/** What a correct Authorization header must prove. */
export interface DigestExpectation {
  user: string;
  password: string;
  qop: DigestQop;
  algorithm: DigestAlgorithm;
  method: string;
  /** The request-target as sent; the `uri` parameter must repeat it exactly. */
  uri: string;
  /** The request body, for `auth-int`. */
  body: Buffer;
}

/** `stale`: the proof was right but for a nonce this server no longer knows; the client should retry with the new one. */
export type DigestVerdict = 'ok' | 'stale' | 'denied';

/** The realm every challenge names. */
export const DIGEST_REALM = 'testkit@sess';

/** Nonces remembered at once; a client holding an older one gets a `stale=TRUE` challenge. */
const MAX_NONCES = 1024;

/** The `digest-auth` route's case-insensitive spelling of an algorithm name, or undefined. */
export function parseDigestAlgorithm(name: string): DigestAlgorithm | undefined {
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === name.toLowerCase());
}

/** `key=value, key="quoted, value"` pairs of a Digest Authorization header, names lower-cased. */
export function parseDigestParams(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const m of text.matchAll(/([\w*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)/g)) {
    out[(m[1] ?? '').toLowerCase()] = unquote(m[2] ?? '');
  }
  return out;
}

function hasher(algorithm: DigestAlgorithm): (data: string | Buffer) => string {
  const base = algorithm.replace(/-sess$/, '');
  const name = base === 'MD5' ? 'md5' : base === 'SHA-256' ? 'sha256' : 'sha512-256';
  return (data) => createHash(name).update(data).digest('hex');
}

/**
 * The digest a client must send (RFC 7616 §3.4.1). Exported so the server's
 * arithmetic can be read in one place; tests compute theirs independently.
 */
export function digestResponse(
  expect: DigestExpectation,
  nonce: string,
  nc: string,
  cnonce: string,
  realm: string = DIGEST_REALM,
): string {
  const H = hasher(expect.algorithm);
  let ha1 = H(`${expect.user}:${realm}:${expect.password}`);
  if (expect.algorithm.endsWith('-sess')) ha1 = H(`${ha1}:${nonce}:${cnonce}`);
  const ha2 =
    expect.qop === 'auth-int'
      ? H(`${expect.method}:${expect.uri}:${H(expect.body)}`)
      : H(`${expect.method}:${expect.uri}`);
  if (expect.qop === null) return H(`${ha1}:${nonce}:${ha2}`);
  return H(`${ha1}:${nonce}:${nc}:${cnonce}:${expect.qop}:${ha2}`);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The nonces one server has issued, with the opaque value that goes with
 * each and the highest nonce count seen, so a replayed `nc` is refused the
 * way RFC 7616 §5.5 suggests.
 */
export class DigestNonces {
  readonly #issued = new Map<string, { opaque: string; lastNc: number }>();

  /** A fresh `WWW-Authenticate` value; the nonce is remembered until evicted. */
  challenge(qop: DigestQop, algorithm: DigestAlgorithm, stale = false): string {
    const nonce = randomBytes(16).toString('hex');
    const opaque = randomBytes(16).toString('hex');
    this.#issued.set(nonce, { opaque, lastNc: 0 });
    // Maps iterate in insertion order, so the first key is the oldest nonce.
    if (this.#issued.size > MAX_NONCES) this.#issued.delete(this.#issued.keys().next().value as string);
    let header = `Digest realm="${DIGEST_REALM}", nonce="${nonce}", opaque="${opaque}", algorithm=${algorithm}`;
    if (qop) header += `, qop="${qop}"`;
    if (stale) header += ', stale=TRUE';
    return header;
  }

  /** Checks an Authorization header against what the route expects. */
  verify(authorization: string | undefined, expect: DigestExpectation): DigestVerdict {
    const m = authorization ? /^digest\s+(.*)$/is.exec(authorization) : null;
    if (!m) return 'denied';
    const p = parseDigestParams(m[1] ?? '');
    const { username, realm, nonce, uri, response } = p;
    if (username !== expect.user || realm !== DIGEST_REALM || uri !== expect.uri) return 'denied';
    if (!nonce || !response) return 'denied';
    // An absent algorithm means MD5 (RFC 7616 §3.3); anything else must match the challenge.
    if ((p.algorithm ?? 'MD5').toLowerCase() !== expect.algorithm.toLowerCase()) return 'denied';
    const nc = p.nc ?? '';
    const cnonce = p.cnonce ?? '';
    if (expect.qop) {
      if (p.qop !== expect.qop || !/^[0-9a-f]{8}$/i.test(nc) || !cnonce) return 'denied';
    } else if (p.qop !== undefined) {
      return 'denied';
    }
    if (expect.algorithm.endsWith('-sess') && !cnonce) return 'denied';
    if (!sameText(response, digestResponse(expect, nonce, nc, cnonce))) return 'denied';
    const issued = this.#issued.get(nonce);
    if (!issued) return 'stale';
    if (p.opaque !== issued.opaque) return 'denied';
    if (expect.qop) {
      const count = Number.parseInt(nc, 16);
      if (count <= issued.lastNc) return 'denied';
      issued.lastNc = count;
    }
    return 'ok';
  }
}
