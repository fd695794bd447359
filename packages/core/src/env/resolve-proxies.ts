import type { Proxies } from '../adapter.js';
import { getEnvironProxies, shouldBypassProxies } from './proxy-env.js';

/** Proxy settings as a request or a session holds them: `null` means "connect directly". */
export type ProxyLayer = Record<string, string | null | undefined>;

function isEmpty(o: object | null | undefined): boolean {
  if (!o) return true;
  for (const _ in o) return false;
  return true;
}

/**
 * The proxy for `url`, one layer at a time (request, then session, then the
 * environment when `trustEnv`), the most specific key first within a layer
 * (`scheme://host`, `scheme`, `all://host`, `all`). A `null` in a layer
 * means "connect directly" and ends the search; `no_proxy` (request or
 * session) and NO_PROXY (environment) send matching hosts direct. The result
 * holds at most the one proxy chosen, under the URL's scheme.
 */
export function resolveProxies(
  url: string,
  request: ProxyLayer | null | undefined,
  session: ProxyLayer,
  trustEnv: boolean,
): Proxies {
  const noProxy = request?.no_proxy ?? session.no_proxy;
  if (noProxy && shouldBypassProxies(url, noProxy)) return {};
  const env = trustEnv ? getEnvironProxies(url) : undefined;
  // No proxy anywhere (the common case): nothing to choose, no URL to parse.
  if (isEmpty(request) && isEmpty(session) && isEmpty(env)) return {};
  const u = new URL(url);
  const scheme = u.protocol.slice(0, -1);
  const keys = [`${scheme}://${u.hostname}`, scheme, `all://${u.hostname}`, 'all'];
  const layers: ProxyLayer[] = [request ?? {}, session];
  if (env) layers.push(env);
  for (const layer of layers) {
    for (const key of keys) {
      const value = layer[key];
      if (value === undefined) continue;
      return value === null ? {} : { [scheme]: value };
    }
  }
  return {};
}
