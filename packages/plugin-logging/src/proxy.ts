import { type PreparedRequest, type SendOptions, selectProxy } from '@sess/core';
import type { Redactor, Secrets } from './redact.js';

/** The proxy URL a hop goes through (credentials included), if any. */
export function proxyOf(request: PreparedRequest, options: SendOptions): string | undefined {
  try {
    return selectProxy(request.url, options.proxies);
  } catch {
    return undefined;
  }
}

/** Adds the credentials of the hop's proxy URL to `secrets`. */
export function collectProxy(
  redactor: Redactor,
  secrets: Secrets,
  request: PreparedRequest,
  options: SendOptions,
): Secrets {
  const proxy = proxyOf(request, options);
  if (proxy) redactor.collectUrl(secrets, proxy);
  return secrets;
}
