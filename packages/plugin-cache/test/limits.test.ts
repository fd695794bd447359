import {
  type PreparedRequest,
  Request,
  Response,
  ResponseTooLargeError,
  type SendFn,
  type SendOptions,
} from '@sess/core';
import { describe, expect, it } from 'vitest';
import { cache } from '../src/index.js';

const options = (extra: Record<string, unknown> = {}): SendOptions =>
  ({
    stream: false,
    timeout: {},
    deadline: undefined,
    signal: undefined,
    verify: true,
    cert: null,
    proxies: {},
    extensions: {},
    ...extra,
  }) as SendOptions;

const origin: SendFn = async (request: PreparedRequest) =>
  new Response({
    statusCode: 200,
    headers: { 'Cache-Control': 'max-age=60' },
    url: request.url,
    request,
    body: new TextEncoder().encode('0123456789'),
  });

describe('bounds', () => {
  it('a stored body over the request’s maxResponseSize fails as the network body would', async () => {
    const plugin = cache();
    const req = await new Request({ method: 'GET', url: 'http://127.0.0.1:9/limit' }).prepare();
    const first = await plugin.send(req, options(), origin);
    // Outside a session nobody reads the body for us: the entry is stored as it is read.
    await first.read();
    expect(first.text).toBe('0123456789');
    const hit = await plugin.send(req, options({ maxResponseSize: 100 }), origin);
    expect(hit.fromCache).toBe(true);
    await expect(plugin.send(req, options({ maxResponseSize: 5 }), origin)).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
  });
});
