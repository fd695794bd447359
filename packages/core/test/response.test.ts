import { describe, expect, it, type Mock, vi } from 'vitest';
import type { SessionCookieJar } from '../src/cookie-jar.js';
import {
  ChunkedEncodingError,
  HTTPError,
  JSONDecodeError,
  ReadTimeoutError,
  RequestError,
  StreamConsumedError,
} from '../src/errors.js';
import { Headers, type HeadersInit } from '../src/headers.js';
import { PreparedRequest } from '../src/prepared-request.js';
import { type BodySource, Response } from '../src/response.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const URL_ = 'https://api.example.test/items?page=1';

function prepared(url = URL_): PreparedRequest {
  const p = new PreparedRequest();
  p.prepareMethod('GET');
  p.prepareUrl(url);
  return p;
}

function res(
  statusCode: number,
  opts: { headers?: HeadersInit; body?: Uint8Array | string | BodySource | null; reason?: string } = {},
): Response {
  const body = typeof opts.body === 'string' ? enc.encode(opts.body) : opts.body;
  return new Response({
    statusCode,
    url: URL_,
    request: prepared(),
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
  });
}

interface FakeSource extends BodySource {
  cancel: Mock<() => void>;
  /** How many chunks the consumer has pulled so far. */
  pulled(): number;
  /** How many times iteration was started. */
  opened(): number;
}

/** A BodySource over fixed chunks; throws `error` after `failAfter` chunks when given. */
function fakeSource(
  chunks: Array<string | Uint8Array>,
  fail?: { after: number; error: unknown },
): FakeSource {
  let pulled = 0;
  let opened = 0;
  const cancel = vi.fn<() => void>();
  return {
    cancel,
    pulled: () => pulled,
    opened: () => opened,
    async *[Symbol.asyncIterator]() {
      opened++;
      for (let i = 0; i <= chunks.length; i++) {
        if (fail && fail.after === i) throw fail.error;
        const c = chunks[i];
        if (c === undefined) return;
        pulled++;
        yield typeof c === 'string' ? enc.encode(c) : c;
      }
    },
  };
}

