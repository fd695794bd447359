/**
 * The one AbortController of a fetch call. The session is given its
 * signal, never the caller's, because the call must also be able to stop
 * the body on its own (a cancelled `response.body`): aborting this
 * controller makes core cancel the adapter's source and end a pending read
 * at once. The caller's signal (any object that looks like an AbortSignal,
 * from a polyfill too) is linked in until the body is done.
 */
export class FetchAbort {
  readonly #controller = new AbortController();
  #user: AbortSignal | undefined;
  #onUserAbort: (() => void) | undefined;
  #listeners: Array<() => void> | undefined;

  /** What the session is given. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** `true` once the caller's signal has fired (not a cancel of the body). */
  get userAborted(): boolean {
    return this.#user?.aborted === true;
  }

  /** The caller's reason, when their signal fired. */
  get userReason(): unknown {
    return this.#user?.reason;
  }

  /** Follows the caller's signal from now on; a signal that fired already aborts at once. */
  link(user: AbortSignal | null | undefined): void {
    if (!user) return;
    this.#user = user;
    if (user.aborted) {
      this.#controller.abort(user.reason);
      return;
    }
    this.#onUserAbort = () => {
      this.#controller.abort(user.reason);
      const listeners = this.#listeners;
      this.#listeners = undefined;
      if (listeners) for (const fn of listeners) fn();
    };
    user.addEventListener('abort', this.#onUserAbort, { once: true });
  }

  /** Runs `fn` when the caller aborts (until `release()`). */
  onUserAbort(fn: () => void): void {
    if (this.#onUserAbort === undefined) return;
    if (this.#listeners) this.#listeners.push(fn);
    else this.#listeners = [fn];
  }

  /** The body was cancelled by its reader: stop reading it, whatever the caller's signal does. */
  cancel(): void {
    this.#controller.abort(BODY_CANCELLED);
  }

  /** The call is over: a long-lived caller's signal must not keep it alive or fire into it. */
  release(): void {
    if (this.#onUserAbort) this.#user?.removeEventListener('abort', this.#onUserAbort);
    this.#onUserAbort = undefined;
    this.#listeners = undefined;
  }
}

/** The reason core sees when the reader cancelled the body; nobody else ever sees it. */
const BODY_CANCELLED = Object.freeze({ reason: 'the response body was cancelled' });
