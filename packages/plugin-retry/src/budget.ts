import type { RetryBudgetOptions } from './options.js';

/** Timestamps in a sliding window, oldest first; old ones are dropped as time moves on. */
class Window {
  #times: number[] = [];
  #head = 0;

  add(now: number): void {
    this.#times.push(now);
  }

  count(now: number, span: number): number {
    const from = now - span;
    while (this.#head < this.#times.length && (this.#times[this.#head] as number) <= from) this.#head++;
    // Compact now and then so the array does not grow for ever.
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    return this.#times.length - this.#head;
  }
}

/**
 * A retry budget (Finagle's RetryBudget, Envoy's and gRPC's idea): over a
 * sliding window, retries are allowed while the retries made in it stay
 * below `max(minPerSecond × window seconds, ratio × requests in it)`. Under
 * a total outage this caps the extra load retries add to `ratio` (20%)
 * instead of multiplying it by `total + 1`.
 */
export class RetryBudget {
  readonly ratio: number;
  readonly minPerSecond: number;
  /** The window in ms. */
  readonly window: number;
  readonly #requests = new Window();
  readonly #retries = new Window();

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? 0.2;
    this.minPerSecond = options.minPerSecond ?? 10;
    this.window = options.window ?? 10_000;
  }

  /** Counts a request (its first attempt). */
  recordRequest(now: number = performance.now()): void {
    this.#requests.add(now);
  }

  /** Retries the budget allows in the window right now. */
  allowance(now: number = performance.now()): number {
    const floor = this.minPerSecond * (this.window / 1000);
    return Math.max(floor, this.ratio * this.#requests.count(now, this.window));
  }

  /** `true` when one more retry fits in the budget. */
  canRetry(now: number = performance.now()): boolean {
    return this.#retries.count(now, this.window) < this.allowance(now);
  }

  /** Counts a retry about to be made. */
  recordRetry(now: number = performance.now()): void {
    this.#retries.add(now);
  }

  /** Retries counted in the window now. */
  retriesInWindow(now: number = performance.now()): number {
    return this.#retries.count(now, this.window);
  }
}
