import { InvalidProxyURLError } from '../errors.js';
import { redactUrl } from '../url.js';

/** `scheme://authority…`: the authority is what must name the proxy's host. */
const WITH_SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/;

/**
 * The proxy URL to connect to, or InvalidProxyURLError. `proxy:3128` (a
 * common HTTP_PROXY form) means `http://proxy:3128`, as in requests.
 * WHATWG URL would read `http:///example.com:8080` as host `example.com`;
 * requests (urllib3) finds no host there, and so do we: a proxy URL must
 * say plainly where to connect.
 *
 * @param source - where the value came from, for the message: `proxies.http`,
 *   `session.proxies.all`, `the HTTP_PROXY environment variable`.
 * @throws InvalidProxyURLError naming `source` and showing the URL with any
 *   credentials replaced by `***`.
 */
export function checkProxyUrl(proxy: string, source: string): string {
  if (typeof proxy !== 'string') {
    throw new InvalidProxyURLError(`Invalid proxy URL in ${source}: expected a string, got ${typeof proxy}`);
  }
  const url = proxy.includes('://') ? proxy.trim() : `http://${proxy.trim()}`;
  const fail = (why: string, cause?: unknown) =>
    new InvalidProxyURLError(
      `Invalid proxy URL ${JSON.stringify(redactUrl(proxy))} in ${source}: ${why}. ` +
        'Expected e.g. http://proxy.example:3128 or http://user:pass@proxy.example:3128',
      cause === undefined ? {} : { cause },
    );
  const authority = WITH_SCHEME.exec(url)?.[2];
  if (authority === undefined) throw fail('it has no scheme:// part');
  const host = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '');
  if (host === '' || host === '[]') throw fail('it has no host');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw fail('it does not parse', cause);
  }
  if (!parsed.hostname) throw fail('it has no host');
  return url;
}

/** A proxy URL without its credentials, and the `Proxy-Authorization` they make. */
export interface ProxyTarget {
  /** The proxy URL with any user and password taken out. */
  url: string;
  /** `Basic base64(user:password)` (UTF-8), or `undefined` without credentials. */
  authorization: string | undefined;
}

/**
 * Splits the credentials out of a proxy URL (requests' `get_auth_from_url`):
 * percent-decoded, UTF-8, and sent even when the password is empty
 * (`http://user:@proxy` gives `Basic base64("user:")`), where undici's
 * ProxyAgent would send nothing unless both parts are non-empty.
 * Give `url` and `authorization` (as `token`) to the transport separately.
 */
export function splitProxyCredentials(proxyUrl: string): ProxyTarget {
  const u = new URL(proxyUrl);
  if (!u.username && !u.password) return { url: u.href, authorization: undefined };
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return {
    url: u.href,
    authorization: `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`,
  };
}
