/**
 * What every Rolecall-versus-moto bench shares (the server bench, the STS bench): the command-line flags,
 * starting both servers and ending them whatever ends the run, and measuring one workload in warm-up plus
 * rounds that alternate between the servers, so a burst of other work on the machine hits both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runLoad, summarize, type LoadSample, type Step } from './load.js';
import { startMotoProcess, type MotoProcess } from './moto-process.js';
import { compare, type WorkloadComparison } from './report.js';
import { startRolecallProcess, type RolecallProcess } from './rolecall-process.js';

export interface BenchOptions {
  json: boolean;
  /** Measured seconds per server and workload, split into `rounds`. */
  seconds: number;
  rounds: number;
  /** Warm-up seconds per server and workload. */
  warmup: number;
  concurrency: number;
  /** Runs Rolecall under `node --cpu-prof` with its profile written here. */
  profileDir?: string;
  /** The selected workloads' ids, in the order the bench lists them. */
  workloadIds: string[];
}

/** The usage line of a bench script with these flags. */
export function benchUsage(script: string, workloadIds: readonly string[]): string {
  return `usage: node ${script} [--json] [--seconds S] [--rounds N] [--warmup S] [--concurrency N] [--profile DIR] [--workloads ${workloadIds.join(',')}]`;
}

function positiveNumber(flag: string, text: string | undefined, usage: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number\n${usage}`);
  return value;
}

/**
 * Parses the shared flags. Defaults: 6 s in 3 rounds after 1 s of warm-up, 16 in flight, every workload;
 * a bench may change the numeric defaults (`defaults`).
 */
export function parseBenchOptions(
  args: readonly string[],
  script: string,
  workloadIds: readonly string[],
  defaults: Partial<Pick<BenchOptions, 'seconds' | 'rounds' | 'warmup' | 'concurrency'>> = {},
): BenchOptions {
  const usage = benchUsage(script, workloadIds);
  const options: BenchOptions = { json: false, seconds: 6, rounds: 3, warmup: 1, concurrency: 16, ...defaults, workloadIds: [...workloadIds] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--seconds') options.seconds = positiveNumber(arg, args[++i], usage);
    else if (arg === '--rounds') options.rounds = Math.floor(positiveNumber(arg, args[++i], usage));
    else if (arg === '--warmup') options.warmup = positiveNumber(arg, args[++i], usage);
    else if (arg === '--concurrency') options.concurrency = Math.floor(positiveNumber(arg, args[++i], usage));
    else if (arg === '--profile') {
      const dir = args[++i];
      if (!dir) throw new Error(`--profile needs a folder\n${usage}`);
      options.profileDir = resolve(dir);
    } else if (arg === '--workloads') {
      const ids = (args[++i] ?? '').split(',');
      const unknown = ids.filter((id) => !workloadIds.includes(id));
      if (unknown.length > 0) throw new Error(`unknown workload '${unknown.join(',')}'\n${usage}`);
      options.workloadIds = workloadIds.filter((id) => ids.includes(id));
    } else throw new Error(`unknown argument '${arg}'\n${usage}`);
  }
  return options;
}

/** A progress line on stderr, so stdout carries only the report. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** One server under test: its name in the report and the process whose CPU time is read. */
export interface BenchTarget {
  name: 'rolecall' | 'moto';
  pid: number;
}

/**
 * Warms each target up, then measures them in alternating rounds and compares the two. `step` builds the
 * load for one target and phase ('w' for the warm-up, `r0`, `r1`, ... for the rounds), so names a
 * workload creates stay unique across phases.
 */
export async function measureAlternating<T extends BenchTarget>(
  workload: { id: string; title: string },
  targets: readonly T[],
  step: (target: T, phase: string) => Step,
  options: BenchOptions,
): Promise<WorkloadComparison> {
  for (const target of targets) {
    progress(`${workload.title}: warming up ${target.name}`);
    await runLoad(step(target, 'w'), { concurrency: options.concurrency, seconds: options.warmup });
  }
  const samples = new Map<BenchTarget['name'], LoadSample[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const target of targets) {
      progress(`${workload.title}: ${target.name}, round ${round + 1} of ${options.rounds}`);
      const load = { concurrency: options.concurrency, seconds: options.seconds / options.rounds, serverPid: target.pid };
      samples.get(target.name)!.push(await runLoad(step(target, `r${round}`), load));
    }
  }
  return compare(workload.id, workload.title, summarize(samples.get('rolecall') ?? []), summarize(samples.get('moto') ?? []));
}

export interface BenchServers {
  rolecall: RolecallProcess;
  moto: MotoProcess;
}

/**
 * Starts Rolecall (fresh SQLite folder, fixed root key; under --cpu-prof with `profileDir`) and moto, runs
 * `body`, then stops both cleanly so a profile gets written. Whatever ends this process (an error, Ctrl-C,
 * SIGTERM) ends the two servers and removes the data folder too.
 */
export async function withBenchServers(options: { profileDir?: string }, body: (servers: BenchServers) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rolecall-bench-'));
  let rolecall: RolecallProcess | undefined;
  let moto: MotoProcess | undefined;
  const killServers = () => {
    if (rolecall && rolecall.child.exitCode === null && rolecall.child.signalCode === null) rolecall.child.kill('SIGKILL');
    if (moto) {
      try {
        process.kill(-moto.pid, 'SIGKILL');
      } catch {
        // Already stopped.
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killServers);
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));

  try {
    progress('starting Rolecall and moto_server');
    const started = await Promise.allSettled([
      startRolecallProcess({ dataDir, ...(options.profileDir ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', options.profileDir] } : {}) }).then((p) => (rolecall = p)),
      startMotoProcess().then((p) => (moto = p)),
    ]);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    if (!rolecall || !moto) throw new Error('unreachable: both servers started');
    await body({ rolecall, moto });
  } finally {
    // A clean stop, so that --cpu-prof writes its profile; both fall back to SIGKILL.
    await Promise.all([rolecall?.stop(), moto?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
    process.off('exit', killServers);
  }
}
