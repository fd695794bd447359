import type { Clock } from './clock.js';
import type { Extensions, Proxies, SendOptions } from './send-options.js';
import { STOP } from './stop.js';
import type { TimeoutConfig } from './timeout.js';

/**
 * The first hop's options of a request with a deadline: `signal` is made by
 * the clock when first read, through a getter on the prototype. (An own
 * accessor, defined per object, measured 3-4 µs a request: more than making
 * the AbortSignal.) A plugin's `{ ...options }` does not copy a prototype
 * getter: the plugin chain puts the signal back on such a copy
 * (`withSignal`), and `stopOf()` finds the clock under STOP in any copy.
 */
export class DeadlineHopOptions implements SendOptions {
  readonly stream: boolean;
  readonly timeout: TimeoutConfig;
  readonly deadline: number | undefined;
  readonly verify: boolean | string;
  readonly cert: string | readonly [string, string] | null;
  readonly proxies: Proxies;
  readonly extensions: Extensions;
  readonly maxResponseSize: number | undefined;
  readonly [STOP]: Clock;

  constructor(
    clock: Clock,
    stream: boolean,
    verify: boolean | string,
    cert: string | readonly [string, string] | null,
    proxies: Proxies,
    extensions: Extensions,
    maxResponseSize: number | undefined,
  ) {
    this.stream = stream;
    this.timeout = clock.timeout;
    this.deadline = clock.deadline;
    this.verify = verify;
    this.cert = cert;
    this.proxies = proxies;
    this.extensions = extensions;
    this.maxResponseSize = maxResponseSize;
    this[STOP] = clock;
  }

  get signal(): AbortSignal | undefined {
    return this[STOP].signal;
  }
}

/**
 * `options` with its `signal`: a copy a plugin made with `{ ...options }`
 * of options whose signal is a prototype getter has none of its own, and
 * gets the clock's. A copy that names `signal` (a plugin detaching from the
 * caller: `signal: undefined`) is left as it is.
 */
export function withSignal(options: SendOptions): SendOptions {
  if ('signal' in options) return options;
  const copy = options as Omit<SendOptions, 'signal'> & { [STOP]?: Clock | null };
  const clock = copy[STOP];
  return clock ? { ...copy, signal: clock.signal } : options;
}
