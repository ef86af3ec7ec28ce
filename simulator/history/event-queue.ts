/** A min-heap of timed events; events at the same time come out in the order they were pushed. */
export class EventQueue<T> {
  private readonly items: { at: number; seq: number; event: T }[] = [];
  private pushed = 0;

  get size(): number {
    return this.items.length;
  }

  /** Time of the next event, Infinity when there is none. */
  peekTime(): number {
    return this.items[0]?.at ?? Infinity;
  }

  push(at: number, event: T): void {
    const item = { at, seq: this.pushed++, event };
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(item, items[parent] as typeof item)) break;
      items[i] = items[parent] as typeof item;
      i = parent;
    }
    items[i] = item;
  }

  pop(): { at: number; event: T } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (!top || !last) return undefined;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child =
          right < items.length && this.before(items[right] as typeof last, items[left] as typeof last)
            ? right
            : left;
        if (!this.before(items[child] as typeof last, last)) break;
        items[i] = items[child] as typeof last;
        i = child;
      }
      items[i] = last;
    }
    return { at: top.at, event: top.event };
  }

  private before(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}
