/**
 * What the Session needs from a cookie jar, and nothing more. `@sess/cookies`'
 * `CookieJar` implements it on tough-cookie; `@sess/core` alone ships only
 * `NoCookieJar`, which remembers nothing. Methods may return promises (a jar
 * on an async store); the session awaits only when they do, so a sync jar
 * costs nothing.
 */
export interface SessionCookieJar {
  /** Stores the `Set-Cookie` header values of a response received from `url`, by RFC 6265's rules. */
  setCookiesFromResponse(setCookies: readonly string[], url: string): void | Promise<void>;
  /** The `Cookie` header value the jar allows for `url` (`''` when none). */
  getCookieHeader(url: string): string | Promise<string>;
  /** A new empty jar of the same kind; the session fills one per response for `response.cookies`. */
  createEmpty(): SessionCookieJar;
}

/** A jar that stores nothing: the default of a bare `@sess/core` Session. */
export class NoCookieJar implements SessionCookieJar {
  setCookiesFromResponse(): void {}
  getCookieHeader(): string {
    return '';
  }
  createEmpty(): NoCookieJar {
    return this;
  }
}

/**
 * The jar type `response.cookies` has. Core knows only `SessionCookieJar`;
 * a jar package declares its own here, so that `response.cookies.getDict()`
 * type-checks wherever it is installed:
 *
 * ```ts
 * declare module '@sess/core' {
 *   interface CookieJarTypes { jar: CookieJar }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging
export interface CookieJarTypes {}

/** `CookieJarTypes['jar']` when a jar package declared one, else `SessionCookieJar`. */
export type ResponseCookieJar = CookieJarTypes extends { jar: infer J extends SessionCookieJar }
  ? J
  : SessionCookieJar;
