/**
 * The controller's work queue, as client-go's rate-limited queue behaves: a key is queued once however
 * often it is added, never processed by two workers at once (an add while it runs queues it again
 * afterwards), failures retry after an exponentially growing delay (base × 2^failures, capped) and
 * successes may ask to be looked at again after a period (drift detection).
 */

/** What processing a key asks for next. */
export type ProcessResult = { requeueAfterMs?: number } | { retry: true };

export interface WorkQueueOptions {
  /** First retry delay after a failure (default 1 s). */
  baseDelayMs?: number;
  /** Longest retry delay (default 5 minutes). */
  maxDelayMs?: number;
  /** Keys processed at the same time (default 4). */
  concurrency?: number;
}

/** Keys waiting to be processed by `process`, with per-key backoff. */
export class WorkQueue {
  private readonly queued: string[] = [];
  private readonly queuedSet = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly process: (key: string) => Promise<ProcessResult>,
    private readonly options: WorkQueueOptions = {},
    private readonly onError: (key: string, error: unknown) => void = () => undefined,
  ) {}

  /** Queues a key now (a pending delayed add of it is dropped: this one supersedes it). */
  add(key: string): void {
    if (this.stopped) return;
    const timer = this.timers.get(key);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queuedSet.has(key)) return;
    this.queuedSet.add(key);
    this.queued.push(key);
    this.pump();
  }

  /** Queues a key after a delay (the earlier of two delayed adds wins). */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (this.timers.has(key) || this.queuedSet.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** The delay before the next retry of a key that failed `failures` times in a row. */
  backoffDelay(failures: number): number {
    const base = this.options.baseDelayMs ?? 1000;
    return Math.min(base * 2 ** Math.max(0, failures - 1), this.options.maxDelayMs ?? 300_000);
  }

  /** How many times in a row a key has failed. */
  failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Stops taking work and cancels delayed adds; resolves when running work is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queued.length = 0;
    this.queuedSet.clear();
    if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 4;
    while (!this.stopped && this.active < concurrency && this.queued.length > 0) {
      const key = this.queued.shift()!;
      this.queuedSet.delete(key);
      this.running.add(key);
      this.active++;
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    let result: ProcessResult;
    try {
      result = await this.process(key);
    } catch (error) {
      this.onError(key, error);
      result = { retry: true };
    }
    this.running.delete(key);
    this.active--;
    if ('retry' in result) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      this.addAfter(key, this.backoffDelay(failures));
    } else {
      this.failures.delete(key);
      if (result.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    }
    if (this.dirty.delete(key)) this.add(key);
    this.pump();
    if (this.active === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
