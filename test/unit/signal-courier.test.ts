import { expect, it } from 'vitest';
import { SignalCourier } from '../../services/temporal/signal-courier.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

it('delivers every queued signal, a bounded number at once, and refuses past its queue', async () => {
  const courier = new SignalCourier({ concurrency: 2, queued: 3 });
  const gates = Array.from({ length: 5 }, deferred);
  let inFlight = 0;
  let most = 0;
  const delivered: number[] = [];
  const accepted = gates.map((gate, n) => courier.send(async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    await gate.promise;
    inFlight--;
    delivered.push(n);
  }));
  // Two go at once, three wait; the sixth finds the queue full and is left to the repair pass.
  expect(accepted).toEqual([true, true, true, true, true]);
  expect(courier.send(async () => undefined)).toBe(false);
  gates.forEach((g) => g.resolve());
  await courier.drained();
  expect(delivered.sort()).toEqual([0, 1, 2, 3, 4]);
  expect(most).toBe(2);
});

it('goes on after a delivery that fails, and a stopping process waits a bounded time', async () => {
  const courier = new SignalCourier({ concurrency: 1, queued: 10 });
  const delivered: string[] = [];
  courier.send(async () => { throw new Error('engine away'); });
  courier.send(async () => void delivered.push('next'));
  await courier.drained();
  expect(delivered).toEqual(['next']);
  courier.send(() => new Promise(() => {}));
  const before = Date.now();
  await courier.drained(50);
  expect(Date.now() - before).toBeLessThan(1_000);
});
