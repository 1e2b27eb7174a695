/**
 * Lets the event loop turn once. A long loop whose awaits all settle at once (the reference backend's reads, a
 * synchronous front end) never gives signals a chance: a SIGINT or SIGTERM handler (output-lock.ts releases its
 * locks in one) would wait for the whole run. Awaiting this once per file or training step keeps Ctrl-C prompt.
 * setTimeout, not setImmediate, so that the same code runs in a page; Node's 1 ms floor is nothing beside a step.
 */
export function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
