// core cannot depend on @sess/testkit (testkit depends on core), so its tests import MockAdapter by path.
import { MockAdapter, type MockHandler } from '../../../testkit/src/mock-adapter.js';
import type { SessionCookieJar } from '../../src/cookie-jar.js';
import { Session } from '../../src/session.js';

/**
 * A deliberately simple jar for core's unit tests: host-only cookies keyed by
 * hostname, `name=value` from each Set-Cookie. The real RFC 6265 jar lives
 * in @sess/cookies, which core cannot depend on.
 */
export class HostJar implements SessionCookieJar {
  readonly byHost = new Map<string, Map<string, string>>();
  setCookiesFromResponse(setCookies: readonly string[], url: string): void {
    const host = new URL(url).hostname;
    const m = this.byHost.get(host) ?? new Map<string, string>();
    for (const sc of setCookies) {
      const [pair] = sc.split(';');
      const eq = (pair as string).indexOf('=');
      m.set((pair as string).slice(0, eq).trim(), (pair as string).slice(eq + 1).trim());
    }
    this.byHost.set(host, m);
  }
  getCookieHeader(url: string): string {
    const m = this.byHost.get(new URL(url).hostname);
    return m ? [...m].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
  createEmpty(): HostJar {
    return new HostJar();
  }
  getDict(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const m of this.byHost.values()) for (const [k, v] of m) out[k] = v;
    return out;
  }
}

/** A session with a HostJar, the mock mounted on http:// and https://, and no environment. */
export function mockSession(handler: MockHandler): { s: Session; mock: MockAdapter; jar: HostJar } {
  const jar = new HostJar();
  const s = new Session({ cookies: jar });
  s.trustEnv = false;
  const mock = new MockAdapter(handler);
  s.mount('http://', mock);
  s.mount('https://', mock);
  return { s, mock, jar };
}

/** A handler that answers a redirect table `{ url: [status, location] }`, else 200 echoing the request. */
export function redirects(table: Record<string, [number, string]>): MockHandler {
  return (req) => {
    const hop = table[req.url];
    if (hop) return { status: hop[0], headers: { Location: hop[1] } };
    return { json: { url: req.url, method: req.method } };
  };
}
