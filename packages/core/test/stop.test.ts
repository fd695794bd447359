import { describe, expect, it } from 'vitest';
import type { Adapter } from '../src/adapter.js';
import { type Clock, liveStop, startClock } from '../src/clock.js';
import { AbortError, type RequestError, TimeoutError } from '../src/errors.js';
import type { PreparedRequest } from '../src/prepared-request.js';
import { Request } from '../src/request.js';
import type { Response } from '../src/response.js';
import type { SendOptions } from '../src/send-options.js';
import { Session } from '../src/session.js';
import {
  type RequestStop,
  raceStop,
  STOP,
  signalStop,
  stopError,
  stopOf,
  throwIfStopped,
  toStop,
} from '../src/stop.js';
import { failure } from './support/failure.js';
import { mockSession } from './support/session.js';

/** A RequestStop fired by hand, that shows who listens to it. */
class ManualStop implements RequestStop {
  stopped = false;
  readonly listeners = new Set<() => void>();
  readonly #reason: unknown;

  constructor(reason: unknown = new TimeoutError('manual deadline')) {
    this.#reason = reason;
  }

  error(request?: PreparedRequest | Request): RequestError {
    return stopError(this.#reason, request);
  }

  onStop(listener: () => void): void {
    if (!this.stopped) this.listeners.add(listener);
  }

  offStop(listener: () => void): void {
    this.listeners.delete(listener);
  }

  fire(): void {
    this.stopped = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }
}

/** A promise with its resolve and reject. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves after `ms` of real time (a plain timer, not an alarm). */
const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with performance.now() when `stop` fires. */
const firing = (stop: RequestStop) =>
  new Promise<number>((resolve) => stop.onStop(() => resolve(performance.now())));

/** Runs `body`, and lists the unhandled rejections seen until two macrotasks after it. */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onUnhandled = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await body();
    await new Promise((resolve) => setImmediate(resolve));
    await after(5);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  return seen;
}

/** SendOptions' shape as the session makes them: a lazy signal and the clock under STOP. */
function sessionStyleOptions(clock: Clock): {
  readonly signal: AbortSignal | undefined;
  readonly [STOP]: RequestStop | null;
} {
  return {
    get signal(): AbortSignal | undefined {
      return clock.signal;
    },
    [STOP]: liveStop(clock) ?? null,
  };
}

const request = new Request({ url: 'http://a.test/' });

describe('stopOf', () => {
  it('gives the clock under STOP while the signal is the clock’s own, or not named at all', () => {
    const clock = startClock({ total: 10_000 }, undefined);
    try {
      expect(stopOf(sessionStyleOptions(clock))).toBe(clock);
      // A spread copy that never names `signal` (the session's getter is not copied).
      expect(stopOf({ [STOP]: clock } as never)).toBe(clock);
      expect(stopOf({ signal: clock.signal, [STOP]: clock } as never)).toBe(clock);
      // A copy that names another signal, or none (a plugin detaching), is not the clock's any more.
      expect(stopOf({ signal: undefined, [STOP]: clock } as never)).toBeUndefined();
      const other = new AbortController();
      const stop = stopOf({ signal: other.signal, [STOP]: clock } as never);
      expect(stop).not.toBe(clock);
      other.abort();
      expect(stop?.stopped).toBe(true);
    } finally {
      clock.release();
    }
  });

  it('gives undefined for STOP: null (the session’s clock has nothing that could fire)', () => {
    const clock = startClock({}, undefined);
    const options = sessionStyleOptions(clock);
    expect(options[STOP]).toBeNull();
    expect(stopOf(options)).toBeUndefined();
    expect(stopOf({ signal: undefined, [STOP]: null } as never)).toBeUndefined();
  });

  it('without STOP, wraps the signal: stopped, onStop and the error follow it', () => {
    const controller = new AbortController();
    const stop = stopOf({ signal: controller.signal });
    expect(stop).toBeDefined();
    expect(stop?.stopped).toBe(false);
    let calls = 0;
    let offCalls = 0;
    const off = () => offCalls++;
    stop?.onStop(() => calls++);
    stop?.onStop(off);
    stop?.offStop(off);
    const reason = new Error('user gave up');
    controller.abort(reason);
    controller.abort(new Error('again'));
    expect(stop?.stopped).toBe(true);
    expect(calls).toBe(1);
    expect(offCalls).toBe(0);
    const error = stop?.error(request);
    expect(error).toBeInstanceOf(AbortError);
    expect(error?.cause).toBe(reason);
    expect(error?.request).toBe(request);
  });

  it('a wrapped signal whose reason is a TimeoutError gives that TimeoutError, its request filled in', () => {
    const timeout = new TimeoutError('deadline');
    const stop = stopOf({ signal: AbortSignal.abort(timeout) });
    expect(stop?.stopped).toBe(true);
    const error = stop?.error(request);
    expect(error).toBe(timeout);
    expect(error?.request).toBe(request);
  });

  it('gives undefined when there is neither STOP nor a signal', () => {
    expect(stopOf({})).toBeUndefined();
    expect(stopOf({ signal: undefined })).toBeUndefined();
    expect(stopOf({ signal: null })).toBeUndefined();
  });

  it('{ ...options } keeps the stop: a spread copies the symbol key, and reads the lazy signal', () => {
    const clock = startClock({ total: 10_000 }, undefined);
    try {
      const options = sessionStyleOptions(clock);
      const copy = { ...options };
      expect(stopOf(copy)).toBe(clock);
      expect(Object.getOwnPropertySymbols(copy)).toContain(STOP);
      expect(copy.signal).toBeInstanceOf(AbortSignal);
      expect(copy.signal).toBe(clock.signal);
      // And a copy of options that had nothing to stop them says so too.
      expect(stopOf({ ...sessionStyleOptions(startClock({}, undefined)) })).toBeUndefined();
    } finally {
      clock.release();
    }
  });
});

