import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import type { RequestDiagnosticsMessage } from '../src/diagnostics.js';
import { ConnectionError } from '../src/errors.js';
import { mockSession } from './support/session.js';

const NAMES = ['sess:request:create', 'sess:request:headers', 'sess:request:end', 'sess:request:error'];

/** Subscribes to every channel for the duration of `run`, recording `[channel, message]`. */
async function record(run: () => Promise<unknown>): Promise<Array<[string, RequestDiagnosticsMessage]>> {
  const seen: Array<[string, RequestDiagnosticsMessage]> = [];
  const handlers = NAMES.map((name) => {
    const h = (message: unknown) => seen.push([name, message as RequestDiagnosticsMessage]);
    subscribe(name, h);
    return [name, h] as const;
  });
  try {
    await run().catch(() => {});
  } finally {
    for (const [name, h] of handlers) unsubscribe(name, h);
  }
  return seen;
}

describe('diagnostics_channel events', () => {
  it('publishes create, headers and end for every hop, redirects included', async () => {
    const { s } = mockSession((req) =>
      req.url.endsWith('/r') ? { status: 302, headers: { Location: '/x' } } : { body: 'ok' },
    );
    const seen = await record(() => s.get('http://a.test/r'));
    expect(seen.map(([name, m]) => `${name} ${m.request.url}`)).toEqual([
      'sess:request:create http://a.test/r',
      'sess:request:headers http://a.test/r',
      'sess:request:end http://a.test/r',
      'sess:request:create http://a.test/x',
      'sess:request:headers http://a.test/x',
      'sess:request:end http://a.test/x',
    ]);
    const end = seen.at(-1)?.[1];
    expect(end?.response?.statusCode).toBe(200);
    // `end` comes after the body is read.
    expect(end?.response?.text).toBe('ok');
  });

  it('publishes error for a hop that fails, with the error', async () => {
    const { s } = mockSession(() => {
      throw new ConnectionError('refused');
    });
    const seen = await record(() => s.get('http://a.test/'));
    expect(seen.map(([name]) => name)).toEqual(['sess:request:create', 'sess:request:error']);
    expect(seen[1]?.[1].error).toBeInstanceOf(ConnectionError);
  });

  it('publishes nothing, and costs nothing extra, when nobody subscribes', async () => {
    const { s, mock } = mockSession(() => ({}));
    await s.get('http://a.test/');
    expect(mock.calls).toHaveLength(1);
  });
});
