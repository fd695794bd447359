import { type Data, type PreparedRequest, Request, type SendOptions } from '@sess/core';
import { tlsFiles } from './fixtures.js';

export interface PrepareInit {
  method?: string;
  headers?: Record<string, string>;
  data?: Data;
}

/** A PreparedRequest built by core, as a Session would hand it to the adapter. */
export function prepare(url: string, init: PrepareInit = {}): Promise<PreparedRequest> {
  return new Request({ method: init.method ?? 'GET', url, headers: init.headers, data: init.data }).prepare();
}

/** SendOptions for one hop: streamed, no limits, the test CA trusted. */
export function sendOptions(overrides: Partial<SendOptions> = {}): SendOptions {
  return {
    stream: true,
    timeout: {},
    deadline: undefined,
    signal: undefined,
    verify: tlsFiles.ca,
    cert: null,
    proxies: {},
    extensions: {},
    ...overrides,
  };
}

export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** The settled value or error of a promise. */
export async function settle<T>(
  p: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The rejection of `p`; fails the test if `p` resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  const r = await settle(p);
  if (r.ok) throw new Error('expected a rejection, got a value');
  return r.error as Error;
}

/** How long `p` took to settle, and its error if it failed. */
export async function timed<T>(p: Promise<T>): Promise<{ ms: number; error: unknown; value: T | undefined }> {
  const t0 = performance.now();
  const r = await settle(p);
  return { ms: performance.now() - t0, error: r.ok ? undefined : r.error, value: r.ok ? r.value : undefined };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when `check()` holds, polling; rejects after `ms`. */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}
