/**
 * Alarms: per-request timers for the hot path. A request arms one for its
 * deadline, an adapter one for its read clock, and nearly all of them are
 * cancelled long before they would fire. A Node timer costs a Timeout
 * object, a list insertion and an unenroll per request (4-5 µs on the
 * benchmark machine: as much as a fifth of a small request's client time).
 *
 * Here alarms of the same duration share one queue and one Node timer, as
 * Node's own timer lists do, but cancelling only drops the alarm's callback
 * (its slot leaves the queue when the shared timer reaches it, or when the
 * queue compacts), and refreshing queues a new slot at the back. Every slot
 * of a queue has the same duration, so slots arrive in due order: a FIFO.
 * The shared timer holds the process open only while a live alarm waits.
 */

/** A pending alarm. Both methods are safe to call any number of times, after firing too. */
export interface Alarm {
  /** The alarm will not fire. */
  cancel(): void;
  /** Starts the alarm's duration again from now (Node's `timeout.refresh()`). */
  refresh(): void;
}

/** A place in a queue; stale once its alarm was cancelled, fired or refreshed (moved to a newer slot). */
interface Slot {
  due: number;
  readonly alarm: QueuedAlarm;
}

class QueuedAlarm implements Alarm {
  fire: (() => void) | undefined;
  slot: Slot;
  /** When it is due: later than its slot's after a refresh (it moves when the timer reaches the slot). */
  due: number;
  readonly #queue: AlarmQueue;

  constructor(queue: AlarmQueue, fire: () => void) {
    this.#queue = queue;
    this.fire = fire;
    this.slot = queue.push(this);
    this.due = this.slot.due;
  }

  cancel(): void {
    if (this.fire === undefined) return;
    this.fire = undefined;
    this.#queue.cancelled();
  }

  refresh(): void {
    if (this.fire === undefined) return;
    this.due = performance.now() + this.#queue.ms;
    // The last slot queued may move with it and stay in order; any other stays where it is, and
    // the alarm moves when the timer reaches it (a field written per refresh, nothing allocated).
    if (this.#queue.isLast(this.slot)) this.slot.due = this.due;
  }
}

const MAX_WAIT = 2 ** 31 - 1;

/** Stale slots a queue holds at the least before it compacts itself. */
const COMPACT_AT = 1024;

const live = (slot: Slot): boolean => slot.alarm.slot === slot && slot.alarm.fire !== undefined;

/** The alarms of one duration, in due order, behind one Node timer. */
class AlarmQueue {
  readonly ms: number;
  #slots: Slot[] = [];
  #head = 0;
  #live = 0;
  #stale = 0;
  #timer: NodeJS.Timeout | undefined;
  /** When the timer goes off (a performance.now() time). */
  #timerDue = 0;

  constructor(ms: number) {
    this.ms = ms;
  }

  add(fire: () => void): Alarm {
    const alarm = new QueuedAlarm(this, fire);
    if (this.#live++ === 0) {
      // The timer may be set already (for a slot gone stale since): it is due no later than this one.
      if (this.#timer === undefined) this.#arm(alarm.slot.due);
      else this.#timer.ref();
    }
    return alarm;
  }

  push(alarm: QueuedAlarm): Slot {
    const slot = { due: performance.now() + this.ms, alarm };
    this.#slots.push(slot);
    return slot;
  }

  /** Queues `slot` in due order: from the back, where a refreshed alarm's time nearly always is. */
  #insert(slot: Slot): Slot {
    const slots = this.#slots;
    let i = slots.length;
    while (i > this.#head && (slots[i - 1] as Slot).due > slot.due) i--;
    slots.splice(i, 0, slot);
    return slot;
  }

  isLast(slot: Slot): boolean {
    return this.#slots[this.#slots.length - 1] === slot;
  }

  cancelled(): void {
    // Nothing left to wait for: the timer may run out without holding the process open.
    if (--this.#live === 0) this.#timer?.unref();
    this.dropped();
  }

  /** A slot went stale. */
  dropped(): void {
    if (++this.#stale >= COMPACT_AT && this.#stale > this.#live) {
      this.#slots = this.#slots.slice(this.#head).filter(live);
      this.#head = 0;
      this.#stale = 0;
    }
  }

  #arm(due: number): void {
    this.#timerDue = due;
    // Node's timers take at most 2^31-1 ms (24.8 days); a longer wait re-arms when that runs out.
    const wait = Math.min(MAX_WAIT, Math.max(1, Math.ceil(due - performance.now())));
    this.#timer = setTimeout(this.#onTimer, wait);
    if (this.#live === 0) this.#timer.unref();
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    // this.#slots each time: a callback's cancel() or refresh() may compact the queue (#head back to 0).
    while (this.#head < this.#slots.length) {
      const slot = this.#slots[this.#head] as Slot;
      if (!live(slot)) {
        // Stale slots go whatever their due time: the timer is then set for a live one only.
        this.#head++;
        if (this.#stale > 0) this.#stale--;
        continue;
      }
      if (slot.due > now) break;
      this.#head++;
      const alarm = slot.alarm;
      if (alarm.due > now) {
        // Refreshed since it was queued: back in the queue, in due order.
        alarm.slot = this.#insert({ due: alarm.due, alarm });
        continue;
      }
      const fire = slot.alarm.fire as () => void;
      slot.alarm.fire = undefined;
      this.#live--;
      try {
        fire();
      } catch (err) {
        // As a throwing setTimeout callback would, but the other alarms still fire, and the queue lives on.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
    // The array is cut only once the dead part is most of it: cutting costs a copy of the rest.
    if (this.#head >= COMPACT_AT && this.#head * 2 >= this.#slots.length) {
      this.#slots = this.#slots.slice(this.#head);
      this.#head = 0;
    } else if (this.#head === this.#slots.length) {
      this.#slots = [];
      this.#head = 0;
    }
    // Firing may have added alarms (and set the timer through add()).
    const next = this.#slots[this.#head];
    if (next === undefined) {
      // Nothing left: forget the queue, so durations computed per request do not pile up queues.
      if (this.#timer === undefined && queues.get(this.ms) === this) queues.delete(this.ms);
      return;
    }
    if (this.#timer === undefined) this.#arm(next.due);
    else if (this.#timerDue > next.due) {
      clearTimeout(this.#timer);
      this.#arm(next.due);
    }
  };
}

const queues = new Map<number, AlarmQueue>();

/**
 * Calls `fire` after `ms` milliseconds (whole, at least 1), unless
 * cancelled first. Like `setTimeout`, it holds the process open while pending.
 */
export function setAlarm(ms: number, fire: () => void): Alarm {
  const key = Math.max(1, Math.ceil(ms));
  let queue = queues.get(key);
  if (queue === undefined) {
    queue = new AlarmQueue(key);
    queues.set(key, queue);
  }
  return queue.add(fire);
}
