import type { Proxies } from '../send-options.js';
import { checkProxyUrl } from './proxy-url.js';

/**
 * The proxy URL for `url`, most specific key first (requests' `select_proxy`):
 * `scheme://host`, `scheme`, `all://host`, `all`. `undefined` means connect
 * directly. `proxy:3128` comes back as `http://proxy:3128`.
 *
 * @throws InvalidProxyURLError when the chosen proxy URL has no host or does
 *   not parse (requests' InvalidProxyURL), with credentials masked.
 */
export function selectProxy(url: string | URL, proxies: Proxies | null | undefined): string | undefined {
  if (!proxies) return undefined;
  // No proxy at all (the common case): no URL to parse.
  let any = false;
  for (const _ in proxies) {
    any = true;
    break;
  }
  if (!any) return undefined;
  const u = typeof url === 'string' ? new URL(url) : url;
  const scheme = u.protocol.slice(0, -1);
  if (!u.hostname) return undefined;
  const host = u.hostname;
  for (const key of [`${scheme}://${host}`, scheme, `all://${host}`, 'all']) {
    const p = proxies[key];
    if (p) return checkProxyUrl(p, `proxies.${key}`);
  }
  return undefined;
}
