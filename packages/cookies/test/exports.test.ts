import * as pkg from '@sess/cookies';
import { describe, expect, it } from 'vitest';

/** The public surface: the jar, persistence, and the helpers store authors (like the Redis store) build on. */
describe('@sess/cookies exports', () => {
  it('lists exactly these runtime names', () => {
    expect(Object.keys(pkg).sort()).toMatchInlineSnapshot(`
      [
        "Cookie",
        "CookieJar",
        "DEFAULT_LIMITS",
        "DEFAULT_MAX_COOKIE_SIZE",
        "FileCookieStore",
        "MemoryStore",
        "NETSCAPE_HEADER",
        "Store",
        "compareForEviction",
        "cookieFromJSON",
        "cookieToJSON",
        "cookiejarFromDict",
        "domainCandidates",
        "expiresAt",
        "formatNetscape",
        "formatNetscapeLine",
        "isBoundedStore",
        "isExpired",
        "isPublicSuffix",
        "isSessionCookie",
        "loadCookiesTxt",
        "mergeCookies",
        "normalizeDomain",
        "oldest",
        "parseNetscape",
        "pathMatch",
        "purgeTarget",
        "rankForEviction",
        "registrableDomain",
        "resolveLimits",
        "respond",
        "respondLater",
        "respondLaterVoid",
        "respondVoid",
        "saveCookiesTxt",
        "selectEvictions",
        "siteOf",
        "writeFileAtomic",
        "writeFileAtomicSync",
      ]
    `);
  });
});
