/**
 * sess over HTTP/2: `new Session({ http2: true })` mounts an `Http2Adapter`
 * on https://, which negotiates h2 by ALPN (the bench server offers nothing
 * else, so every answer came over h2), trusting the test CA through `verify`.
 */
import { Session } from 'sess';
import { CA_PATH } from '../lib/tls.js';
import { sessDef } from './sess.js';

export const sessHttp2 = sessDef('sess (http2: true)', {
  session() {
    const s = new Session({ http2: true });
    s.verify = CA_PATH;
    return s;
  },
});
