/**
 * The CA bundle the environment names for TLS verification: `REQUESTS_CA_BUNDLE`,
 * then `CURL_CA_BUNDLE`, then `SSL_CERT_FILE` (the first that is set and not
 * blank). `undefined` when none is. Meant for `trustEnv`, below the
 * request's and the session's `verify` in precedence.
 */
export function getEnvCaBundle(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'SSL_CERT_FILE'] as const) {
    const value = env[name];
    if (value?.trim()) return value;
  }
  return undefined;
}
