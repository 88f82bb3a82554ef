/**
 * A closed-loop load generator: N workers, each with one request in flight at a time, for a fixed time.
 * Records every request's latency and the CPU time spent by the client itself and by the server, so a
 * client-bound measurement shows up as such and a server's cost per request can be read off even when
 * other work on the machine takes CPU away from it.
 */
import { readFileSync } from 'node:fs';

/** Reports one answered request: its latency, and what went wrong if it was not the expected answer. */
export type Recorder = (milliseconds: number, failure?: string) => void;

/** One unit of work: sends one or more requests and reports each through `record`. */
export type Step = (worker: number, iteration: number, record: Recorder) => Promise<void>;

export interface LoadOptions {
  concurrency: number;
  seconds: number;
  /** A hard bound on iterations per worker, whatever the clock says. */
  maxIterationsPerWorker?: number;
  /** A process whose CPU time (from /proc) is measured too: the server under load. */
  serverPid?: number;
}

/** The raw outcome of one timed run. */
export interface LoadSample {
  latencies: number[];
  /** Answers that were not the expected one, plus transport failures. */
  errors: number;
  /** Requests that got no answer at all (connection refused or reset). */
  transportFailures: number;
  seconds: number;
  clientCpuSeconds: number;
  serverCpuSeconds?: number;
  firstError?: string;
}

/** Several samples of one server on one workload, summarized. */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  /** The median of the samples' rates of successful requests: a burst of other load skews one sample, not the figure. */
  requestsPerSecond: number;
  /** Each sample's rate. */
  sampleRates: number[];
  p50Milliseconds: number;
  p99Milliseconds: number;
  /** CPU cores the client process used on average (1 = one core busy all the time). */
  clientCores: number;
  /** CPU cores the server process used on average, if it could be read. */
  serverCores?: number;
  /** Server CPU time per successful request, in microseconds: its cost, whatever share of the CPU it got. */
  serverCpuMicrosecondsPerRequest?: number;
  /** The first unexpected answer or transport failure, for the report. */
  firstError?: string;
}

const DEFAULT_MAX_ITERATIONS = 10_000_000;
/** Linux reports process times in USER_HZ ticks, which is 100 on every architecture Node supports. */
const TICKS_PER_SECOND = 100;

/** utime + stime of a process in seconds, or undefined off Linux. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Runs `step` from `concurrency` workers until `seconds` have passed; each worker finishes its current step. */
export async function runLoad(step: Step, options: LoadOptions): Promise<LoadSample> {
  const maxIterations = options.maxIterationsPerWorker ?? DEFAULT_MAX_ITERATIONS;
  const sample: LoadSample = { latencies: [], errors: 0, transportFailures: 0, seconds: 0, clientCpuSeconds: 0 };
  const record: Recorder = (milliseconds, failure) => {
    sample.latencies.push(milliseconds);
    if (failure === undefined) return;
    sample.errors++;
    sample.firstError ??= failure;
  };

  const serverCpuStart = options.serverPid === undefined ? undefined : processCpuSeconds(options.serverPid);
  const clientCpuStart = process.cpuUsage();
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  const worker = async (index: number) => {
    for (let iteration = 0; iteration < maxIterations && performance.now() < deadline; iteration++) {
      try {
        await step(index, iteration, record);
      } catch (error) {
        sample.transportFailures++;
        sample.errors++;
        sample.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => worker(i)));
  sample.seconds = (performance.now() - start) / 1000;
  const clientCpu = process.cpuUsage(clientCpuStart);
  sample.clientCpuSeconds = (clientCpu.user + clientCpu.system) / 1e6;
  const serverCpuEnd = options.serverPid === undefined ? undefined : processCpuSeconds(options.serverPid);
  if (serverCpuStart !== undefined && serverCpuEnd !== undefined) sample.serverCpuSeconds = serverCpuEnd - serverCpuStart;
  return sample;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function successes(sample: LoadSample): number {
  return sample.latencies.length + sample.transportFailures - sample.errors;
}

/** Pools the samples' latencies and CPU times; the rate is the median of the samples' rates. */
export function summarize(samples: readonly LoadSample[]): LoadResult {
  const sorted = Float64Array.from(samples.flatMap((s) => s.latencies)).sort();
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const succeeded = samples.reduce((sum, s) => sum + successes(s), 0);
  const sampleRates = samples.map((s) => successes(s) / s.seconds);
  const result: LoadResult = {
    requests: samples.reduce((sum, s) => sum + s.latencies.length + s.transportFailures, 0),
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    seconds,
    requestsPerSecond: median(sampleRates),
    sampleRates,
    p50Milliseconds: percentile(sorted, 0.5),
    p99Milliseconds: percentile(sorted, 0.99),
    clientCores: samples.reduce((sum, s) => sum + s.clientCpuSeconds, 0) / seconds,
  };
  if (samples.every((s) => s.serverCpuSeconds !== undefined)) {
    const serverCpuSeconds = samples.reduce((sum, s) => sum + s.serverCpuSeconds!, 0);
    result.serverCores = serverCpuSeconds / seconds;
    if (succeeded > 0) result.serverCpuMicrosecondsPerRequest = (serverCpuSeconds / succeeded) * 1e6;
  }
  const firstError = samples.find((s) => s.firstError !== undefined)?.firstError;
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}
