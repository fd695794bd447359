import { createHash } from 'node:crypto';

/**
 * What the store needs from a Redis client: node-redis' `sendCommand`
 * (a `createClient()` client, or anything with the same method).
 */
export interface RedisCommander {
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/** A Lua script run with EVALSHA, loaded with EVAL the first time (or after SCRIPT FLUSH). */
export class Script {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisCommander, args: readonly string[]): Promise<unknown> {
    try {
      return await client.sendCommand(['EVALSHA', this.#sha, '0', ...args]);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return client.sendCommand(['EVAL', this.#source, '0', ...args]);
    }
  }
}
