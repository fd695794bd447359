import { Headers } from './headers.js';
import { VERSION } from './version.js';

/**
 * requests' `default_headers()`, with our name. Accept-Encoding lists what
 * the undici adapter decodes; `sess` sets it from the adapter it mounts,
 * and a custom adapter that decodes less should narrow it.
 */
export function defaultHeaders(userAgent = `sess/${VERSION}`): Headers {
  return new Headers({
    'User-Agent': userAgent,
    'Accept-Encoding': 'gzip, deflate, br',
    Accept: '*/*',
    Connection: 'keep-alive',
  });
}
