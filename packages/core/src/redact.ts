/**
 * What never goes into a message or a log: credentials in URLs and secret
 * query values. Error messages name the request with `describeRequest`;
 * @sess/plugin-logging redacts with the same list.
 */

/** Query keys whose values are secrets (case-insensitive). */
export const SECRET_QUERY_KEYS: readonly string[] = Object.freeze([
  'token',
  'api_key',
  'apikey',
  'access_token',
  'refresh_token',
  'password',
  'secret',
  'signature',
  'sig',
  'client_secret',
]);

const MASK = '[REDACTED]';

/**
 * `url` with userinfo masked and the values of secret query keys replaced
 * by `[REDACTED]`. Cheap when there is nothing to redact (no '@', no '?').
 * An unparseable URL is returned with everything after '?' dropped.
 */
export function redactUrl(url: string, keys: readonly string[] = SECRET_QUERY_KEYS): string {
  if (!url.includes('@') && !url.includes('?')) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    const q = url.indexOf('?');
    return q === -1 ? url : `${url.slice(0, q)}?${MASK}`;
  }
  if (u.username || u.password) {
    u.username = u.username ? '***' : '';
    u.password = u.password ? '***' : '';
  }
  if (u.search) {
    const lower = new Set(keys.map((k) => k.toLowerCase()));
    const params = new URLSearchParams(u.search);
    let changed = false;
    for (const key of new Set(params.keys())) {
      if (lower.has(key.toLowerCase())) {
        params.set(key, MASK);
        changed = true;
      }
    }
    if (changed) u.search = params.toString().replaceAll('%5BREDACTED%5D', MASK);
  }
  return u.href;
}

/** `GET https://host/path?token=[REDACTED]`: a request as error messages name it. */
export function describeRequest(method: string, url: string): string {
  return `${method} ${redactUrl(url)}`;
}
