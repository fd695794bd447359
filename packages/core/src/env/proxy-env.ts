import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { effectivePort } from '../url.js';

/**
 * Proxy settings from the environment, the way curl and requests read them.
 *
 * Names: `http_proxy`, `https_proxy`, `all_proxy`, `no_proxy`, each in lower
 * or upper case; the lower-case one wins when both are set, and a lower-case
 * one set to the empty string switches the proxy off even if the upper-case
 * one is set. Under CGI (`REQUEST_METHOD` set) `HTTP_PROXY` is ignored and
 * only `http_proxy` counts, because a CGI server turns a client's `Proxy:`
 * request header into `HTTP_PROXY` ("httpoxy", CVE-2016-5385).
 *
 * Note: on Windows `process.env` is case-insensitive, so there the two cases
 * of one name cannot be told apart.
 */

const KEYS = ['http', 'https', 'all'] as const;

/**
 * The proxies the environment asks for, for a request to `url`: keys `http`,
 * `https` and `all`, as `Session.proxies` takes them. `{}` when `url` is
 * excluded by `NO_PROXY` / `no_proxy` (see `shouldBypassProxies`) or cannot
 * be parsed. `options.noProxy`, when given (even `''`), is used instead of
 * the environment's NO_PROXY: a request's or session's `no_proxy` replaces it.
 */
export function getEnvironProxies(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { noProxy?: string | undefined } = {},
): Record<string, string> {
  // Read the variables first: with none set (the common case) the URL is never parsed.
  const out: Record<string, string> = {};
  let any = false;
  const cgi = env.REQUEST_METHOD !== undefined;
  for (const key of KEYS) {
    const lower = env[LOWER[key]];
    const upper = key === 'http' && cgi ? undefined : env[UPPER[key]];
    const value = lower !== undefined ? lower.trim() : upper?.trim();
    if (value) {
      out[key] = value;
      any = true;
    }
  }
  const noProxy = options.noProxy !== undefined ? options.noProxy : envNoProxy(env);
  if (!any || shouldBypassProxies(url, noProxy)) return {};
  return out;
}

const LOWER = { http: 'http_proxy', https: 'https_proxy', all: 'all_proxy' } as const;
const UPPER = { http: 'HTTP_PROXY', https: 'HTTPS_PROXY', all: 'ALL_PROXY' } as const;

/** `no_proxy` when set and non-empty, else `NO_PROXY` (requests' order). */
export function envNoProxy(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.no_proxy || env.NO_PROXY || undefined;
}

type Entry =
  | { kind: 'all' }
  | { kind: 'cidr'; list: BlockList }
  | { kind: 'ip'; ip: string; port: string | undefined }
  | { kind: 'domain'; domain: string; port: string | undefined };

/**
 * `true` when a request to `url` should go direct according to the
 * `NO_PROXY` list `noProxy`. Entries are separated by commas and/or spaces:
 *
 * - `*` alone matches every host;
 * - `example.com` and `.example.com` (also `*.example.com`) match that domain
 *   and its subdomains, never a mere suffix (`notexample.com`);
 * - `host:port` matches that host on that port only (default ports filled in);
 * - IPv4 and IPv6 literals (`::1`, `[::1]`, `[::1]:8080`) match the same
 *   address however it is written;
 * - CIDR blocks (`10.0.0.0/8`, `::1/128`) match a URL whose host is an IP
 *   address of that block; host names are not resolved;
 * - `localhost` is a name like any other: it does not match `127.0.0.1`
 *   (as in curl).
 *
 * Malformed entries are ignored. A URL without a host (or that does not
 * parse) bypasses, as in requests.
 */
export function shouldBypassProxies(url: string, noProxy: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return true;
  }
  let host = u.hostname.toLowerCase();
  if (!host) return true;
  if (!noProxy) return false;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.endsWith('.')) host = host.slice(0, -1);
  const port = effectivePort(u);
  const family = isIP(host);
  const ip = family ? canonicalIp(host) : undefined;

  for (const entry of entriesOf(noProxy)) {
    switch (entry.kind) {
      case 'all':
        return true;
      case 'cidr':
        if (family && entry.list.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
        break;
      case 'ip':
        if (ip !== undefined && entry.ip === ip && (entry.port === undefined || entry.port === port))
          return true;
        break;
      case 'domain':
        if (
          !family &&
          (host === entry.domain || host.endsWith(`.${entry.domain}`)) &&
          (entry.port === undefined || entry.port === port)
        ) {
          return true;
        }
        break;
    }
  }
  return false;
}

// NO_PROXY rarely changes; parsing it (CIDR block lists, IDNA) on every request would cost more than the rest of prepare.
const parsedLists = new Map<string, Entry[]>();

function entriesOf(noProxy: string): Entry[] {
  let list = parsedLists.get(noProxy);
  if (!list) {
    list = noProxy
      .split(/[\s,]+/)
      .map(parseEntry)
      .filter((e): e is Entry => e !== undefined);
    if (parsedLists.size >= 32) parsedLists.clear();
    parsedLists.set(noProxy, list);
  }
  return list;
}

function parseEntry(raw: string): Entry | undefined {
  const s = raw.trim().toLowerCase();
  if (!s) return undefined;
  if (s === '*') return { kind: 'all' };

  if (s.includes('/')) {
    const m = /^\[?([^\]/]+)\]?\/(\d{1,3})$/.exec(s);
    if (!m) return undefined;
    const addr = m[1] as string;
    const bits = Number(m[2]);
    const fam = isIP(addr);
    if (!fam || bits > (fam === 4 ? 32 : 128)) return undefined;
    const family = fam === 4 ? 'ipv4' : 'ipv6';
    const list = new BlockList();
    list.addSubnet(addr, bits, family);
    return { kind: 'cidr', list };
  }

  let host: string;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1] as string;
    port = bracketed[2];
    if (isIP(host) !== 6) return undefined;
  } else if (isIP(s) === 6) {
    host = s;
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(s);
    if (!m) return undefined;
    host = m[1] as string;
    port = m[2];
  }
  if (port !== undefined) port = String(Number(port));

  if (isIP(host)) return { kind: 'ip', ip: canonicalIp(host), port };
  let domain = host.replace(/^\*?\./, '');
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  if (!domain) return undefined;
  // Entries may be written in Unicode; URL hosts are always punycode.
  domain = domainToASCII(domain) || domain;
  return { kind: 'domain', domain, port };
}

/** One spelling per address (`0:0::1` and `::1` compare equal), via the WHATWG URL serialiser. */
function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}