describe('toStop, signalStop, throwIfStopped', () => {
  it('toStop passes a RequestStop through, wraps a signal, and gives undefined for nothing', () => {
    const manual = new ManualStop();
    expect(toStop(manual)).toBe(manual);
    expect(toStop(undefined)).toBeUndefined();
    expect(toStop(null)).toBeUndefined();
    const wrapped = toStop(AbortSignal.abort('why'));
    expect(wrapped).toBeDefined();
    expect(wrapped).not.toBeInstanceOf(AbortSignal);
    expect(wrapped?.stopped).toBe(true);
    expect(wrapped?.error().cause).toBe('why');
  });

  it('signalStop gives undefined for no signal', () => {
    expect(signalStop(undefined)).toBeUndefined();
    expect(signalStop(null)).toBeUndefined();
    expect(signalStop(new AbortController().signal)?.stopped).toBe(false);
  });

  it('throwIfStopped throws the stop’s error, with the request, only once it has fired', () => {
    const manual = new ManualStop();
    expect(() => throwIfStopped(undefined, request)).not.toThrow();
    expect(() => throwIfStopped(manual, request)).not.toThrow();
    manual.fire();
    let thrown: unknown;
    try {
      throwIfStopped(manual, request);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TimeoutError);
    expect((thrown as TimeoutError).request).toBe(request);
  });
});

