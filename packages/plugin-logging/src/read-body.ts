import type { BodyLimits, Response, SendOptions } from '@sess/core';

/**
 * The bounds the session puts on a body (`maxResponseSize`, the request's
 * signal), for a plugin that reads one inside the chain; `undefined` when
 * this @sess/core does not pass `maxResponseSize` in SendOptions. A plugin
 * must then leave the body to the session: read here, it would escape the
 * limit (the session's bounds apply only to a body it reads itself).
 */
export function bodyLimits(options: SendOptions): BodyLimits | undefined {
  if (!('maxResponseSize' in options)) return undefined;
  const max = (options as { readonly maxResponseSize?: number | null }).maxResponseSize;
  return { maxSize: max ?? undefined, signal: options.signal };
}

/**
 * Reads the whole body inside the chain, with the session's bounds (the
 * session then finds it read). `false` when it cannot be done within them:
 * the body is left unread.
 */
export async function readBody(res: Response, options: SendOptions): Promise<boolean> {
  if (res.isRead) return true;
  const limits = bodyLimits(options);
  if (!limits) return false;
  res.limitBody(limits);
  await res.read();
  return true;
}
