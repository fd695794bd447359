import type { Proxies } from '../send-options.js';
import { shouldBypassProxies } from './proxy-env.js';
import { checkProxyUrl } from './proxy-url.js';
import type { EnvironmentSnapshot } from './snapshot.js';

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
 * means "connect directly" and ends the search. The result holds at most the
 * one proxy chosen, under the URL's scheme.
 *
 * `no_proxy` follows the same precedence and replaces, never merges: a
 * request's `no_proxy` beats the session's, which beats NO_PROXY from the
 * environment (an empty string included: nothing bypasses). A request's
 * `no_proxy: null` removes the session's, so the environment's applies.
 *
 * `environment` is the session's snapshot (undefined when `trustEnv` is off).
 *
 * @throws InvalidProxyURLError when the chosen proxy URL has no host or does
 *   not parse, naming where it came from (`proxies.http`,
 *   `session.proxies.all`, an environment variable).
 */
export function resolveProxies(
  url: string,
  request: ProxyLayer | null | undefined,
  session: ProxyLayer,
  environment: EnvironmentSnapshot | undefined,
): Proxies {
  const given = request && request.no_proxy !== undefined ? request.no_proxy : session.no_proxy;
  const noProxy = given ?? undefined;
  if (noProxy && shouldBypassProxies(url, noProxy)) return {};
  // A given no_proxy (even '') replaces NO_PROXY for the environment's proxies too.
  const envProxies = environment?.proxies;
  const env =
    envProxies && !shouldBypassProxies(url, noProxy === undefined ? environment.noProxy : noProxy)
      ? envProxies
      : undefined;
  // No proxy anywhere (the common case): nothing to choose, no URL to parse.
  if (isEmpty(request) && isEmpty(session) && isEmpty(env)) return {};
  const u = new URL(url);
  const scheme = u.protocol.slice(0, -1);
  const keys = [`${scheme}://${u.hostname}`, scheme, `all://${u.hostname}`, 'all'];
  const layers: Array<[ProxyLayer, (key: string) => string]> = [
    [request ?? {}, (key) => `proxies.${key}`],
    [session, (key) => `session.proxies.${key}`],
  ];
  if (env) layers.push([env, (key) => `the ${key}_proxy or ${key.toUpperCase()}_PROXY environment variable`]);
  for (const [layer, source] of layers) {
    for (const key of keys) {
      const value = layer[key];
      if (value === undefined) continue;
      return value === null ? {} : { [scheme]: checkProxyUrl(value, source(key)) };
    }
  }
  return {};
}