describe('startClock', () => {
  it('without a total or a signal: nothing can fire, liveStop gives undefined', () => {
    const clock = startClock({}, undefined);
    expect(clock.deadline).toBeUndefined();
    expect(clock.signal).toBeUndefined();
    expect(clock.stopped).toBe(false);
    expect(liveStop(clock)).toBeUndefined();
  });

  it('with only a caller’s signal: that signal as is, and the clock stops with it', () => {
    const controller = new AbortController();
    const clock = startClock({ read: 5 }, controller.signal);
    expect(clock.signal).toBe(controller.signal);
    expect(clock.deadline).toBeUndefined();
    expect(liveStop(clock)).toBe(clock);
    let calls = 0;
    clock.onStop(() => calls++);
    expect(clock.stopped).toBe(false);
    controller.abort('enough');
    expect(clock.stopped).toBe(true);
    expect(calls).toBe(1);
    expect(clock.error(request)).toBeInstanceOf(AbortError);
    expect(clock.error(request).cause).toBe('enough');
  });

  it('total: not stopped, then at the deadline stopped with a TimeoutError naming the total', async () => {
    const t0 = performance.now();
    const clock = startClock({ total: 30 }, undefined);
    expect(liveStop(clock)).toBe(clock);
    expect(clock.deadline).toBeGreaterThanOrEqual(t0 + 30);
    expect(clock.stopped).toBe(false);
    const at = await firing(clock);
    expect(at - t0).toBeGreaterThanOrEqual(29);
    expect(clock.stopped).toBe(true);
    const error = clock.error(request);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('total timeout of 30 ms');
    expect(error.request).toBe(request);
  });

  it('total: a signal read after the deadline is already aborted, its reason the TimeoutError', async () => {
    const clock = startClock({ total: 31 }, undefined);
    await firing(clock);
    const signal = clock.signal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(TimeoutError);
    expect(clock.error()).toBe(signal?.reason);
    expect(clock.signal).toBe(signal);
  });

  it('total: a signal read before the deadline aborts when it comes', async () => {
    const t0 = performance.now();
    const clock = startClock({ total: 32 }, undefined);
    const signal = clock.signal as AbortSignal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    expect(clock.signal).toBe(signal);
    const at = await new Promise<number>((resolve) =>
      signal.addEventListener('abort', () => resolve(performance.now())),
    );
    expect(at - t0).toBeGreaterThanOrEqual(31);
    expect(signal.reason).toBeInstanceOf(TimeoutError);
    expect((signal.reason as Error).message).toContain('total timeout of 32 ms');
  });

  it('onStop listeners are called once; offStop’d ones and ones added after firing never', async () => {
    const clock = startClock({ total: 33 }, undefined);
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    clock.onStop(() => calls.push('a'));
    clock.onStop(removed);
    clock.onStop(() => calls.push('b'));
    clock.offStop(removed);
    clock.offStop(() => calls.push('never added'));
    await firing(clock);
    clock.onStop(() => calls.push('late'));
    // Another deadline of the same duration, set after the first fired: the sync point.
    await firing(startClock({ total: 33 }, undefined));
    expect(calls).toEqual(['a', 'b']);
  });

  it('the caller’s abort stops it first: AbortError whose cause is the caller’s reason, and the deadline is off', async () => {
    const controller = new AbortController();
    const clock = startClock({ total: 34 }, controller.signal);
    const signal = clock.signal as AbortSignal;
    expect(signal).not.toBe(controller.signal);
    let calls = 0;
    clock.onStop(() => calls++);
    const reason = new Error('user gave up');
    controller.abort(reason);
    expect(clock.stopped).toBe(true);
    expect(calls).toBe(1);
    const error = clock.error(request);
    expect(error).toBeInstanceOf(AbortError);
    expect(error.cause).toBe(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    await firing(startClock({ total: 34 }, undefined));
    // The deadline came and went: it changed nothing.
    expect(calls).toBe(1);
    expect(clock.error()).toBeInstanceOf(AbortError);
  });

  it('a caller’s signal aborted already: stopped from the start', () => {
    const clock = startClock({ total: 10_000 }, AbortSignal.abort('before'));
    expect(clock.stopped).toBe(true);
    expect(clock.error().cause).toBe('before');
    expect(clock.signal?.aborted).toBe(true);
  });

  it('the caller’s abort after the deadline changes nothing: still the TimeoutError', async () => {
    const controller = new AbortController();
    const clock = startClock({ total: 35 }, controller.signal);
    await firing(clock);
    controller.abort('too late');
    expect(clock.error()).toBeInstanceOf(TimeoutError);
    expect(clock.signal?.reason).toBeInstanceOf(TimeoutError);
  });

  it('release() cancels the deadline and lets go of the caller’s signal', async () => {
    const controller = new AbortController();
    const clock = startClock({ total: 36 }, controller.signal);
    let calls = 0;
    clock.onStop(() => calls++);
    clock.release();
    clock.release();
    await firing(startClock({ total: 36 }, undefined));
    expect(clock.stopped).toBe(false);
    controller.abort('after release');
    expect(clock.stopped).toBe(false);
    expect(calls).toBe(0);
    expect(clock.signal?.aborted).toBe(false);
  });

  it('stopDeadline() cancels only the deadline: the caller can still abort', async () => {
    const controller = new AbortController();
    const clock = startClock({ total: 37 }, controller.signal);
    clock.stopDeadline();
    await firing(startClock({ total: 37 }, undefined));
    expect(clock.stopped).toBe(false);
    controller.abort('now');
    expect(clock.stopped).toBe(true);
    expect(clock.error()).toBeInstanceOf(AbortError);
  });
});

describe('raceStop', () => {
  it('without a stop, gives the promise itself', () => {
    const p = Promise.resolve(1);
    expect(raceStop(p, undefined)).toBe(p);
  });

  it('resolves with the value when it comes first, and stops listening', async () => {
    const stop = new ManualStop();
    const d = deferred<string>();
    const raced = raceStop(d.promise, stop, request);
    expect(stop.listeners.size).toBe(1);
    d.resolve('value');
    await expect(raced).resolves.toBe('value');
    expect(stop.listeners.size).toBe(0);
  });

  it('rejects with the promise’s error when it comes first, and stops listening', async () => {
    const stop = new ManualStop();
    const d = deferred<string>();
    const raced = raceStop(d.promise, stop, request);
    const own = new Error('own failure');
    d.reject(own);
    await expect(raced).rejects.toBe(own);
    expect(stop.listeners.size).toBe(0);
  });

  it('rejects with the stop’s error when it fires first; the promise’s later rejection is not unhandled', async () => {
    const unhandled = await unhandledDuring(async () => {
      const stop = new ManualStop();
      const d = deferred<string>();
      const raced = raceStop(d.promise, stop, request);
      stop.fire();
      const error = await raced.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).request).toBe(request);
      d.reject(new Error('late failure'));
    });
    expect(unhandled).toEqual([]);
  });

  it('a stop fired already rejects at once, and the promise’s later rejection is not unhandled', async () => {
    const unhandled = await unhandledDuring(async () => {
      const stop = new ManualStop(new Error('caller reason'));
      stop.fire();
      const d = deferred<string>();
      const error = await raceStop(d.promise, stop, request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortError);
      expect((error as AbortError).cause).toEqual(new Error('caller reason'));
      expect(stop.listeners.size).toBe(0);
      d.reject(new Error('late failure'));
    });
    expect(unhandled).toEqual([]);
  });

  it('with a clock: the deadline wins over a promise that never settles', async () => {
    const t0 = performance.now();
    const clock = startClock({ total: 38 }, undefined);
    const error = await raceStop(new Promise(() => {}), clock, request).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(37);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).request).toBe(request);
  });
});

