/** Something an InFlight list holds: it keeps its own place in the list. */
export interface InFlightItem {
  /** @internal Index in the list holding it, -1 when in none. */
  inFlightIndex: number;
}

/**
 * The sends in progress, for close(): an array where each item knows its
 * index, so adding and removing cost no hashing (a Set of objects gives each
 * one an identity hash, which showed in profiles of the hot path).
 */
export class InFlight<T extends InFlightItem> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    if (item.inFlightIndex !== -1) return;
    item.inFlightIndex = this.#items.length;
    this.#items.push(item);
  }

  /** Removes `item` (the last one takes its place). */
  delete(item: T): void {
    const i = item.inFlightIndex;
    const items = this.#items;
    if (i === -1 || items[i] !== item) return;
    const last = items.pop() as T;
    if (last !== item) {
      items[i] = last;
      last.inFlightIndex = i;
    }
    item.inFlightIndex = -1;
  }

  /** A copy of the items, to go through while they remove themselves. */
  snapshot(): T[] {
    return this.#items.slice();
  }
}
