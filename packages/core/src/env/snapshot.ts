import { getEnvCaBundle } from './ca-bundle.js';
import { netrcPaths } from './netrc.js';
import { envNoProxy, getEnvironProxies } from './proxy-env.js';

/**
 * What a Session takes from the environment when `trustEnv` is on, read
 * once: proxy variables, NO_PROXY, the CA bundle variables and where the
 * netrc file is. Reading `process.env` is slow in Node (each access crosses
 * into C++), and a request used to do it ten times; now a Session reads it
 * when it is created and again whenever `trustEnv` is set. After changing
 * `process.env`, set `session.trustEnv = true` to pick the change up.
 * The netrc file itself is still re-checked (one cached stat a second).
 */
export interface EnvironmentSnapshot {
  /** `http`, `https` and `all` from `*_PROXY` (CGI rule applied), or `undefined` when none is set. */
  readonly proxies: Readonly<Record<string, string>> | undefined;
  /** NO_PROXY / no_proxy. */
  readonly noProxy: string | undefined;
  /** REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE or SSL_CERT_FILE. */
  readonly caBundle: string | undefined;
  /** The netrc files to look in (NETRC, else ~/.netrc). */
  readonly netrcPaths: readonly string[];
}

/** Reads the environment once (see EnvironmentSnapshot). */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): EnvironmentSnapshot {
  // An empty NO_PROXY and any URL: the variables alone, without bypass rules applied.
  const proxies = getEnvironProxies('http://snapshot.invalid/', env, { noProxy: '' });
  return Object.freeze({
    proxies: Object.keys(proxies).length > 0 ? Object.freeze(proxies) : undefined,
    noProxy: envNoProxy(env),
    caBundle: getEnvCaBundle(env),
    netrcPaths: Object.freeze(netrcPaths(env)),
  });
}