function streamed(
  chunks: Array<string | Uint8Array>,
  headers?: HeadersInit,
): { r: Response; src: FakeSource } {
  const src = fakeSource(chunks);
  return { r: res(200, { body: src, ...(headers ? { headers } : {}) }), src };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const str = (chunks: Uint8Array[]) => chunks.map((c) => dec.decode(c));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('Response: status', () => {
  it.each([
    [200, true],
    [204, true],
    [301, true],
    [399, true],
    [400, false],
    [404, false],
    [500, false],
    [503, false],
  ])('ok for %i is %s', (code, ok) => {
    expect(res(code).ok).toBe(ok);
  });

  it('reason defaults from the status code and a given reason wins', () => {
    expect(res(200).reason).toBe('OK');
    expect(res(404).reason).toBe('Not Found');
    expect(res(500).reason).toBe('Internal Server Error');
    expect(res(308).reason).toBe('Permanent Redirect');
    expect(res(599).reason).toBe('');
    expect(res(404, { reason: 'Nope' }).reason).toBe('Nope');
    expect(res(404, { reason: '' }).reason).toBe('Not Found');
  });

  it('has sensible defaults for the other fields', () => {
    const r = res(200);
    expect(r.httpVersion).toBe('1.1');
    expect(r.elapsed).toBe(0);
    expect(r.history).toEqual([]);
    expect(r.url).toBe(URL_);
    expect(r.request.url).toBe(URL_);
    expect(r.headers).toBeInstanceOf(Headers);
    expect(r.content).toEqual(new Uint8Array(0));
    expect(r.text).toBe('');
    expect(r.isRead).toBe(true);
  });

  it('takes httpVersion and elapsed from the init, and keeps a given Headers instance', () => {
    const headers = new Headers({ A: '1' });
    const r = new Response({
      statusCode: 200,
      url: URL_,
      request: prepared(),
      httpVersion: '2',
      elapsed: 12.5,
      headers,
    });
    expect(r.httpVersion).toBe('2');
    expect(r.elapsed).toBe(12.5);
    expect(r.headers).toBe(headers);
  });

  it.each([301, 302, 303, 307, 308])('isRedirect for %i with a Location', (code) => {
    expect(res(code, { headers: { Location: '/next' } }).isRedirect).toBe(true);
    expect(res(code).isRedirect).toBe(false);
  });

  it('isRedirect is false for non-redirect codes even with a Location', () => {
    expect(res(200, { headers: { Location: '/x' } }).isRedirect).toBe(false);
    expect(res(201, { headers: { Location: '/x' } }).isRedirect).toBe(false);
    expect(res(304, { headers: { Location: '/x' } }).isRedirect).toBe(false);
    expect(res(300, { headers: { Location: '/x' } }).isRedirect).toBe(false);
  });

  it('isPermanentRedirect only for 301 and 308 with a Location', () => {
    expect(res(301, { headers: { location: '/x' } }).isPermanentRedirect).toBe(true);
    expect(res(308, { headers: { LOCATION: '/x' } }).isPermanentRedirect).toBe(true);
    expect(res(301).isPermanentRedirect).toBe(false);
    expect(res(308).isPermanentRedirect).toBe(false);
    for (const code of [302, 303, 307]) {
      expect(res(code, { headers: { Location: '/x' } }).isPermanentRedirect).toBe(false);
    }
  });

  it('links parses the Link header against the response URL', () => {
    const r = res(200, {
      headers: { Link: '</items?page=2>; rel="next", <https://other.test/last>; rel=last' },
    });
    expect(r.links).toEqual({
      next: { url: 'https://api.example.test/items?page=2', rel: 'next' },
      last: { url: 'https://other.test/last', rel: 'last' },
    });
    expect(res(200).links).toEqual({});
  });
});

describe('Response: encoding and text', () => {
  it.each([
    ['text/html; charset=ISO-8859-1', 'iso-8859-1'],
    ['text/html; charset="UTF-8"', 'utf-8'],
    ['text/plain;CHARSET=Windows-1252', 'windows-1252'],
    ['application/json; charset = utf-16le', 'utf-16le'],
    ['text/plain; format=flowed; charset="koi8-r"', 'koi8-r'],
  ])('encoding from %j is %j', (ct, expected) => {
    expect(res(200, { headers: { 'Content-Type': ct } }).encoding).toBe(expected);
  });

  it('falls back to utf-8 without a charset or Content-Type', () => {
    expect(res(200).encoding).toBe('utf-8');
    expect(res(200, { headers: { 'Content-Type': 'text/html' } }).encoding).toBe('utf-8');
  });

  it('decodes text with the charset (latin1) and with utf-8', () => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
    expect(res(200, { headers: { 'Content-Type': 'text/plain; charset=latin1' }, body: latin1 }).text).toBe(
      'café',
    );
    expect(res(200, { body: latin1 }).text).toBe('caf\ufffd');
    expect(res(200, { body: 'café ☕ 日本' }).text).toBe('café ☕ 日本');
  });

  it('the encoding setter changes how text decodes', () => {
    const r = res(200, { body: new Uint8Array([0xe9]) });
    expect(r.text).toBe('\ufffd');
    r.encoding = 'iso-8859-1';
    expect(r.encoding).toBe('iso-8859-1');
    expect(r.text).toBe('é');
  });

  it('an unknown charset decodes as utf-8 rather than throwing', () => {
    const r = res(200, { headers: { 'Content-Type': 'text/plain; charset=x-nope' }, body: 'café' });
    expect(r.encoding).toBe('x-nope');
    expect(r.text).toBe('café');
  });

  it('strips a UTF-8 BOM from text', () => {
    const r = res(200, { body: new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]) });
    expect(r.text).toBe('hi');
  });
});

