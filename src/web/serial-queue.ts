/**
 * Runs jobs one at a time, in the order they were queued. The page's model work goes through one queue: a
 * stream's push must finish before the next begins (the stream keeps the samples between calls), and a profile
 * must not interleave its dispatches with a classification's.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `job`; the promise settles as the job does. A failed job does not stop the ones after it. */
  run<T>(job: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