/** An adapter that never answers, and gives up when the request's stop fires (as sess's own adapters do). */
class StopHonouringAdapter implements Adapter {
  readonly seen: { options: SendOptions; stop: RequestStop | undefined }[] = [];
  heardStop = false;

  send(req: PreparedRequest, options: SendOptions): Promise<Response> {
    // stopOf first: options.signal is not read, as a hot-path adapter would not.
    const stop = stopOf(options);
    this.seen.push({ options, stop });
    return new Promise<Response>((_resolve, reject) => {
      stop?.onStop(() => {
        this.heardStop = true;
        reject(stop.error(req));
      });
    });
  }

  async close(): Promise<void> {}
}

function sessionWith(adapter: Adapter): Session {
  const s = new Session();
  s.trustEnv = false;
  s.mount('http://', adapter);
  return s;
}

describe('the stop through a Session', () => {
  it('an adapter that honours stopOf(options) ends a request that never answers at timeout.total', async () => {
    const adapter = new StopHonouringAdapter();
    const s = sessionWith(adapter);
    const { error, ms } = await failure(() => s.get('http://a.test/', { timeout: { total: 50 } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain('total timeout of 50 ms');
    expect(ms).toBeGreaterThanOrEqual(49);
    expect(ms).toBeLessThan(1000);
    expect(adapter.seen).toHaveLength(1);
    expect(adapter.heardStop).toBe(true);
    expect(adapter.seen[0]?.stop?.stopped).toBe(true);
  });

  it('an adapter that reads options.signal gets a real AbortSignal that aborts at the deadline', async () => {
    let signal: AbortSignal | undefined;
    let abortedAfter: number | undefined;
    const t0 = performance.now();
    const { s } = mockSession((_req, options) => {
      signal = options.signal;
      signal?.addEventListener('abort', () => {
        abortedAfter = performance.now() - t0;
      });
      return new Promise(() => {});
    });
    const { error } = await failure(() => s.get('http://a.test/', { timeout: { total: 50 } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(TimeoutError);
    expect(abortedAfter).toBeGreaterThanOrEqual(49);
  });

  it('behind a plugin that spreads the options, an adapter reading options.signal still gets the deadline’s', async () => {
    let signal: AbortSignal | undefined;
    const { s } = mockSession((_req, options) => {
      signal = options.signal;
      return new Promise(() => {});
    });
    s.use({ name: 'spreader', send: (req, options, next) => next(req, { ...options }) });
    const { error } = await failure(() => s.get('http://a.test/', { timeout: { total: 50 } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
  });

  it('a plugin that spreads the options (next(req, { ...options })) still hands the stop on', async () => {
    const adapter = new StopHonouringAdapter();
    const s = sessionWith(adapter);
    const received: SendOptions[] = [];
    s.use({
      name: 'spreader',
      send(req, options, next) {
        received.push(options);
        return next(req, { ...options });
      },
    });
    const { error } = await failure(() => s.get('http://a.test/', { timeout: { total: 50 } }));
    expect(error).toBeInstanceOf(TimeoutError);
    const seen = adapter.seen[0];
    expect(seen?.options).not.toBe(received[0]);
    expect(seen?.stop).toBeDefined();
    expect(seen?.stop).toBe(stopOf(received[0] as SendOptions));
    // The adapter heard it itself: not only the session's race at the head of the chain.
    expect(adapter.heardStop).toBe(true);
  });

  it('a caller’s signal alone reaches the adapter both ways: stopOf and options.signal', async () => {
    const adapter = new StopHonouringAdapter();
    const s = sessionWith(adapter);
    const controller = new AbortController();
    const pending = failure(() => s.get('http://a.test/', { signal: controller.signal }));
    await after(10);
    const seen = adapter.seen[0];
    expect(seen?.stop?.stopped).toBe(false);
    expect(seen?.options.signal).toBe(controller.signal);
    const reason = new Error('user gave up');
    controller.abort(reason);
    const { error } = await pending;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe(reason);
    expect(adapter.heardStop).toBe(true);
  });

  it('a request with no timeout and no signal gives the adapter no stop and no signal', async () => {
    let stop: RequestStop | undefined | 'unset' = 'unset';
    let signal: AbortSignal | undefined | 'unset' = 'unset';
    const { s, mock } = mockSession((_req, options) => {
      stop = stopOf(options);
      signal = options.signal;
      return { json: {} };
    });
    const res = await s.get('http://a.test/');
    expect(res.statusCode).toBe(200);
    expect(mock.calls).toHaveLength(1);
    expect(stop).toBeUndefined();
    expect(signal).toBeUndefined();
  });
});

describe('a plugin that replaces the signal', () => {
  it('detaching ({ ...options, signal: undefined }) takes the session’s stop away from the adapter too', async () => {
    let stop: RequestStop | undefined | 'unset' = 'unset';
    const { s } = mockSession((_req, options) => {
      stop = stopOf(options);
      return { json: {} };
    });
    s.use({
      name: 'detacher',
      send: (req, options, next) => next(req, { ...options, signal: undefined, deadline: undefined }),
    });
    const res = await s.get('http://a.test/', { timeout: { total: 10_000 } });
    expect(res.statusCode).toBe(200);
    expect(stop).toBeUndefined();
  });

  it('a signal of its own is what the adapter watches, with or without a session deadline', async () => {
    const own = new AbortController();
    const seen: (RequestStop | undefined)[] = [];
    const { s } = mockSession((_req, options) => {
      seen.push(stopOf(options));
      return { json: {} };
    });
    s.use({
      name: 'own-signal',
      send: (req, options, next) => next(req, { ...options, signal: own.signal }),
    });
    await s.get('http://a.test/');
    await s.get('http://a.test/', { timeout: { total: 10_000 } });
    expect(seen).toHaveLength(2);
    expect(seen.map((stop) => stop?.stopped)).toEqual([false, false]);
    own.abort(new Error('plugin gave up'));
    expect(seen.map((stop) => stop?.stopped)).toEqual([true, true]);
    for (const stop of seen) expect(stop?.error()).toBeInstanceOf(AbortError);
  });
});
