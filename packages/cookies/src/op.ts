/**
 * One implementation, two calling conventions.
 *
 * Every jar operation is written once, as a generator that yields the store
 * calls it needs in Node callback style. `runSync` drives it against a
 * synchronous store (each callback fires before the call returns, the way
 * tough-cookie's `MemoryCookieStore` works), `runAsync` against any store.
 * So the in-memory jar answers synchronously and a Redis-backed jar through
 * promises, with no duplicated logic.
 */

/** A Node-style callback. */
export type StepCallback<T> = (error: Error | null, result?: T) => void;

/** One store or tough-cookie call, in callback style. */
export type Step<T> = (callback: StepCallback<T>) => void;

/** A jar operation: yields steps, returns `T`. */
export type Op<T> = Generator<Step<unknown>, T, unknown>;

/** Yields one step and hands back its result (`yield* call(...)`). */
export function* call<T>(step: Step<T>): Op<T> {
  return (yield step as Step<unknown>) as T;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Runs `op` to completion synchronously. Throws a TypeError naming `what`
 * when a step does not complete before returning (an asynchronous store).
 */
export function runSync<T>(op: Op<T>, what: string): T {
  let next = op.next();
  while (!next.done) {
    let settled = false;
    let error: Error | null = null;
    let result: unknown;
    try {
      next.value((e, r) => {
        settled = true;
        error = e;
        result = r;
      });
    } catch (e) {
      settled = true;
      error = asError(e);
    }
    if (!settled) {
      throw new TypeError(
        `${what} needs a synchronous cookie store; this jar's store is asynchronous, use ${what}Async()`,
      );
    }
    next = error ? op.throw(error) : op.next(result);
  }
  return next.value;
}

/** Runs `op` to completion, awaiting each step. Works with any store. */
export async function runAsync<T>(op: Op<T>): Promise<T> {
  let next = op.next();
  while (!next.done) {
    const step = next.value;
    let failed = false;
    let outcome: unknown;
    try {
      outcome = await new Promise<unknown>((resolve, reject) => {
        step((e, r) => (e ? reject(e) : resolve(r)));
      });
    } catch (e) {
      failed = true;
      outcome = asError(e);
    }
    next = failed ? op.throw(outcome) : op.next(outcome);
  }
  return next.value;
}
