import { describeType as describe } from '../params.js';
import type { Subjects } from '../subjects.js';
import type { Auth } from './auth.js';

// Through the registry (subjects.ts): a PreparedRequest turns `[user, pass]` into HTTPBasicAuth.
type PreparedRequest = Subjects['PreparedRequest'];

/** `Basic base64(user:pass)`, UTF-8 as RFC 7617 recommends. */
export function basicAuthHeader(username: string, password: string): string {
  if (typeof username !== 'string' || typeof password !== 'string') {
    throw new TypeError('basic auth username and password must be strings');
  }
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** HTTP Basic authentication (RFC 7617). */
export class HTTPBasicAuth implements Auth {
  constructor(
    readonly username: string,
    readonly password: string,
  ) {}
  apply(request: PreparedRequest): PreparedRequest {
    request.headers.set('Authorization', basicAuthHeader(this.username, this.password));
    return request;
  }
}

/** Basic credentials for the proxy: `Proxy-Authorization`, never sent on to another host. */
export class HTTPProxyAuth extends HTTPBasicAuth {
  override apply(request: PreparedRequest): PreparedRequest {
    request.headers.set('Proxy-Authorization', basicAuthHeader(this.username, this.password));
    return request;
  }
}

/** `Authorization: Bearer <token>` (RFC 6750). */
export class BearerAuth implements Auth {
  constructor(readonly token: string) {}
  apply(request: PreparedRequest): PreparedRequest {
    // A missing token would otherwise go out as the text `Bearer undefined`.
    if (typeof this.token !== 'string' || this.token === '') {
      throw new TypeError(
        `BearerAuth token must be a non-empty string, got ${this.token === '' ? 'an empty string' : describe(this.token)}`,
      );
    }
    request.headers.set('Authorization', `Bearer ${this.token}`);
    return request;
  }
}

/** Turns `[user, pass]` into HTTPBasicAuth; passes an Auth object through. */
export function toAuth(auth: readonly [string, string] | Auth): Auth {
  if (Array.isArray(auth)) {
    if (auth.length !== 2) throw new TypeError('auth as an array must be [username, password]');
    return new HTTPBasicAuth(auth[0] as string, auth[1] as string);
  }
  if (typeof (auth as Auth).apply !== 'function')
    throw new TypeError('auth must be [user, pass] or have apply(request)');
  return auth as Auth;
}
