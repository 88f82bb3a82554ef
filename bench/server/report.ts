/** The server bench's report: per workload and server, throughput, latency and CPU; then the ratios. */
import { availableParallelism } from 'node:os';
import type { LoadResult } from './load.js';

/** AWS-compatible servers are compared with moto on this target. */
export const TARGET = { throughputRatio: 10, description: "≥10× moto's throughput at lower p99" };

export interface WorkloadComparison {
  id: string;
  title: string;
  rolecall: LoadResult;
  moto: LoadResult;
  /** Rolecall's requests/s over moto's. */
  throughputRatio: number;
  /** moto's p99 latency over Rolecall's: above 1 means Rolecall's p99 is lower. */
  p99Ratio: number;
  /** moto's server CPU time per request over Rolecall's: how much cheaper a request is, whatever CPU share each got. */
  cpuPerRequestRatio?: number;
  /** The target holds on this workload: ≥10× the throughput, lower p99, and no errors on either side. */
  targetMet: boolean;
}

export interface ServerBenchReport {
  /** The bench's name in the report's first line (default "Server bench"). */
  title?: string;
  /** What the client sends and what is counted, one line each (default: the server bench's signed Query requests). */
  notes?: string[];
  node: string;
  motoVersion: string;
  cpus: number;
  /** The 1-minute load average when the run started: other work on the machine skews the figures. */
  loadAverage: number;
  concurrency: number;
  secondsPerMeasurement: number;
  rounds: number;
  warmupSeconds: number;
  rolecallStore: string;
  workloads: WorkloadComparison[];
  targetMet: boolean;
}

/** Compares the two measurements of one workload. */
export function compare(id: string, title: string, rolecall: LoadResult, moto: LoadResult): WorkloadComparison {
  const throughputRatio = rolecall.requestsPerSecond / moto.requestsPerSecond;
  const p99Ratio = moto.p99Milliseconds / rolecall.p99Milliseconds;
  const clean = rolecall.errors === 0 && moto.errors === 0;
  const comparison: WorkloadComparison = { id, title, rolecall, moto, throughputRatio, p99Ratio, targetMet: clean && throughputRatio >= TARGET.throughputRatio && p99Ratio > 1 };
  if (rolecall.serverCpuMicrosecondsPerRequest && moto.serverCpuMicrosecondsPerRequest) {
    comparison.cpuPerRequestRatio = moto.serverCpuMicrosecondsPerRequest / rolecall.serverCpuMicrosecondsPerRequest;
  }
  return comparison;
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

/** The report as a table for people. */
export function formatText(report: ServerBenchReport): string {
  const widths = [26, 8, 9, 8, 8, 7, 10, 10, 12];
  const lines = [
    `${report.title ?? 'Server bench'}: Rolecall (${report.rolecallStore}) vs moto ${report.motoVersion}, node ${report.node}, ${report.cpus} CPUs, load average ${report.loadAverage.toFixed(2)} at start`,
    `${report.concurrency} requests in flight; per server and workload ${report.warmupSeconds} s of warm-up, then ${report.secondsPerMeasurement} s in ${report.rounds} rounds alternating with the other server`,
    ...(report.notes ?? ['Every request is SigV4-signed by the same client; req/s is the median round\'s rate of 200 answers.']),
    '',
    row(['workload', 'server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'client CPU', 'server CPU', 'CPU µs/req'], widths),
  ];
  for (const w of report.workloads) {
    for (const [name, r] of [['rolecall', w.rolecall], ['moto', w.moto]] as const) {
      lines.push(
        row(
          [name === 'rolecall' ? w.title : '', name, fixed(r.requestsPerSecond, 0), fixed(r.p50Milliseconds, 2), fixed(r.p99Milliseconds, 2), String(r.errors), `${fixed(r.clientCores * 100, 0)}%`, r.serverCores === undefined ? '-' : `${fixed(r.serverCores * 100, 0)}%`, fixed(r.serverCpuMicrosecondsPerRequest, 0)],
          widths,
        ),
      );
      if (r.firstError) lines.push(`    first error (${name}): ${r.firstError}`);
    }
  }
  lines.push('', 'Ratios (Rolecall / moto throughput; moto p99 / Rolecall p99; moto / Rolecall server CPU per request):');
  for (const w of report.workloads) {
    lines.push(
      `  ${w.title.padEnd(widths[0]!)} throughput ${fixed(w.throughputRatio, 1)}×   p99 ${fixed(w.p99Ratio, 1)}× lower   CPU/request ${fixed(w.cpuPerRequestRatio, 1)}× cheaper   ${w.targetMet ? 'met' : 'NOT met'}`,
    );
  }
  const busiestClient = Math.max(...report.workloads.flatMap((w) => [w.rolecall.clientCores, w.moto.clientCores]));
  lines.push('', `Target "${TARGET.description}": ${report.targetMet ? 'met' : 'NOT met'} (${report.workloads.filter((w) => w.targetMet).length}/${report.workloads.length} workloads)`);
  lines.push(`Client CPU peaked at ${fixed(busiestClient * 100, 0)}% of one core${busiestClient > 0.85 ? ': the client may be the bottleneck, treat the figures as a lower bound' : ', so the client was not the bottleneck'}.`);
  return lines.join('\n');
}

/** The run's facts every bench report carries, from its options and the moment it started. */
export interface RunFacts {
  options: { concurrency: number; seconds: number; rounds: number; warmup: number; json: boolean };
  motoVersion: string;
  loadAverage: number;
}

/** Assembles the report of a finished run and prints it (JSON with --json, else the text table). */
export function printBenchReport(
  run: RunFacts,
  workloads: WorkloadComparison[],
  heading: Pick<ServerBenchReport, 'title' | 'notes'> = {},
): void {
  const report: ServerBenchReport = {
    ...heading,
    node: process.version,
    motoVersion: run.motoVersion,
    cpus: availableParallelism(),
    loadAverage: run.loadAverage,
    concurrency: run.options.concurrency,
    secondsPerMeasurement: run.options.seconds,
    rounds: run.options.rounds,
    warmupSeconds: run.options.warmup,
    rolecallStore: 'SQLite, synchronous=FULL',
    workloads,
    targetMet: workloads.every((w) => w.targetMet),
  };
  process.stdout.write(run.options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatText(report)}\n`);
}
