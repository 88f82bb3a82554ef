/** Runs async tasks one at a time, in arrival order. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(task: () => Promise<R>): Promise<R> {
    const result = this.tail.then(task, task);
    // Keep the chain alive whatever the task's outcome; the caller still sees its own rejection.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
