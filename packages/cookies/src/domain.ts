import { isIP } from 'node:net';
import { canonicalDomain, getPublicSuffix } from 'tough-cookie';

/** True for an IPv4 or IPv6 address (with or without brackets). */
export function isIpHost(host: string): boolean {
  return isIP(host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host) !== 0;
}

/**
 * The canonical form of a domain given by a caller or found in a file:
 * trimmed, leading dot removed, lower case, IDN labels in punycode
 * (`bücher.example` -> `xn--bcher-kva.example`), IPv6 without brackets.
 * Throws a TypeError when nothing usable is left.
 */
export function normalizeDomain(input: string): string {
  let out: string | undefined;
  try {
    out = canonicalDomain(input.trim());
  } catch {
    out = undefined;
  }
  if (out?.startsWith('[') && out.endsWith(']')) out = out.slice(1, -1);
  if (!out || /[\s/?#@\\]/.test(out)) throw new TypeError(`Invalid cookie domain ${JSON.stringify(input)}`);
  return out;
}

/** The registrable domain ("eTLD+1") of `domain`, or undefined when `domain` is a public suffix. */
export function registrableDomain(domain: string): string | undefined {
  try {
    return getPublicSuffix(domain, { allowSpecialUseDomain: true, ignoreError: true }) ?? undefined;
  } catch {
    return undefined;
  }
}

/** True when `domain` is a public suffix (`com`, `co.uk`, `github.io`): no cookie may be scoped to it. */
export function isPublicSuffix(domain: string): boolean {
  return !isIpHost(domain) && registrableDomain(domain) === undefined;
}

/**
 * The unit the per-domain bound counts in: the registrable domain, or the
 * host itself for IP addresses and hosts that are public suffixes.
 */
export function siteOf(domain: string): string {
  if (isIpHost(domain)) return domain;
  return registrableDomain(domain) ?? domain;
}

/**
 * The stored domains whose cookies may match a request to `host`: the host
 * itself and each parent domain (`a.b.example.com`, `b.example.com`,
 * `example.com`, `com`). An IP address has only itself. The caller still
 * applies RFC 6265's host-only and domain-match rules to what it finds.
 */
export function domainCandidates(host: string): string[] {
  if (isIpHost(host)) return [host];
  const out = [host];
  let i = host.indexOf('.');
  while (i !== -1 && i < host.length - 1) {
    out.push(host.slice(i + 1));
    i = host.indexOf('.', i + 1);
  }
  return out;
}
