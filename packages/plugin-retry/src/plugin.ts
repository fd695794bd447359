import { randomUUID } from 'node:crypto';
import {
  type Plugin,
  type PreparedRequest,
  RequestError,
  type Response,
  type SendFn,
  type SendOptions,
} from '@sess/core';
import { RetryBudget } from './budget.js';
import { classifyError } from './classify.js';
import { giveUpError, RetryError } from './errors.js';
import { type RetryHistoryEntry, setRetries } from './history.js';
import { checkOptions, type RetryOptions, type RetryPluginOptions } from './options.js';
import { bodyLimits, readBody } from './read-body.js';
import { Retry, type RetryCause } from './retry.js';
import { wait } from './wait.js';

/** The header `idempotencyKey: true` sends (IETF httpapi draft). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** The plugin `retry()` returns; `policy` and `budget` are there to look at. */
export interface RetryPlugin extends Plugin {
  readonly name: 'retry';
  /** The plugin's own options, as a Retry; a request's `extensions.retry` is merged over them. */
  readonly policy: Retry;
  /** The budget shared by every request through this plugin instance, when one was set. */
  readonly budget: RetryBudget | undefined;
  send(request: PreparedRequest, options: SendOptions, next: SendFn): Promise<Response>;
}

/**
 * Retries failed hops with urllib3's rules (see the README). Add it before
 * (outside) logging so every attempt is logged:
 * `s.use(retry({ backoffFactor: 100, statusForcelist: [502, 503, 504] })); s.use(logging())`.
 */
export function retry(options: RetryPluginOptions | Retry | number | false = {}): RetryPlugin {
  let policy: Retry;
  let budget: RetryBudget | undefined;
  if (options instanceof Retry || typeof options === 'number' || options === false) {
    policy = Retry.from(options);
  } else {
    checkOptions(options, 'retry() options', true);
    const { budget: budgetOptions, ...rest } = options;
    policy = new Retry(rest);
    if (budgetOptions) budget = new RetryBudget(budgetOptions);
  }
  return {
    name: 'retry',
    policy,
    budget,
    send(request, sendOptions, next) {
      const ext = sendOptions.extensions.retry;
      if (ext === false) return next(request, sendOptions);
      let p = policy;
      if (ext instanceof Retry) p = ext;
      else if (ext !== undefined) {
        checkOptions(ext, 'extensions.retry', false);
        p = policy.with(ext as RetryOptions);
      }
      if (!p.enabled) return next(request, sendOptions);
      return sendWithRetries(p, budget, request, sendOptions, next);
    },
  };
}

