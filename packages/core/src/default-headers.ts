import { ACCEPT_ENCODING } from './decode.js';
import { Headers } from './headers.js';
import { VERSION } from './version.js';

/**
 * requests' `default_headers()`, with our name. Accept-Encoding lists what
 * core decodes (for every adapter, since core owns the body).
 */
export function defaultHeaders(userAgent = `sess/${VERSION}`): Headers {
  return new Headers({
    'User-Agent': userAgent,
    'Accept-Encoding': ACCEPT_ENCODING,
    Accept: '*/*',
    Connection: 'keep-alive',
  });
}