describe('Response: json', () => {
  it('parses JSON', () => {
    const r = res(200, { body: '{"a":[1,2],"b":"é"}' });
    expect(r.json()).toEqual({ a: [1, 2], b: 'é' });
    expect(r.json<{ a: number[] }>().a).toEqual([1, 2]);
  });

  it('strips a BOM before parsing', () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('{"ok":true}')]);
    expect(res(200, { body }).json()).toEqual({ ok: true });
  });

  it.each([['not json'], [''], ['{"a":'], ['<html></html>']])(
    'throws JSONDecodeError with response and cause for %j',
    (body) => {
      const r = res(200, { body });
      let caught: unknown;
      try {
        r.json();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(JSONDecodeError);
      expect(caught).toBeInstanceOf(RequestError);
      const e = caught as JSONDecodeError;
      expect(e.code).toBe('ERR_SESS_JSON_DECODE');
      expect(e.response).toBe(r);
      expect(e.request).toBe(r.request);
      expect(e.cause).toBeInstanceOf(SyntaxError);
    },
  );
});

describe('Response: raiseForStatus', () => {
  it.each([
    [404, 'Client Error', 'Not Found'],
    [500, 'Server Error', 'Internal Server Error'],
    [418, 'Client Error', "I'm a Teapot"],
    [503, 'Server Error', 'Service Unavailable'],
  ])('throws HTTPError for %i', (code, kind, reason) => {
    const r = res(code);
    let caught: unknown;
    try {
      r.raiseForStatus();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HTTPError);
    const e = caught as HTTPError;
    expect(e.code).toBe('ERR_SESS_HTTP');
    expect(e.response).toBe(r);
    expect(e.request).toBe(r.request);
    expect(e.message).toContain(String(code));
    expect(e.message).toContain(kind);
    expect(e.message).toContain(reason);
    expect(e.message).toContain(URL_);
  });

  it.each([200, 204, 301, 304, 399])('returns this for %i', (code) => {
    const r = res(code);
    expect(r.raiseForStatus()).toBe(r);
  });
});

describe('Response: cookies', () => {
  it('throws a TypeError when no session supplied a jar factory', () => {
    expect(() => res(200).cookies).toThrow(TypeError);
  });

  it('builds the jar lazily, once', () => {
    const jar: SessionCookieJar = {
      setCookiesFromResponse() {},
      getCookieHeader: () => '',
      createEmpty: () => jar,
    };
    const factory = vi.fn(() => jar);
    const r = res(200);
    r.setCookieFactory(factory);
    expect(factory).not.toHaveBeenCalled();
    expect(r.cookies).toBe(jar);
    expect(r.cookies).toBe(jar);
    expect(factory).toHaveBeenCalledTimes(1);
  });
});

