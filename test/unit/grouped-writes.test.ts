import { afterEach, describe, expect, it, vi } from 'vitest';
import { groupedWrites } from '../../services/grouped-writes.js';

describe('grouped writes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes one at once, and the ones that came during that write together in the next', async () => {
    const statements: number[][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((r) => (release = r));
    const { write } = groupedWrites(async (rows: number[]) => {
      statements.push(rows);
      if (statements.length === 1) await firstWrite;
    });
    const all = [write(1), write(2), write(3), write(4)];
    expect(statements).toEqual([[1]]);
    release();
    await Promise.all(all);
    expect(statements).toEqual([[1], [2, 3, 4]]);
    await write(5);
    expect(statements).toEqual([[1], [2, 3, 4], [5]]);
  });

  it("fails only the callers whose group's statement failed, and writes the next group", async () => {
    let calls = 0;
    const { write } = groupedWrites(async (rows: string[]) => {
      calls++;
      if (rows.includes('bad')) throw new Error('refused');
    });
    const [bad, later] = [write('bad'), write('good')];
    await expect(bad).rejects.toThrow('refused');
    await expect(later).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('with a window, writes the items of each window in one statement, and at once after a flush', async () => {
    vi.useFakeTimers();
    const statements: number[][] = [];
    const { write, flush } = groupedWrites(async (rows: number[]) => {
      statements.push(rows);
    }, { windowMs: 250 });
    const first = [write(1), write(2)];
    await vi.advanceTimersByTimeAsync(100);
    first.push(write(3));
    expect(statements).toEqual([]);
    await vi.advanceTimersByTimeAsync(150);
    await Promise.all(first);
    expect(statements).toEqual([[1, 2, 3]]);

    const last = [write(4), write(5)];
    await vi.advanceTimersByTimeAsync(10);
    expect(statements).toEqual([[1, 2, 3]]);
    flush();
    await Promise.all(last);
    expect(statements).toEqual([[1, 2, 3], [4, 5]]);
    await write(6);
    expect(statements).toEqual([[1, 2, 3], [4, 5], [6]]);
  });
});
