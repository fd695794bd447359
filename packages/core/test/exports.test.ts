import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';

/** The public surface of @sess/core: a change here is a change of API and needs a changeset. */
describe('@sess/core exports', () => {
  it('lists exactly these runtime names', () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'AbortError',
        'BearerAuth',
        'ChunkedEncodingError',
        'ConnectTimeoutError',
        'ConnectionError',
        'ContentDecodingError',
        'CookieConflictError',
        'HTTPBasicAuth',
        'HTTPDigestAuth',
        'HTTPError',
        'HTTPProxyAuth',
        'Headers',
        'InvalidHeaderError',
        'InvalidSchemaError',
        'InvalidURLError',
        'JSONDecodeError',
        'MissingSchemaError',
        'NoCookieJar',
        'PreparedRequest',
        'ProxyError',
        'ReadTimeoutError',
        'ReplayableBody',
        'Request',
        'RequestError',
        'Response',
        'ResponseTooLargeError',
        'RetryError',
        'SSLError',
        'Session',
        'StreamConsumedError',
        'TimeoutError',
        'TooManyRedirectsError',
        'UnrewindableBodyError',
        'VERSION',
        'basicAuthHeader',
        'defaultHeaders',
        'getEnvCaBundle',
        'getEnvironProxies',
        'getNetrcAuth',
        'normalizeTimeout',
        'selectProxy',
        'shouldBypassProxies',
        // v2 contract: new errors, the body kit's encodings, the clock and cookie helpers for plugins and adapters.
        'ACCEPT_ENCODING',
        'HOOK_NAMES',
        'InvalidProxyURLError',
        'PoolTimeoutError',
        'SessionClosedError',
        'ZSTD_SUPPORTED',
        'abortReason',
        'applyCookieHeader',
        'cookieHeaderFromDict',
        'raceSignal',
        'throwIfAborted',
        'joinBaseUrl',
        'readEnvironment',
        'describeRequest',
        'redactUrl',
        'SECRET_QUERY_KEYS',
        'createFetch',
        'sessionFetch',
        'DEFAULT_TLS',
        'TlsConfigs',
        'CERT_CODES',
        'isTlsErrorCode',
        'checkProxyUrl',
        'splitProxyCredentials',
        // Stops and alarms: the session's clock without an AbortSignal, timers without a Node timer each.
        'raceStop',
        // The body kit's chunk concatenation, for adapters' whole-body reads.
        'concatChunks',
        'setAlarm',
        'stopOf',
        'throwIfStopped',
      ].sort(),
    );
  });

  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(core.VERSION).toBe(pkg.version);
    expect(core.defaultHeaders().get('user-agent')).toBe(`sess/${pkg.version}`);
  });
});
