import type { Subjects } from '../subjects.js';

// Through the registry (subjects.ts): a PreparedRequest takes an Auth and applies it to itself.
type PreparedRequest = Subjects['PreparedRequest'];

/**
 * Custom authentication (requests' `AuthBase`): change the prepared request,
 * usually by setting a header. It may register response hooks on
 * `request.hooks` to answer challenges (digest does).
 */
export interface Auth {
  apply(request: PreparedRequest): PreparedRequest | Promise<PreparedRequest>;
}

/** `[user, pass]` is basic auth; anything with `apply` is custom. */
export type AuthInit = readonly [username: string, password: string] | Auth;
