/** The runner's side of a client running in its own process (`client-child.ts`). */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Sample } from './measure.js';
import type { ChildReply, ParentMessage } from './remote-protocol.js';

const CHILD = fileURLToPath(new URL('./client-child.ts', import.meta.url));

export class RemoteClient {
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** Starts the process, sets the client up against `origin` and warms it (half a round). */
  static async start(
    scenario: string,
    client: string,
    origin: string,
    headers: Readonly<Record<string, string>>,
    ms: number,
  ): Promise<RemoteClient> {
    // The parent's flags (--expose-gc, the source condition, the tsx loader) apply to the client too;
    // BENCH_CPU_PROF=<dir> profiles each client's process (node --cpu-prof) into that directory.
    const prof = process.env.BENCH_CPU_PROF;
    const execArgv = prof ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${prof}`] : process.execArgv;
    const child = fork(CHILD, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const remote = new RemoteClient(child);
    try {
      await remote.#ask({ type: 'setup', scenario, client, origin, headers, ms });
    } catch (err) {
      await remote.close();
      throw err;
    }
    return remote;
  }

  /** One measured turn: a short re-warm, then `ms` of requests. */
  async round(ms: number): Promise<Sample> {
    const r = await this.#ask({ type: 'round', ms });
    if (r.type !== 'sample') throw new Error(`unexpected reply ${r.type}`);
    return r.sample;
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    if (child.connected) child.send({ type: 'close' } satisfies ParentMessage);
    else child.kill();
    await exited;
  }

  async #ask(m: ParentMessage): Promise<ChildReply> {
    const child = this.#child;
    const answer = new Promise<ChildReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`client process exited (code ${code})`));
      child.once('exit', onExit);
      child.once('message', (r: ChildReply) => {
        child.off('exit', onExit);
        if (r.type === 'failed') reject(new Error(r.error));
        else resolve(r);
      });
    });
    child.send(m);
    return answer;
  }
}