describe('Response: streaming bodies', () => {
  it('content and text before read throw StreamConsumedError without touching the source', () => {
    const { r, src } = streamed(['abc']);
    expect(r.isRead).toBe(false);
    let caught: unknown;
    try {
      void r.content;
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StreamConsumedError);
    expect((caught as StreamConsumedError).code).toBe('ERR_SESS_STREAM_CONSUMED');
    expect((caught as StreamConsumedError).response).toBe(r);
    expect((caught as Error).message).toMatch(/read\(\)/);
    expect(() => r.text).toThrow(StreamConsumedError);
    expect(() => r.json()).toThrow(StreamConsumedError);
    expect(src.opened()).toBe(0);
    expect(src.cancel).not.toHaveBeenCalled();
  });

  it('read() collects every chunk, then content, text and json work', async () => {
    const { r, src } = streamed(['{"a"', ':', '1}']);
    const bytes = await r.read();
    expect(dec.decode(bytes)).toBe('{"a":1}');
    expect(r.isRead).toBe(true);
    expect(r.content).toBe(bytes);
    expect(r.text).toBe('{"a":1}');
    expect(r.json()).toEqual({ a: 1 });
    expect(src.pulled()).toBe(3);
    expect(src.cancel).not.toHaveBeenCalled();
  });

  it('read() twice returns the same bytes and reads the source once', async () => {
    const { r, src } = streamed(['ab', 'cd']);
    const first = await r.read();
    const second = await r.read();
    expect(second).toBe(first);
    expect(dec.decode(second)).toBe('abcd');
    expect(src.opened()).toBe(1);
  });

  it('read() of an empty stream gives empty bytes', async () => {
    const { r } = streamed([]);
    expect(await r.read()).toEqual(new Uint8Array(0));
    expect(r.text).toBe('');
  });

  it('two concurrent read() calls share one read', async () => {
    const { r, src } = streamed(['ab', 'cd']);
    const [a, b] = await Promise.all([r.read(), r.read()]);
    expect(dec.decode(a)).toBe('abcd');
    expect(b).toEqual(a);
    expect(src.opened()).toBe(1);
  });

  it('iterContent() yields the raw chunks as they arrive', async () => {
    const { r, src } = streamed(['a', 'bcd', 'ef']);
    expect(str(await collect(r.iterContent()))).toEqual(['a', 'bcd', 'ef']);
    expect(src.cancel).not.toHaveBeenCalled();
  });

  it('iterContent(3) re-cuts the chunks exactly, the last one shorter', async () => {
    const { r } = streamed(['a', 'bcd', 'efghij', 'k', 'lm']);
    const chunks = await collect(r.iterContent(3));
    expect(str(chunks)).toEqual(['abc', 'def', 'ghi', 'jkl', 'm']);
    expect(chunks.map((c) => c.byteLength)).toEqual([3, 3, 3, 3, 1]);
  });

  it('iterContent(n) with an exact multiple has no short tail', async () => {
    const { r } = streamed(['abcdef']);
    expect(str(await collect(r.iterContent(2)))).toEqual(['ab', 'cd', 'ef']);
  });

  it('iterContent(1) gives single bytes', async () => {
    const { r } = streamed(['ab', 'c']);
    expect(str(await collect(r.iterContent(1)))).toEqual(['a', 'b', 'c']);
  });

  it.each([0, -1, 1.5, Number.NaN])('iterContent(%s) is a TypeError', async (n) => {
    const { r } = streamed(['abc']);
    await expect(collect(r.iterContent(n))).rejects.toThrow(TypeError);
  });

  it('iterContent after iterContent throws StreamConsumedError', async () => {
    const { r } = streamed(['abc']);
    await collect(r.iterContent());
    const err = await rejection(collect(r.iterContent()));
    expect(err).toBeInstanceOf(StreamConsumedError);
    expect((err as StreamConsumedError).response).toBe(r);
    expect(() => r.content).toThrow(StreamConsumedError);
    await expect(r.read()).rejects.toBeInstanceOf(StreamConsumedError);
    await expect(collect(r.iterLines())).rejects.toBeInstanceOf(StreamConsumedError);
  });

  it('iterContent after read() replays from memory', async () => {
    const { r, src } = streamed(['ab', 'cde']);
    await r.read();
    expect(str(await collect(r.iterContent()))).toEqual(['abcde']);
    expect(str(await collect(r.iterContent(2)))).toEqual(['ab', 'cd', 'e']);
    expect(src.opened()).toBe(1);
  });

  it('iterContent on an in-memory body replays it', async () => {
    const r = res(200, { body: 'hello' });
    expect(str(await collect(r.iterContent(2)))).toEqual(['he', 'll', 'o']);
    expect(str(await collect(r.iterContent()))).toEqual(['hello']);
    expect(await collect(res(200).iterContent())).toEqual([]);
  });

  it('breaking out of iterContent early calls cancel() once', async () => {
    const { r, src } = streamed(['a', 'b', 'c', 'd']);
    const seen: string[] = [];
    for await (const chunk of r.iterContent()) {
      seen.push(dec.decode(chunk));
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['a', 'b']);
    expect(src.cancel).toHaveBeenCalledTimes(1);
    expect(src.pulled()).toBe(2);
    await r.close();
    expect(src.cancel).toHaveBeenCalledTimes(1);
  });

  it('breaking out of iterContent(n) early calls cancel()', async () => {
    const { r, src } = streamed(['abcdef', 'ghi']);
    for await (const _ of r.iterContent(2)) break;
    expect(src.cancel).toHaveBeenCalledTimes(1);
  });

  it('reading to the end does not cancel', async () => {
    const { r, src } = streamed(['a', 'b']);
    await collect(r.iterContent(1));
    expect(src.cancel).not.toHaveBeenCalled();
  });

  it('iterLines splits on \\n, \\r\\n and \\r, across chunk borders', async () => {
    const { r } = streamed(['li', 'ne1\nline2\r', '\nline3\r', 'line4\n', '\r\n', 'la', 'st']);
    expect(await collect(r.iterLines())).toEqual(['line1', 'line2', 'line3', 'line4', '', 'last']);
  });

  it('iterLines: a final line without terminator, and a trailing terminator adds no empty line', async () => {
    expect(await collect(streamed(['a\nb']).r.iterLines())).toEqual(['a', 'b']);
    expect(await collect(streamed(['a\n']).r.iterLines())).toEqual(['a']);
    expect(await collect(streamed(['a\r\n']).r.iterLines())).toEqual(['a']);
    expect(await collect(streamed(['a\r']).r.iterLines())).toEqual(['a']);
    expect(await collect(streamed(['a\r', '\n']).r.iterLines())).toEqual(['a']);
    expect(await collect(streamed([]).r.iterLines())).toEqual([]);
  });

  it('iterLines keeps empty lines between terminators', async () => {
    expect(await collect(streamed(['a\n\nb']).r.iterLines())).toEqual(['a', '', 'b']);
    expect(await collect(streamed(['a\r\rb']).r.iterLines())).toEqual(['a', '', 'b']);
    expect(await collect(streamed(['a\r', '\r', 'b']).r.iterLines())).toEqual(['a', '', 'b']);
    expect(await collect(streamed(['a\n\n']).r.iterLines())).toEqual(['a', '']);
  });

  it('iterLines treats a final bare \\r like a final \\n (an empty last line is kept)', async () => {
    // Python's 'a\n\n'.splitlines() == 'a\r\r'.splitlines() == ['a', '']
    expect(await collect(streamed(['a\r\r']).r.iterLines())).toEqual(['a', '']);
    expect(await collect(streamed(['a\n\r']).r.iterLines())).toEqual(['a', '']);
    expect(await collect(streamed(['\r']).r.iterLines())).toEqual(
      await collect(streamed(['\n']).r.iterLines()),
    );
  });

  it('iterLines decodes multi-byte characters split across chunks, with the charset', async () => {
    const bytes = enc.encode('café\nnaïve');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of é
    const { r } = streamed([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(await collect(r.iterLines())).toEqual(['café', 'naïve']);

    const latin = streamed([new Uint8Array([0x63, 0xe9, 0x0a, 0xe0])], {
      'Content-Type': 'text/plain; charset=iso-8859-1',
    });
    expect(await collect(latin.r.iterLines())).toEqual(['cé', 'à']);
  });

  it('close() on an unread body calls cancel exactly once', async () => {
    const { r, src } = streamed(['abc']);
    await r.close();
    await r.close();
    expect(src.cancel).toHaveBeenCalledTimes(1);
    expect(src.opened()).toBe(0);
    expect(() => r.content).toThrow(StreamConsumedError);
  });

  it('close() after read() does not cancel and keeps the content', async () => {
    const { r, src } = streamed(['abc']);
    await r.read();
    await r.close();
    expect(src.cancel).not.toHaveBeenCalled();
    expect(r.text).toBe('abc');
  });

  it('close() on an in-memory body is harmless', async () => {
    const r = res(200, { body: 'x' });
    await r.close();
    expect(r.text).toBe('x');
  });

  it('await using closes the response at the end of the block', async () => {
    const { r, src } = streamed(['abc']);
    {
      await using held = r;
      expect(held.statusCode).toBe(200);
      expect(src.cancel).not.toHaveBeenCalled();
    }
    expect(src.cancel).toHaveBeenCalledTimes(1);
    expect(typeof r[Symbol.asyncDispose]).toBe('function');
  });

  it('a RequestError thrown by the source during read() gets .response, and the source is cancelled', async () => {
    const error = new ChunkedEncodingError('connection reset mid-body');
    const src = fakeSource(['ab', 'cd'], { after: 1, error });
    const r = res(200, { body: src });
    const caught = await rejection(r.read());
    expect(caught).toBe(error);
    expect(error.response).toBe(r);
    expect(src.cancel).toHaveBeenCalledTimes(1);
  });

  it('an error given .response while reading also gets .request, as if constructed with the response', async () => {
    // API.md: every error carries `.request`; `new ChunkedEncodingError(m, { response })` fills it in.
    const error = new ChunkedEncodingError('connection reset mid-body');
    const r = res(200, { body: fakeSource(['ab'], { after: 1, error }) });
    await rejection(r.read());
    expect(error.response).toBe(r);
    expect(error.request).toBe(r.request);
  });

  it('an error that already names a response keeps it', async () => {
    const other = res(502);
    const error = new ReadTimeoutError('slow', { response: other });
    const r = res(200, { body: fakeSource([], { after: 0, error }) });
    expect(await rejection(r.read())).toBe(error);
    expect(error.response).toBe(other);
  });

  it('a non-sess error from the source passes through untouched', async () => {
    const error = new TypeError('bad chunk');
    const r = res(200, { body: fakeSource(['a'], { after: 1, error }) });
    const caught = await rejection(r.read());
    expect(caught).toBe(error);
    expect('response' in (caught as object)).toBe(false);
  });

  it('a RequestError thrown during iterContent gets .response and the source is cancelled', async () => {
    const error = new ReadTimeoutError('no data for 5000 ms');
    const src = fakeSource(['ab', 'cd'], { after: 1, error });
    const r = res(200, { body: src });
    const got: string[] = [];
    const caught = await rejection(
      (async () => {
        for await (const c of r.iterContent()) got.push(dec.decode(c));
      })(),
    );
    expect(caught).toBe(error);
    expect(got).toEqual(['ab']);
    expect(error.response).toBe(r);
    expect(src.cancel).toHaveBeenCalledTimes(1);
  });

  it('a RequestError thrown during iterLines gets .response', async () => {
    const error = new ChunkedEncodingError('truncated');
    const r = res(200, { body: fakeSource(['a\nb'], { after: 1, error }) });
    const lines: string[] = [];
    const caught = await rejection(
      (async () => {
        for await (const l of r.iterLines()) lines.push(l);
      })(),
    );
    expect(caught).toBe(error);
    expect(lines).toEqual(['a']);
    expect(error.response).toBe(r);
  });
});

describe('Response across installs', () => {
  it('instanceof holds for a Response built by another copy of @sess/core', async () => {
    const path = '../src/response.ts?copy=2';
    const other = (await import(/* @vite-ignore */ path)) as typeof import('../src/response.js');
    const { Response: Mine } = await import('../src/response.js');
    expect(other.Response).not.toBe(Mine);
    const { Request } = await import('../src/request.js');
    const request = await new Request({ url: 'http://a.test/' }).prepare();
    const foreign = new other.Response({ statusCode: 200, url: request.url, request });
    expect(foreign).toBeInstanceOf(Mine);
    expect({ statusCode: 200 }).not.toBeInstanceOf(Mine);
  });
});
