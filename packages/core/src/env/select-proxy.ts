import type { Proxies } from '../adapter.js';

/**
 * The proxy URL for `url`, most specific key first (requests' `select_proxy`):
 * `scheme://host`, `scheme`, `all://host`, `all`. `undefined` means connect
 * directly.
 */
export function selectProxy(url: string | URL, proxies: Proxies | null | undefined): string | undefined {
  if (!proxies) return undefined;
  const u = typeof url === 'string' ? new URL(url) : url;
  const scheme = u.protocol.slice(0, -1);
  if (!u.hostname) return undefined;
  const host = u.hostname;
  for (const key of [`${scheme}://${host}`, scheme, `all://${host}`, 'all']) {
    const p = proxies[key];
    // requests' rule: `proxy:3128` (a common HTTP_PROXY form) means http://proxy:3128.
    if (p) return p.includes('://') ? p : `http://${p}`;
  }
  return undefined;
}
