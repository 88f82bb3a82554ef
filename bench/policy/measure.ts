/**
 * Throughput measurement on one thread. The first pass over the inputs warms the JIT up and records
 * every decision (for the agreement check); the timed passes that follow cycle over the same inputs
 * until the time budget is spent.
 */
import type { Decision } from '../../src/policy/types.js';

export interface Throughput {
  decisions: number;
  seconds: number;
  perSecond: number;
}

export interface Measurement {
  /** The decision for each input, from the warm-up pass. */
  decisions: Decision[];
  throughput: Throughput;
}

/** Reading the clock costs more than a fast decision, so it is read once per batch. */
const CLOCK_BATCH = 64;

function elapsedSeconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function throughput(decisions: number, seconds: number): Throughput {
  return { decisions, seconds, perSecond: decisions / seconds };
}

export function measureSync<T>(inputs: readonly T[], decide: (input: T) => Decision, budgetSeconds: number): Measurement {
  const decisions = inputs.map(decide);
  let allows = 0;
  let count = 0;
  let index = 0;
  const start = process.hrtime.bigint();
  let seconds = 0;
  while (seconds < budgetSeconds) {
    for (let i = 0; i < CLOCK_BATCH; i++) {
      // Using each result keeps the optimizer from discarding the call.
      if (decide(inputs[index]!) === 'Allow') allows++;
      if (++index === inputs.length) index = 0;
    }
    count += CLOCK_BATCH;
    seconds = elapsedSeconds(start);
  }
  if (allows < 0) throw new Error('unreachable');
  return { decisions, throughput: throughput(count, seconds) };
}

/**
 * Times one full pass of an asynchronous decider over every input (after warming up on the first few),
 * keeping each result: for a decider too slow to cycle over the inputs many times.
 */
export async function measureAsyncPass<T, R>(inputs: readonly T[], decide: (input: T) => Promise<R>, warmup: number): Promise<{ results: R[]; throughput: Throughput }> {
  for (const input of inputs.slice(0, warmup)) await decide(input);
  const results: R[] = [];
  const start = process.hrtime.bigint();
  for (const input of inputs) results.push(await decide(input));
  return { results, throughput: throughput(inputs.length, elapsedSeconds(start)) };
}
