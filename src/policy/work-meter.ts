/**
 * Counts the elementary steps of code that faces untrusted input (wildcard comparisons, decoded
 * parameters), so tests can prove the work stays linear by operation counts — never by wall time. Off
 * unless a test turns it on; counting then costs one comparison per step.
 */

interface WorkMeter {
  steps: number;
}

let meter: WorkMeter | undefined;

/** Adds `steps` to the running meter, if any. */
export function countWork(steps: number): void {
  if (meter !== undefined) meter.steps += steps;
}

/** Runs `work` metered; returns its result and the steps it counted. */
export function meterWork<T>(work: () => T): { result: T; steps: number } {
  const outer = meter;
  const current: WorkMeter = { steps: 0 };
  meter = current;
  try {
    return { result: work(), steps: current.steps };
  } finally {
    meter = outer;
  }
}
