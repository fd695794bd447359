import type { Cookie, Store } from 'tough-cookie';
import { CookieJar } from './jar.js';
import type { JarResult, MemoryJarOptions, SetCookieOptions } from './types.js';

/** Where the cookies of a plain `{ name: value }` object belong: `domain` is required. */
export type CookieDictOptions = SetCookieOptions;

function checkDictOptions(options: CookieDictOptions | undefined, fn: string): CookieDictOptions {
  if (typeof options?.domain !== 'string') {
    throw new TypeError(
      `${fn}() needs { domain } for a plain object of cookies: requests would make domain-less cookies ` +
        'that go to every host; sess does not.',
    );
  }
  return options;
}

/**
 * requests' `cookiejar_from_dict`: a new in-memory jar holding `dict`'s
 * cookies, all on `options.domain` (required) and `options.path` (default
 * `/`). The other options configure the jar.
 */
export function cookiejarFromDict(
  dict: Record<string, string | number>,
  options: CookieDictOptions & MemoryJarOptions,
): CookieJar {
  const { domain, path, secure, expires, httpOnly, sameSite, hostOnly, ...jarOptions } = checkDictOptions(
    options,
    'cookiejarFromDict',
  );
  const jar = new CookieJar(jarOptions);
  for (const [name, value] of Object.entries(dict)) {
    jar.set(name, value, { domain, path, secure, expires, httpOnly, sameSite, hostOnly });
  }
  return jar;
}

function isDict(value: unknown): value is Record<string, string | number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(Symbol.iterator in value) &&
    !(Symbol.asyncIterator in value)
  );
}

/**
 * requests' `merge_cookies`: adds `cookies` to `jar` and returns `jar` (a
 * promise of it on an asynchronous store). From a jar or iterable of
 * cookies, every cookie is copied, replacing namesakes. From a plain
 * `{ name: value }` object, `options.domain` is required and, as in
 * requests, a name the jar already holds is not overwritten.
 */
export function mergeCookies<S extends Store>(
  jar: CookieJar<S>,
  cookies: CookieJar<Store> | Iterable<Cookie> | Record<string, string | number>,
  options?: CookieDictOptions,
): JarResult<S, CookieJar<S>> {
  const sync = jar.synchronous && !(cookies instanceof CookieJar && !cookies.synchronous);
  if (isDict(cookies)) {
    const where = checkDictOptions(options, 'mergeCookies');
    if (sync) {
      const syncJar = jar as unknown as CookieJar;
      const names = new Set(syncJar.keys());
      for (const [name, value] of Object.entries(cookies))
        if (!names.has(name)) syncJar.set(name, value, where);
      return jar as JarResult<S, CookieJar<S>>;
    }
    return (async () => {
      const names = new Set(await jar.keysAsync());
      for (const [name, value] of Object.entries(cookies))
        if (!names.has(name)) await jar.setAsync(name, value, where);
      return jar;
    })() as JarResult<S, CookieJar<S>>;
  }
  if (sync) {
    (jar as unknown as CookieJar).update(cookies as Iterable<Cookie>);
    return jar as JarResult<S, CookieJar<S>>;
  }
  return (async () => {
    await jar.updateAsync(cookies instanceof CookieJar ? await cookies.toArrayAsync() : cookies);
    return jar;
  })() as JarResult<S, CookieJar<S>>;
}
