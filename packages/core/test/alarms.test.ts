import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Alarm, setAlarm } from '../src/alarms.js';

/**
 * Alarms of one duration share a queue and one Node timer for the life of
 * the process, so every test below uses durations of its own: a queue left
 * behind by one test (a fake timer, say) cannot touch another's.
 */

/** Resolves with performance.now() when an alarm of `ms` fires. */
function alarmAt(ms: number): { alarm: Alarm; fired: Promise<number> } {
  let alarm!: Alarm;
  const fired = new Promise<number>((resolve) => {
    alarm = setAlarm(ms, () => resolve(performance.now()));
  });
  return { alarm, fired };
}

/** The fake clock: setTimeout, clearTimeout and performance.now() all move together. */
function useFakeTime(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
}

describe('setAlarm, in real time', () => {
  it('fires once, no earlier than its ms', async () => {
    let calls = 0;
    const t0 = performance.now();
    const fired = new Promise<number>((resolve) => {
      setAlarm(30, () => {
        calls++;
        resolve(performance.now());
      });
    });
    expect(calls).toBe(0);
    expect((await fired) - t0).toBeGreaterThanOrEqual(29);
    // A later alarm of the same duration: the queue has passed the first one's slot for good.
    await alarmAt(30).fired;
    expect(calls).toBe(1);
  });

  it('a cancelled alarm never fires; a later alarm of the same duration still does', async () => {
    let cancelledCalls = 0;
    const doomed = setAlarm(31, () => cancelledCalls++);
    doomed.cancel();
    const t0 = performance.now();
    const at = await alarmAt(31).fired;
    expect(at - t0).toBeGreaterThanOrEqual(30);
    expect(cancelledCalls).toBe(0);
  });

  it('refresh at half time pushes the fire to about 1.5 times the duration', async () => {
    const t0 = performance.now();
    const late = alarmAt(60);
    // A shorter alarm (a queue of its own) does the refresh at ~32 ms.
    const refreshedAt = await new Promise<number>((resolve) => {
      setAlarm(32, () => {
        late.alarm.refresh();
        resolve(performance.now());
      });
    });
    expect(refreshedAt - t0).toBeGreaterThanOrEqual(31);
    const at = await late.fired;
    expect(at - refreshedAt).toBeGreaterThanOrEqual(59);
    expect(at - t0).toBeGreaterThanOrEqual(91);
  });

  it('5000 alarms of one duration, most cancelled: every live one fires, in due order, none early', async () => {
    const n = 5000;
    const order: number[] = [];
    const late: number[] = [];
    const created: number[] = [];
    const alarms: Alarm[] = [];
    let lastFired!: () => void;
    const done = new Promise<void>((resolve) => {
      lastFired = resolve;
    });
    for (let i = 0; i < n; i++) {
      created.push(performance.now());
      alarms.push(
        setAlarm(45, () => {
          order.push(i);
          late.push(performance.now() - (created[i] as number));
          if (i === n - 1) lastFired();
        }),
      );
    }
    const live = new Set<number>();
    for (let i = 0; i < n; i++) {
      if (i % 97 === 0 || i === n - 1) live.add(i);
      else (alarms[i] as Alarm).cancel();
    }
    await done;
    expect(order).toEqual([...live]);
    for (const ms of late) expect(ms).toBeGreaterThanOrEqual(44);
  });

  it('alarms set from inside a fire callback fire too, of the same duration or another', async () => {
    const t0 = performance.now();
    const inner = await new Promise<{ same: Promise<number>; other: Promise<number>; at: number }>(
      (resolve) => {
        setAlarm(25, () => {
          resolve({ same: alarmAt(25).fired, other: alarmAt(15).fired, at: performance.now() });
        });
      },
    );
    expect(inner.at - t0).toBeGreaterThanOrEqual(24);
    const [same, other] = await Promise.all([inner.same, inner.other]);
    expect(same - inner.at).toBeGreaterThanOrEqual(24);
    expect(other - inner.at).toBeGreaterThanOrEqual(14);
    expect(other).toBeLessThanOrEqual(same);
  });

  it('3000 cancelled alarms of one duration (the queue compacts) do not lose the live one', async () => {
    const calls: string[] = [];
    const first = setAlarm(35, () => calls.push('first'));
    const before = Array.from({ length: 1500 }, () => setAlarm(35, () => calls.push('cancelled')));
    const middle = alarmAt(35);
    const after = Array.from({ length: 1500 }, () => setAlarm(35, () => calls.push('cancelled')));
    const last = alarmAt(35);
    first.cancel();
    for (const a of [...before, ...after]) a.cancel();
    await Promise.all([middle.fired, last.fired]);
    // The cancelled ones were queued before `last`: had any fired, it would be in `calls` by now.
    expect(calls).toEqual([]);
  });
});

