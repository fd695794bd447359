/**
 * How many HTTP/2 connections each client opens for the scenario's load:
 * the server counts the sessions it accepts, and each client in turn is set
 * up, asked once, then kept at `concurrency` requests in flight for a short
 * while, as the runner's warm-up does. A client spreading its streams over
 * several connections is doing other work than one multiplexing them all.
 */
import type { ClientDef } from '../clients/index.js';
import { drive } from './measure.js';

export interface ConnectionCount {
  readonly client: string;
  /** Sessions the server accepted while the client ran; null if the client failed. */
  readonly connections: number | null;
  readonly error?: string;
}

export async function countConnections(
  defs: readonly ClientDef[],
  origin: string,
  headers: Readonly<Record<string, string>>,
  concurrency: number,
  accepted: () => Promise<number>,
): Promise<ConnectionCount[]> {
  const counts: ConnectionCount[] = [];
  for (const def of defs) {
    try {
      const before = await accepted();
      const client = await def.setup(origin, headers);
      try {
        await client.get('/json', 'json');
        await drive(() => client.get('/json', 'json'), 200, concurrency);
      } finally {
        await client.close();
      }
      counts.push({ client: def.name, connections: (await accepted()) - before });
    } catch (err) {
      counts.push({ client: def.name, connections: null, error: String(err) });
    }
  }
  return counts;
}
