/**
 * The classes a request is about, by name, for the modules below them.
 *
 * Why: `PreparedRequest` is built at runtime from Headers, URLs, hooks and
 * auth, and those raise errors that carry the request (and the response).
 * Naming the classes there by importing their modules would make the import
 * graph cyclic, type-only imports included. So the modules that define the
 * classes register them here instead, and the modules below name them as
 * `Subjects['PreparedRequest']`: the very same types, with no import of the
 * defining module. It is the pattern of `CookieJarTypes` (cookie-jar.ts),
 * kept inside core:
 *
 * ```ts
 * declare module './subjects.js' {
 *   interface Subjects { PreparedRequest: PreparedRequest }
 * }
 * ```
 *
 * Every entry is registered by a module that `index.ts` loads, so the
 * declarations a user imports from `@sess/core` always see them all.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging (prepared-request.ts, request.ts, response.ts)
export interface Subjects {}
