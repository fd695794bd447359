import { siteOf } from '@sess/cookies';

/** The id of a cookie in the store: JSON `[site, domain, path, name]` (see scripts.ts). */
export function cookieId(domain: string, path: string, key: string): string {
  return JSON.stringify([siteOf(domain), domain, path, key]);
}

/** The key holding a cookie's JSON. */
export function cookieKey(prefix: string, id: string): string {
  return `${prefix}:c:${id}`;
}