/** One hop, retried as `policy` says. */
async function sendWithRetries(
  policy: Retry,
  budget: RetryBudget | undefined,
  request: PreparedRequest,
  options: SendOptions,
  next: SendFn,
): Promise<Response> {
  budget?.recordRequest();
  let req = request;
  // Retriable after reaching the server (and on status): an allowed method, or any with an idempotency key.
  let methodOk = policy.isMethodRetryable(req.method);
  if (!methodOk && policy.idempotencyKey) {
    methodOk = true;
    if (!req.headers.has(IDEMPOTENCY_KEY_HEADER)) {
      req = req.copy();
      // A structured-field string, as the draft's examples send it. One key for every attempt.
      req.headers.set(IDEMPOTENCY_KEY_HEADER, `"${randomUUID()}"`);
    }
  }
  let state = policy;
  let attempt = 1;
  let hopOptions = options;
  for (;;) {
    let res: Response | undefined;
    let error: unknown;
    let cause: RetryCause | undefined;
    try {
      res = await next(req, hopOptions);
    } catch (err) {
      error = err;
    }
    if (res) {
      if (methodOk && state.isRetryStatus(res.statusCode, res.headers.has('retry-after'))) cause = 'status';
      else if (
        !options.stream &&
        !res.isRead &&
        methodOk &&
        req.bodyReplayable &&
        bodyLimits(options) !== undefined &&
        state.canRetry('read')
      ) {
        // Read the body here, so a connection that breaks in the middle of it can be retried.
        try {
          await readBody(res, options);
        } catch (err) {
          await res.close();
          error = err;
          res = undefined;
        }
      }
      if (res && cause === undefined) {
        setRetries(res, state.history);
        return res;
      }
    }
    if (!res) {
      cause = options.signal?.aborted ? undefined : classifyError(error);
      if (cause === 'read' && !methodOk) cause = undefined;
      if (cause === undefined) throw withHistory(error, state.history);
    }
    const failed: Outcome = { res, error: error as RequestError | undefined, req, options };
    const nextState = state.increment(cause as RetryCause, {
      status: res?.statusCode,
      error: error as Error | undefined,
    });
    const entry = nextState.history[nextState.history.length - 1] as RetryHistoryEntry;
    if (nextState.isExhausted()) {
      const counter = typeof nextState.total === 'number' && nextState.total < 0 ? 'total' : cause;
      return giveUp(state, failed, `Max retries exceeded (${counter} retries ran out)`);
    }
    if (!req.bodyReplayable) {
      return giveUp(
        state,
        failed,
        'Not retried: the request body was a one-shot stream and could not be replayed',
      );
    }
    let delay = nextState.getBackoffTime();
    if (res && state.respectRetryAfterHeader) {
      const retryAfter = Retry.parseRetryAfter(res.headers.get('retry-after'));
      if (retryAfter !== undefined && retryAfter > state.maxRetryAfter) {
        return giveUp(
          state,
          failed,
          `Not retried: the server asked to wait ${retryAfter} ms (Retry-After), more than maxRetryAfter (${state.maxRetryAfter} ms)`,
        );
      }
      if (retryAfter !== undefined && retryAfter > 0) delay = retryAfter;
    }
    if (options.deadline !== undefined && performance.now() + delay > options.deadline) {
      return giveUp(
        state,
        failed,
        `Not retried: waiting ${Math.round(delay)} ms before retrying would pass the request's deadline (timeout.total)`,
      );
    }
    if (budget && !budget.canRetry()) {
      const refused: RetryHistoryEntry = { ...entry, delay: 0, budgetExhausted: true };
      return giveUp(
        state,
        failed,
        `Not retried: the retry budget is exhausted (${budget.retriesInWindow()} retries in the last ${budget.window} ms)`,
        [...state.history, refused],
      );
    }
    entry.delay = delay;
    const copy = req.copy();
    if (state.beforeRetry) {
      let verdict: unknown;
      try {
        verdict = await state.beforeRetry({
          request: copy,
          attempt: attempt + 1,
          error: error as Error | undefined,
          response: res,
          delay,
          retries: nextState.history,
        });
      } catch (err) {
        // The hook failed: its error goes to the caller, and the response nobody will read is released.
        if (res) await res.close();
        throw err;
      }
      if (verdict === false) {
        if (res) {
          setRetries(res, state.history);
          return res;
        }
        throw withHistory(error, state.history);
      }
    }
    budget?.recordRetry();
    if (res) await res.close();
    await wait(delay, options.signal, req);
    state = nextState;
    attempt++;
    req = copy;
    hopOptions = { ...options, extensions: { ...options.extensions, attempt } };
  }
}

/** The failed attempt the plugin gives up on. */
interface Outcome {
  res: Response | undefined;
  error: RequestError | undefined;
  req: PreparedRequest;
  options: SendOptions;
}

/**
 * Gives up on a retriable outcome: an error is thrown again as one of its
 * class with `reason` in front; a status raises RetryError (`raiseOnStatus`,
 * the body read first unless streaming) or is returned.
 */
async function giveUp(
  policy: Retry,
  failed: Outcome,
  reason: string,
  history: readonly RetryHistoryEntry[] = policy.history,
): Promise<Response> {
  const { res, error, options } = failed;
  if (!res) throw giveUpError(error as RequestError, reason, history);
  if (!policy.raiseOnStatus) {
    setRetries(res, history);
    return res;
  }
  // The error carries the response: its body is read (within the session's bounds) or released.
  let read = false;
  if (!options.stream) read = await readBody(res, options).catch(() => false);
  if (!read) await res.close();
  setRetries(res, history);
  let lastError: Error | undefined;
  for (const e of history) if (e.error) lastError = e.error;
  throw new RetryError(`${reason}: last status ${res.statusCode} ${res.reason}`.trim(), {
    request: failed.req,
    response: res,
    cause: lastError,
    retries: history,
  });
}

/** `err` with the history on it (a sess error), to be thrown as it is. */
function withHistory(err: unknown, history: readonly RetryHistoryEntry[]): unknown {
  if (history.length > 0 && err instanceof RequestError) setRetries(err, history);
  return err;
}
