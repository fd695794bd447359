/**
 * A restartable silence timer (the `read` clock): armed while the adapter
 * waits on the server, disarmed while it waits on the caller (a slow body
 * reader or upload source is not server silence). Without a limit every
 * call is a no-op and nothing is allocated.
 */
export class Watchdog {
  readonly #ms: number | undefined;
  readonly #onFire: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number | undefined, onFire: () => void) {
    this.#ms = ms;
    this.#onFire = onFire;
  }

  /** Starts the clock, or restarts it from now when it runs. */
  arm(): void {
    if (this.#ms === undefined) return;
    if (this.#timer) this.#timer.refresh();
    else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#onFire();
      }, this.#ms);
    }
  }

  /** Stops the clock. Safe to call at any time. */
  disarm(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}

/** The watchdog of every request without a read timeout: shared, since all it does is nothing. */
export const NO_WATCHDOG = new Watchdog(undefined, () => {});
