/**
 * Writes that come while one is under way wait and go together in the next: under load one
 * statement writes many rows, and a write alone goes at once. Each caller's promise settles when
 * its own row is written (or its group's statement failed).
 */
export function groupedWrites<T>(write: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let waiting: { item: T; written: () => void; failed: (err: unknown) => void }[] = [];
  let writing = false;
  async function drain(): Promise<void> {
    writing = true;
    while (waiting.length > 0) {
      const taken = waiting;
      waiting = [];
      try {
        await write(taken.map((w) => w.item));
        for (const w of taken) w.written();
      } catch (err) {
        for (const w of taken) w.failed(err);
      }
    }
    writing = false;
  }
  return (item) => new Promise<void>((written, failed) => {
    waiting.push({ item, written, failed });
    if (!writing) void drain();
  });
}