describe('setAlarm, in fake time', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires at its ms exactly, not a millisecond before, and once', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: number[] = [];
    setAlarm(100, () => at.push(performance.now() - t0));
    vi.advanceTimersByTime(99);
    expect(at).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(at).toEqual([100]);
    vi.advanceTimersByTime(1000);
    expect(at).toEqual([100]);
  });

  it('a whole duration is at least 1 ms: 0 and fractions round up', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: Record<string, number> = {};
    setAlarm(0, () => {
      at.zero = performance.now() - t0;
    });
    setAlarm(101.2, () => {
      at.fraction = performance.now() - t0;
    });
    vi.advanceTimersByTime(101);
    expect(at).toEqual({ zero: 1 });
    vi.advanceTimersByTime(1);
    expect(at).toEqual({ zero: 1, fraction: 102 });
  });

  it('cancel before due: it never fires, the others of its queue do, at their own times', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: [string, number][] = [];
    const a = setAlarm(103, () => at.push(['a', performance.now() - t0]));
    vi.advanceTimersByTime(10);
    setAlarm(103, () => at.push(['b', performance.now() - t0]));
    a.cancel();
    a.cancel();
    vi.advanceTimersByTime(500);
    expect(at).toEqual([['b', 113]]);
  });

  it('refresh starts the duration again from now, as often as it is called', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: number[] = [];
    const a = setAlarm(104, () => at.push(performance.now() - t0));
    vi.advanceTimersByTime(52);
    a.refresh();
    vi.advanceTimersByTime(52);
    // The first slot's time: stale now.
    expect(at).toEqual([]);
    vi.advanceTimersByTime(51);
    expect(at).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(at).toEqual([156]);
    vi.advanceTimersByTime(500);
    expect(at).toEqual([156]);
  });

  it('alarms refreshed in turn 3000 times each (compactions on the way) fire once, a duration after their last refresh', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: [string, number][] = [];
    const log = (name: string) => () => at.push([name, performance.now() - t0]);
    // Two of them in turn: neither is the last slot queued when refreshed, so each refresh queues a slot.
    const a = setAlarm(105, log('a'));
    const b = setAlarm(105, log('b'));
    setAlarm(105, log('cancelled')).cancel();
    for (let i = 0; i < 3000; i++) {
      if (i % 100 === 0) vi.advanceTimersByTime(1);
      a.refresh();
      b.refresh();
    }
    expect(performance.now() - t0).toBe(30);
    vi.advanceTimersByTime(104);
    expect(at).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(at).toEqual([
      ['a', 135],
      ['b', 135],
    ]);
    vi.advanceTimersByTime(500);
    expect(at).toHaveLength(2);
  });

  it('an alarm refreshed again and again on its own fires once, a duration after the last refresh', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: number[] = [];
    const a = setAlarm(111, () => at.push(performance.now() - t0));
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(100);
      a.refresh();
    }
    vi.advanceTimersByTime(110);
    expect(at).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(at).toEqual([5111]);
    vi.advanceTimersByTime(500);
    expect(at).toEqual([5111]);
  });

  it('many alarms set over time, most cancelled: the live ones fire in due order, each at its due time', () => {
    useFakeTime();
    const t0 = performance.now();
    const fired: [number, number][] = [];
    const due = new Map<number, number>();
    const alarms: Alarm[] = [];
    // 50 batches of 100, a millisecond apart: due times 106, 107, ... 155.
    for (let batch = 0; batch < 50; batch++) {
      for (let j = 0; j < 100; j++) {
        const i = batch * 100 + j;
        due.set(i, performance.now() - t0 + 106);
        alarms.push(setAlarm(106, () => fired.push([i, performance.now() - t0])));
      }
      vi.advanceTimersByTime(1);
    }
    const live: number[] = [];
    for (let i = 0; i < alarms.length; i++) {
      if (i % 37 === 5) live.push(i);
      else (alarms[i] as Alarm).cancel();
    }
    vi.advanceTimersByTime(300);
    expect(fired.map(([i]) => i)).toEqual(live);
    for (const [i, at] of fired) expect(at).toBe(due.get(i));
  });

  it('alarms of different durations are independent', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: [string, number][] = [];
    const log = (name: string) => () => at.push([name, performance.now() - t0]);
    setAlarm(207, log('long'));
    const short = setAlarm(107, log('short, cancelled'));
    setAlarm(107, log('short'));
    short.cancel();
    const mid = setAlarm(157, log('mid'));
    vi.advanceTimersByTime(100);
    mid.refresh();
    vi.advanceTimersByTime(400);
    // Cancelling in the 107 queue and refreshing in the 157 one moved nothing in the others.
    expect(at).toEqual([
      ['short', 107],
      ['long', 207],
      ['mid', 257],
    ]);
  });

  it('an alarm set from inside a fire callback fires a duration later, in the same queue or another', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: [string, number][] = [];
    const log = (name: string) => () => at.push([name, performance.now() - t0]);
    setAlarm(108, () => {
      log('outer')();
      setAlarm(108, log('same queue'));
      setAlarm(58, log('other queue'));
    });
    // Already due when the outer one fires: fires in the same pass, before the new slot.
    setAlarm(108, log('queued behind'));
    vi.advanceTimersByTime(1000);
    expect(at).toEqual([
      ['outer', 108],
      ['queued behind', 108],
      ['other queue', 166],
      ['same queue', 216],
    ]);
  });

  it('cancel() and refresh() after firing do nothing', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: [string, number][] = [];
    const a = setAlarm(109, () => at.push(['a', performance.now() - t0]));
    vi.advanceTimersByTime(109);
    expect(at).toEqual([['a', 109]]);
    a.refresh();
    a.cancel();
    a.refresh();
    // The queue still counts right: a new alarm of the duration fires on time.
    setAlarm(109, () => at.push(['b', performance.now() - t0]));
    vi.advanceTimersByTime(1000);
    expect(at).toEqual([
      ['a', 109],
      ['b', 218],
    ]);
  });

  it('a callback that cancels enough alarms to compact the queue does not lose the later ones', () => {
    useFakeTime();
    const t0 = performance.now();
    const at: [string, number][] = [];
    const doomed: Alarm[] = [];
    setAlarm(110, () => {
      at.push(['first', performance.now() - t0]);
      for (const a of doomed) a.cancel();
    });
    for (let i = 0; i < 1100; i++) doomed.push(setAlarm(110, () => at.push(['doomed', -1])));
    vi.advanceTimersByTime(10);
    setAlarm(110, () => at.push(['later', performance.now() - t0]));
    vi.advanceTimersByTime(500);
    setAlarm(110, () => at.push(['after', performance.now() - t0]));
    vi.advanceTimersByTime(500);
    expect(at).toEqual([
      ['first', 110],
      ['later', 120],
      ['after', 620],
    ]);
  });
});

