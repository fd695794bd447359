import type { Context } from './context.js';
import { type DigestQop, parseDigestAlgorithm } from './digest.js';
import { type Route, route } from './router.js';

/** `[user, password]` from a Basic Authorization header, or undefined. */
function basicCredentials(ctx: Context): [string, string] | undefined {
  const m = /^basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(ctx.req.headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

function basicAuth(hidden: boolean) {
  return (ctx: Context, [user = '', password = '']: readonly string[]): void => {
    const given = basicCredentials(ctx);
    if (given && given[0] === user && given[1] === password) {
      ctx.json({ authenticated: true, user });
    } else if (hidden) {
      // The hidden variant never admits that credentials would help.
      ctx.fail(404, 'not found');
    } else {
      ctx.json({ authenticated: false }, 401, { 'WWW-Authenticate': 'Basic realm="Fake Realm"' });
    }
  };
}

function bearer(ctx: Context): void {
  const m = /^bearer\s+(\S+)\s*$/i.exec(ctx.req.headers.authorization ?? '');
  if (m) ctx.json({ authenticated: true, token: m[1] });
  else ctx.json({ authenticated: false }, 401, { 'WWW-Authenticate': 'Bearer' });
}

async function digestAuth(
  ctx: Context,
  [qopText = '', user = '', password = '', algorithmText = 'MD5']: readonly string[],
) {
  const algorithm = parseDigestAlgorithm(algorithmText);
  if (!algorithm) {
    ctx.fail(400, `unsupported digest algorithm ${JSON.stringify(algorithmText)}`);
    return;
  }
  // As in httpbin, an unknown qop means RFC 2069 mode (no qop at all).
  const qop: DigestQop = qopText === 'auth' || qopText === 'auth-int' ? qopText : null;
  const authorization = ctx.req.headers.authorization;
  const body = qop === 'auth-int' ? (await ctx.body()).raw : Buffer.alloc(0);
  const uri = ctx.req.url ?? '/';
  const verdict = ctx.state.digest.verify(authorization, {
    user,
    password,
    qop,
    algorithm,
    method: ctx.method,
    uri,
    body,
  });
  if (verdict === 'ok') {
    ctx.json({ authenticated: true, user });
    return;
  }
  const challenge = ctx.state.digest.challenge(qop, algorithm, verdict === 'stale');
  ctx.json({ authenticated: false }, 401, { 'WWW-Authenticate': challenge });
}

/** /basic-auth, /hidden-basic-auth, /bearer and /digest-auth. */
export const authRoutes: readonly Route[] = [
  route('/basic-auth/:user/:passwd', basicAuth(false), ['GET']),
  route('/hidden-basic-auth/:user/:passwd', basicAuth(true), ['GET']),
  route('/bearer', bearer, ['GET']),
  route('/digest-auth/:qop/:user/:passwd', digestAuth),
  route('/digest-auth/:qop/:user/:passwd/:algorithm', digestAuth),
];
