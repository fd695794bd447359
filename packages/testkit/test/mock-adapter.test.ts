import {
  AbortError,
  ConnectionError,
  type PreparedRequest,
  PreparedRequest as PreparedRequestClass,
  Response,
  type SendOptions,
  StreamConsumedError,
} from '@sess/core';
import { describe, expect, it } from 'vitest';
import { MockAdapter } from '../src/index.js';

const options: SendOptions = {
  stream: false,
  timeout: {},
  deadline: undefined,
  signal: undefined,
  verify: true,
  cert: null,
  proxies: {},
  extensions: {},
};

/** As the session does after the plugin chain: the body read unless streaming (the mock hands it over unread). */
async function settled(pending: Promise<Response>, opts: SendOptions = options): Promise<Response> {
  const res = await pending;
  if (!opts.stream) await res.read();
  return res;
}

function prepare(
  method: string,
  url: string,
  body?: string | Uint8Array | AsyncIterable<Uint8Array>,
): PreparedRequest {
  const p = new PreparedRequestClass();
  p.prepareMethod(method);
  p.prepareUrl(url);
  p.prepareHeaders({ 'X-Test': 'yes' });
  p.prepareBody(body ?? null);
  return p;
}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe('MockAdapter replies', () => {
  it('answers an empty reply with 200 OK for the request URL', async () => {
    const mock = new MockAdapter(() => ({}));
    const req = prepare('GET', 'http://example.test/a?b=1');
    const res = await settled(mock.send(req, options));
    expect(res.statusCode).toBe(200);
    expect(res.reason).toBe('OK');
    expect(res.url).toBe('http://example.test/a?b=1');
    expect(res.request).toBe(req);
    expect(res.httpVersion).toBe('1.1');
    expect(res.elapsed).toBe(0);
    expect(res.content.byteLength).toBe(0);
  });

  it('uses the status, reason, headers, text body and url it is given', async () => {
    const mock = new MockAdapter(() => ({
      status: 404,
      reason: 'Nowhere',
      headers: { 'X-One': '1', 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'héllo',
      url: 'http://other.test/final',
    }));
    const res = await settled(mock.send(prepare('GET', 'http://example.test/'), options));
    expect(res.statusCode).toBe(404);
    expect(res.reason).toBe('Nowhere');
    expect(res.headers.get('x-one')).toBe('1');
    expect(res.text).toBe('héllo');
    expect(res.content.byteLength).toBe(6);
    expect(res.url).toBe('http://other.test/final');
    expect(res.ok).toBe(false);
  });

  it('takes bytes as the body unchanged', async () => {
    const bytes = new Uint8Array([0, 255, 1, 254]);
    const res = await settled(
      new MockAdapter(() => ({ body: bytes })).send(prepare('GET', 'http://x.test/'), options),
    );
    expect([...res.content]).toEqual([0, 255, 1, 254]);
  });

  it('serialises json and sets Content-Type unless the reply names one', async () => {
    const plain = await settled(
      new MockAdapter(() => ({ json: { a: [1, 2] } })).send(prepare('GET', 'http://x.test/'), options),
    );
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(plain.json()).toEqual({ a: [1, 2] });

    const custom = await settled(
      new MockAdapter(() => ({
        json: null,
        headers: { 'content-type': 'application/problem+json' },
      })).send(prepare('GET', 'http://x.test/'), options),
    );
    expect(custom.headers.get('Content-Type')).toBe('application/problem+json');
    expect(custom.text).toBe('null');
  });

  it('refuses a reply with both body and json', async () => {
    const mock = new MockAdapter(() => ({ body: 'x', json: {} }));
    await expect(mock.send(prepare('GET', 'http://x.test/'), options)).rejects.toThrow(TypeError);
  });

  it('expresses several Set-Cookie headers with an array', async () => {
    const mock = new MockAdapter(() => ({
      status: 302,
      headers: { Location: '/next', 'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/; HttpOnly'] },
    }));
    const res = await settled(mock.send(prepare('GET', 'http://x.test/'), options));
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    expect(res.isRedirect).toBe(true);
  });

  it('accepts headers as pairs', async () => {
    const mock = new MockAdapter(() => ({ headers: [['X-A', '1'] as const, ['X-B', '2'] as const] }));
    const res = await settled(mock.send(prepare('GET', 'http://x.test/'), options));
    expect(res.headers.toJSON()).toEqual({ 'X-A': '1', 'X-B': '2' });
  });

  it('passes a Response from the handler through untouched, and waits for async handlers', async () => {
    const req = prepare('GET', 'http://x.test/');
    const made = new Response({
      statusCode: 201,
      url: 'http://x.test/made',
      request: req,
      body: new Uint8Array([1]),
    });
    const mock = new MockAdapter(async () => made);
    await expect(mock.send(req, options)).resolves.toBe(made);
  });

  it('rejects with what the handler throws, after recording the call', async () => {
    const boom = new ConnectionError('refused');
    const mock = new MockAdapter(() => {
      throw boom;
    });
    await expect(mock.send(prepare('GET', 'http://x.test/'), options)).rejects.toBe(boom);
    expect(mock.calls).toHaveLength(1);
  });

  it('hands out an unread body with stream: true', async () => {
    const mock = new MockAdapter(() => ({ body: chunks('ab', 'cd', 'e') }));
    const res = await mock.send(prepare('GET', 'http://x.test/'), { ...options, stream: true });
    expect(() => res.content).toThrow(StreamConsumedError);
    const seen: string[] = [];
    for await (const c of res.iterContent()) seen.push(new TextDecoder().decode(c));
    expect(seen).toEqual(['ab', 'cd', 'e']);
  });

  it('reads a streamed reply body whole with stream: false', async () => {
    const mock = new MockAdapter(() => ({ body: chunks('ab', 'cd') }));
    const res = await settled(mock.send(prepare('GET', 'http://x.test/'), options));
    expect(res.text).toBe('abcd');
  });

  it('stops a streamed reply body when the response is closed unread', async () => {
    let finished = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield new Uint8Array([42]);
      } finally {
        finished = true;
      }
    }
    const mock = new MockAdapter(() => ({ body: endless() }));
    const res = await mock.send(prepare('GET', 'http://x.test/'), { ...options, stream: true });
    for await (const c of res.iterContent()) {
      expect(c[0]).toBe(42);
      break;
    }
    expect(finished).toBe(true);
  });

  it('hands a handler the request and options it was sent', async () => {
    const req = prepare('DELETE', 'http://x.test/thing');
    const mock = new MockAdapter((r, o) => ({
      json: { method: r.method, header: r.headers.get('x-test'), stream: o.stream },
    }));
    const res = await settled(mock.send(req, { ...options, stream: false }));
    expect(res.json()).toEqual({ method: 'DELETE', header: 'yes', stream: false });
  });
});