describe('setAlarm and the process', () => {
  const alarms = pathToFileURL(fileURLToPath(new URL('../src/alarms.ts', import.meta.url))).href;
  const root = fileURLToPath(new URL('../../..', import.meta.url));

  /** Runs `body` in a child Node with `setAlarm` and `t0` in scope; its output and wall time. */
  async function child(
    body: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
    const script = `import { setAlarm } from ${JSON.stringify(alarms)};\nconst t0 = performance.now();\n${body}`;
    const t0 = performance.now();
    const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => {
      stdout += d;
    });
    proc.stderr.on('data', (d) => {
      stderr += d;
    });
    // Killed only if it hangs: then the exit code is null and the test fails.
    const guard = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    clearTimeout(guard);
    return { code, stdout, stderr, ms: performance.now() - t0 };
  }

  it('a queue whose alarms are all cancelled does not hold the process open', async () => {
    const r = await child(`
      const a = setAlarm(10_000, () => console.log('fired'));
      const b = setAlarm(10_000, () => console.log('fired'));
      a.refresh();
      a.cancel();
      b.cancel();
      console.log('set');
    `);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('set\n');
    expect(r.ms).toBeLessThan(3000);
  });

  it('a live alarm holds the process open until it fires', async () => {
    const r = await child(`
      setAlarm(200, () => console.log('fired', Math.round(performance.now() - t0)));
      setAlarm(10_000, () => console.log('other')).cancel();
    `);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fired \d+\n$/);
    expect(Number(r.stdout.split(' ')[1])).toBeGreaterThanOrEqual(199);
  });

  it('an alarm added to a queue whose timer was let go holds the process open again', async () => {
    // The cancel leaves the queue's timer set but unref'd; b must ref it again.
    const r = await child(`
      setAlarm(200, () => console.log('cancelled')).cancel();
      setAlarm(200, () => console.log('b', Math.round(performance.now() - t0)));
    `);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^b \d+\n$/);
    expect(Number(r.stdout.split(' ')[1])).toBeGreaterThanOrEqual(199);
  });

  it('a refreshed alarm holds the process open until its new due time', async () => {
    const r = await child(`
      const a = setAlarm(200, () => console.log('fired', Math.round(performance.now() - t0)));
      setAlarm(100, () => a.refresh());
    `);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fired \d+\n$/);
    expect(Number(r.stdout.split(' ')[1])).toBeGreaterThanOrEqual(299);
  });

  it('cancelling a fired alarm does not let go of a live one of the same duration', async () => {
    // b is set at ~100 ms, due at ~300; a fires at ~200 and is cancelled twice after firing.
    const r = await child(`
      const a = setAlarm(200, () => {
        console.log('a');
        a.cancel();
        a.cancel();
        a.refresh();
      });
      setAlarm(100, () => setAlarm(200, () => console.log('b', Math.round(performance.now() - t0))));
    `);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^a\nb \d+\n$/);
    expect(Number(r.stdout.split(' ')[1])).toBeGreaterThanOrEqual(299);
  });
});

describe('a throwing alarm', () => {
  it('is reported as uncaught, and the other alarms of its duration still fire', async () => {
    const thrown = new Error('alarm callback failed');
    const uncaught = new Promise<unknown>((resolve) => {
      const listeners = process.listeners('uncaughtException');
      process.removeAllListeners('uncaughtException');
      process.once('uncaughtException', (err) => {
        for (const l of listeners) process.on('uncaughtException', l);
        resolve(err);
      });
    });
    const fired = new Promise<string>((resolve) => {
      setAlarm(37, () => {
        throw thrown;
      });
      setAlarm(37, () => resolve('second'));
    });
    expect(await fired).toBe('second');
    expect(await uncaught).toBe(thrown);
    // The queue lives on: a later alarm of the same duration fires too.
    expect(await new Promise((resolve) => setAlarm(37, () => resolve('later')))).toBe('later');
  });
});
