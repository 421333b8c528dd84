export interface GroupedWrites<T> {
  /** Settles when this item's group is written (or its group's statement failed). */
  write(item: T): Promise<void>;
  /** Writes what waits at once and every later item without waiting for a window: the work is ending. */
  flush(): void;
}

/**
 * Writes that come while one is under way wait and go together in the next: under load one
 * statement writes many rows. Without a window a write alone goes at once; with one, the items
 * of a window go together, so a steady trickle costs a statement a window instead of one an item.
 */
export function groupedWrites<T>(write: (items: T[]) => Promise<void>, { windowMs = 0 }: { windowMs?: number } = {}): GroupedWrites<T> {
  let waiting: { item: T; written: () => void; failed: (err: unknown) => void }[] = [];
  let writing = false;
  let window: ReturnType<typeof setTimeout> | undefined;

  async function drain(): Promise<void> {
    writing = true;
    do {
      const taken = waiting;
      waiting = [];
      try {
        await write(taken.map((w) => w.item));
        for (const w of taken) w.written();
      } catch (err) {
        for (const w of taken) w.failed(err);
      }
    } while (windowMs === 0 && waiting.length > 0);
    writing = false;
    if (waiting.length > 0) openWindow();
  }
  function writeNow(): void {
    clearTimeout(window);
    window = undefined;
    if (!writing && waiting.length > 0) void drain();
  }
  function openWindow(): void {
    window ??= setTimeout(writeNow, windowMs);
  }

  return {
    write: (item) => new Promise<void>((written, failed) => {
      waiting.push({ item, written, failed });
      if (writing) return;
      if (windowMs > 0) openWindow();
      else writeNow();
    }),
    flush() {
      windowMs = 0;
      writeNow();
    },
  };
}
