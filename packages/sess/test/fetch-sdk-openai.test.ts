import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appSession,
  deferred,
  expectRetried,
  expectSessionTraits,
  type FakeServer,
  flaky,
  sendJson,
  startServer,
  within,
} from './fetch-server.js';

/**
 * The openai SDK given session.fetch: a chat completion, and a streamed one
 * read chunk by chunk while the server is still sending. The fake server
 * sends chunk N+1 only once the test has seen the SDK yield chunk N, so a
 * fetch that buffered the body would stall (and the server say so).
 */
const CHUNKS = ['Hel', 'lo', ', ', 'world'];
const gates = CHUNKS.map(() => deferred());
let sentSoFar = 0;
let stalled = false;

function completion(): unknown {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-test',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
  };
}

function chunk(i: number): string {
  const delta = { content: CHUNKS[i] };
  const body = {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-test',
    choices: [{ index: 0, delta, finish_reason: null }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

let server: FakeServer;
const failFirst = flaky();
beforeAll(async () => {
  server = await startServer(async (req, res, body) => {
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') return sendJson(res, 404, {});
    const payload = JSON.parse(body.toString()) as { stream?: boolean };
    if (failFirst(payload.stream ? 'stream' : 'plain', res)) return;
    if (!payload.stream) return sendJson(res, 200, completion(), { 'x-request-id': 'req-1' });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let i = 0; i < CHUNKS.length; i++) {
      res.write(chunk(i));
      sentSoFar = i + 1;
      if (i === CHUNKS.length - 1) break;
      if (!(await within((gates[i] as { promise: Promise<void> }).promise, 5000))) {
        stalled = true;
        break;
      }
    }
    res.end('data: [DONE]\n\n');
  });
});
afterAll(() => server.close());

describe('openai SDK with session.fetch', () => {
  it('creates a chat completion through the session (cookie, default header, retried 503)', async () => {
    const { session, fetch } = appSession();
    await using _ = session;
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1`, fetch, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('hello');
    expect(response.headers.get('x-request-id')).toBe('req-1');
    const calls = server.seen.filter((s) => !JSON.parse(s.body.toString()).stream);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.headers.authorization).toBe('Bearer sk-test');
    expectSessionTraits(calls);
  });

  it('streams a completion chunk by chunk while the server is still sending', async () => {
    const { session, fetch } = appSession();
    await using _ = session;
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1`, fetch, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const got: string[] = [];
    const sentWhenReceived: number[] = [];
    for await (const part of stream) {
      got.push(part.choices[0]?.delta.content ?? '');
      // The server has sent exactly this many: the SDK got the chunk before the next one existed.
      sentWhenReceived.push(sentSoFar);
      gates[got.length - 1]?.resolve();
    }
    expect(stalled).toBe(false);
    expect(got).toEqual(CHUNKS);
    expect(sentWhenReceived).toEqual([1, 2, 3, 4]);
    const calls = server.seen.filter((s) => JSON.parse(s.body.toString()).stream);
    expect(calls).toHaveLength(2);
    expectSessionTraits(calls);
    expectRetried(
      server.seen.filter((s) => JSON.parse(s.body.toString()).stream),
      '/v1/chat/completions',
    );
  });
});
