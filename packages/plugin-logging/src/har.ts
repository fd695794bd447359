import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { Plugin, PreparedRequest, Response, SendFn, SendOptions } from '@sess/core';
import { harErrorResponse, harRequest, harResponse, harTimings, harVersion, round } from './har-entry.js';
import type { Har, HarEntry } from './har-types.js';
import { collectProxy } from './proxy.js';
import { readBody } from './read-body.js';
import { type RedactOptions, Redactor, type Secrets } from './redact.js';
import { VERSION } from './version.js';

/** Options of `har()`. */
export interface HarOptions extends RedactOptions {
  /** Bytes of each body kept as text (or base64). Default 64 KiB. */
  maxBodySize?: number;
  /** Entries kept; the oldest go first beyond it. Default unlimited. */
  maxEntries?: number;
  /** Read and record response bodies (with `stream: false`). Default true. */
  bodies?: boolean;
  /** `log.creator`; default `@sess/plugin-logging` and its version. */
  creator?: { name: string; version: string };
}

/** The plugin `har()` returns: it records, `toJSON()` gives the HAR, `save(path)` writes it. */
export interface HarRecorder extends Plugin {
  readonly name: 'har';
  /** The entries so far, in the order their requests started. */
  readonly entries: readonly HarEntry[];
  send(request: PreparedRequest, options: SendOptions, next: SendFn): Promise<Response>;
  /** The HAR 1.2 document (a fresh object each call). */
  toJSON(): Har;
  /** Writes the HAR to `path` (a temporary file renamed into place). */
  save(path: string): Promise<void>;
  /** Forgets the entries. */
  clear(): void;
}

/**
 * Records the traffic of a session as HAR 1.2, secrets redacted as in
 * `logging()`. Add it last (innermost) to record every attempt and every
 * redirect hop. With `stream: false` it reads each response body inside the
 * chain to record it; with `stream: true` bodies are not recorded.
 */
export function har(options: HarOptions = {}): HarRecorder {
  const maxBody = options.maxBodySize ?? 64 * 1024;
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  if (!(maxBody >= 0) || !(maxEntries > 0))
    throw new TypeError('har(): maxBodySize must be >= 0 and maxEntries > 0');
  const redactor = new Redactor(options);
  const bodies = options.bodies ?? true;
  const creator = options.creator ?? { name: '@sess/plugin-logging', version: VERSION };
  let entries: Array<{ seq: number; entry: HarEntry }> = [];
  let seq = 0;

  const keep = (n: number, entry: HarEntry) => {
    entries.push({ seq: n, entry });
    if (entries.length > maxEntries) entries.splice(0, entries.length - maxEntries);
  };

  const recorder: HarRecorder = {
    name: 'har',
    get entries() {
      return sorted(entries);
    },
    async send(request, sendOptions, next) {
      const n = seq++;
      const started = new Date();
      const t0 = performance.now();
      const secrets = redactor.collect(new Set(), request.headers.rawEntries(), request.url);
      collectProxy(redactor, secrets, request, sendOptions);
      let res: Response;
      try {
        res = await next(request, sendOptions);
      } catch (err) {
        const wait = performance.now() - t0;
        keep(n, {
          startedDateTime: started.toISOString(),
          time: round(wait),
          request: harRequest(request, 'HTTP/1.1', redactor, secrets, maxBody),
          response: harErrorResponse(err, redactor, secrets),
          cache: {},
          timings: harTimings(undefined, wait, 0),
        });
        throw err;
      }
      const tHeaders = performance.now();
      let bodyError: unknown;
      let unread = 'body not recorded (stream: true)';
      if (!bodies) unread = 'body not recorded (bodies: false)';
      else if (!sendOptions.stream) {
        try {
          if (!(await readBody(res, sendOptions))) unread = UNBOUNDED;
        } catch (err) {
          bodyError = err;
          unread = 'body not recorded: reading it failed';
          await res.close();
        }
      }
      const wait = tHeaders - t0;
      const receive = performance.now() - tHeaders;
      const entry = entryFor(request, res, started, wait, receive, redactor, secrets, maxBody, unread);
      if (bodyError !== undefined)
        entry.comment = harErrorResponse(bodyError, redactor, secrets).comment ?? '';
      keep(n, entry);
      if (bodyError !== undefined) throw bodyError;
      return res;
    },
    toJSON() {
      return { log: { version: '1.2', creator: { ...creator }, entries: sorted(entries) } };
    },
    async save(path) {
      const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(tmp, `${JSON.stringify(recorder.toJSON(), null, 2)}\n`, { mode: 0o600 });
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    clear() {
      entries = [];
    },
  };
  return recorder;
}

/** Why a body is missing when @sess/core gives plugins no body bounds to read it within. */
const UNBOUNDED =
  'body not recorded: this @sess/core does not pass maxResponseSize to plugins, and reading it here would escape that limit';

function sorted(list: ReadonlyArray<{ seq: number; entry: HarEntry }>): HarEntry[] {
  return [...list].sort((a, b) => a.seq - b.seq).map((e) => e.entry);
}

function entryFor(
  request: PreparedRequest,
  res: Response,
  started: Date,
  wait: number,
  receive: number,
  redactor: Redactor,
  secrets: Secrets,
  maxBody: number,
  unread: string,
): HarEntry {
  redactor.collect(secrets, res.headers.rawEntries());
  const timings = harTimings(res, wait, receive);
  const time = round(
    [timings.blocked, timings.dns, timings.connect, timings.send, timings.wait, timings.receive]
      .filter((t): t is number => t !== undefined && t > 0)
      .reduce((a, b) => a + b, 0),
  );
  return {
    startedDateTime: started.toISOString(),
    time,
    request: harRequest(request, harVersion(res.httpVersion), redactor, secrets, maxBody),
    response: harResponse(res, redactor, secrets, maxBody, unread),
    cache: {},
    timings,
  };
}
