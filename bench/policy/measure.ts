/**
 * Throughput measurement on one thread. The first pass over the inputs warms the JIT up and records
 * every decision (for the agreement check); the timed rounds that follow cycle over the same inputs
 * until the time budget is spent, and the median round's rate is reported.
 */
import type { Decision } from '../../src/policy/types.js';

export interface Throughput {
  decisions: number;
  seconds: number;
  /** For cycled measurements, the median of the rounds' rates, which shrugs off a noisy neighbour. */
  perSecond: number;
  /** Each round's decisions per second, when measured in rounds. */
  rounds?: number[];
}

export interface Measurement {
  /** The decision for each input, from the warm-up pass. */
  decisions: Decision[];
  throughput: Throughput;
}

/** Reading the clock costs more than a fast decision, so it is read once per batch. */
const CLOCK_BATCH = 64;
const ROUNDS = 5;

function elapsedSeconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function throughput(decisions: number, seconds: number): Throughput {
  return { decisions, seconds, perSecond: decisions / seconds };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Cycles over the inputs for `seconds`, from `start` onwards; returns how many decisions it made and where it stopped. */
function timedRound<T>(inputs: readonly T[], decide: (input: T) => Decision, seconds: number, start: number): { count: number; next: number; elapsed: number } {
  let allows = 0;
  let count = 0;
  let index = start;
  const clock = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < seconds) {
    for (let i = 0; i < CLOCK_BATCH; i++) {
      // Using each result keeps the optimizer from discarding the call.
      if (decide(inputs[index]!) === 'Allow') allows++;
      if (++index === inputs.length) index = 0;
    }
    count += CLOCK_BATCH;
    elapsed = elapsedSeconds(clock);
  }
  if (allows > count) throw new Error('unreachable');
  return { count, next: index, elapsed };
}

export function measureSync<T>(inputs: readonly T[], decide: (input: T) => Decision, budgetSeconds: number): Measurement {
  const decisions = inputs.map(decide);
  const rates: number[] = [];
  let decided = 0;
  let seconds = 0;
  let next = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const result = timedRound(inputs, decide, budgetSeconds / ROUNDS, next);
    rates.push(result.count / result.elapsed);
    decided += result.count;
    seconds += result.elapsed;
    next = result.next;
  }
  return { decisions, throughput: { decisions: decided, seconds, perSecond: median(rates), rounds: rates } };
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
