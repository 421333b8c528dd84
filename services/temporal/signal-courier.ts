/**
 * Signals sent after the answer. The change they announce is committed already, so a caller (a
 * billing system posting a burst of payments) need not wait on the engine: the workflow hears of
 * it a moment later. A bounded number go at once and a bounded number wait; one that cannot be
 * delivered (the engine away, the queue full, the process stopping) is not lost work, because the
 * workflow reads the database before it sends anything and the repair pass wakes every running
 * workflow whose invoice is settled.
 */
export class SignalCourier {
  private readonly waiting: (() => Promise<unknown>)[] = [];
  private running = 0;
  private readonly onIdle: (() => void)[] = [];

  constructor(private readonly limits: { concurrency: number; queued: number } = { concurrency: 16, queued: 10_000 }) {}

  /** Queues a delivery; false when the queue is full and the repair pass will do it instead. */
  send(deliver: () => Promise<unknown>): boolean {
    if (this.waiting.length >= this.limits.queued) return false;
    this.waiting.push(deliver);
    this.pump();
    return true;
  }

  /** Resolves once every queued delivery has been tried, or after `timeoutMs` (a process stopping waits that long at most). */
  drained(timeoutMs = Infinity): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onIdle.push(resolve);
      if (Number.isFinite(timeoutMs)) setTimeout(resolve, timeoutMs).unref();
    });
  }

  private pump(): void {
    while (this.running < this.limits.concurrency && this.waiting.length > 0) {
      const deliver = this.waiting.shift()!;
      this.running++;
      // A delivery that fails is the repair pass's to redo; the others go on.
      deliver()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0 && this.waiting.length === 0) this.onIdle.splice(0).forEach((resolve) => resolve());
        });
    }
  }
}