describe('MockAdapter records calls', () => {
  it('keeps each request, its options and its body bytes in order', async () => {
    const mock = new MockAdapter(() => ({}));
    const first = prepare('POST', 'http://x.test/1', 'hello');
    const second = prepare('GET', 'http://x.test/2');
    const opts: SendOptions = { ...options, timeout: { connect: 1500, read: 1500 } };
    await mock.send(first, opts);
    await mock.send(second, options);
    expect(mock.calls).toHaveLength(2);
    expect(mock.calls[0]?.request).toBe(first);
    expect(mock.calls[0]?.options).toBe(opts);
    expect(new TextDecoder().decode(mock.calls[0]?.bodyBytes ?? undefined)).toBe('hello');
    expect(mock.calls[1]?.request.url).toBe('http://x.test/2');
    expect(mock.calls[1]?.bodyBytes).toBeNull();
  });

  it('reads a streamed request body into bytes', async () => {
    const mock = new MockAdapter(() => ({}));
    await mock.send(prepare('PUT', 'http://x.test/', chunks('part1-', 'part2')), options);
    expect(mock.calls[0]?.bodyBytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(mock.calls[0]?.bodyBytes ?? undefined)).toBe('part1-part2');
  });

  it('copies a byte body, so later changes to the buffer do not rewrite the record', async () => {
    const buffer = new Uint8Array([1, 2, 3]);
    const mock = new MockAdapter(() => ({}));
    await mock.send(prepare('POST', 'http://x.test/', buffer), options);
    buffer[0] = 9;
    expect([...(mock.calls[0]?.bodyBytes ?? [])]).toEqual([1, 2, 3]);
  });

  it('shows the body to the handler through calls before it answers', async () => {
    const mock: MockAdapter = new MockAdapter(() => ({ body: mock.calls.at(-1)?.bodyBytes ?? null }));
    const res = await settled(mock.send(prepare('POST', 'http://x.test/', 'echo me'), options));
    expect(res.text).toBe('echo me');
  });
});

describe('MockAdapter close and abort', () => {
  it('refuses to send after close() with a ConnectionError', async () => {
    const mock = new MockAdapter(() => ({}));
    expect(mock.closed).toBe(false);
    await mock.close();
    expect(mock.closed).toBe(true);
    const req = prepare('GET', 'http://x.test/');
    const err = await mock.send(req, options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).request).toBe(req);
    expect(mock.calls).toHaveLength(0);
  });

  it('rejects with AbortError when the signal is already aborted, without recording', async () => {
    let asked = 0;
    const mock = new MockAdapter(() => {
      asked++;
      return {};
    });
    const reason = new Error('user gave up');
    const err = await mock
      .send(prepare('GET', 'http://x.test/'), { ...options, signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect((err as AbortError).code).toBe('ERR_SESS_ABORTED');
    expect((err as AbortError).cause).toBe(reason);
    expect(asked).toBe(0);
    expect(mock.calls).toHaveLength(0);
  });

  it('rejects with AbortError when the signal fires while the handler is still answering', async () => {
    const controller = new AbortController();
    const mock = new MockAdapter(() => {
      // The handler has been reached: abort now, then never answer.
      controller.abort();
      return new Promise<never>(() => {});
    });
    const pending = mock.send(prepare('GET', 'http://x.test/'), { ...options, signal: controller.signal });
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(mock.calls).toHaveLength(1);
  });

  it('ignores a signal that never fires', async () => {
    const controller = new AbortController();
    const mock = new MockAdapter(() => ({ status: 204 }));
    const res = await mock.send(prepare('GET', 'http://x.test/'), { ...options, signal: controller.signal });
    expect(res.statusCode).toBe(204);
  });
});
