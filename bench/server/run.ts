/**
 * The server bench: Rolecall's `serve` and moto's `moto_server`, both on loopback, driven by the same
 * SigV4-signing client with the same concurrency on GetRole, ListRoles and CreateRole+DeleteRole. Prints
 * requests/s and p50/p99 latency per server and workload, and the ratios against the ≥10× target.
 *
 *   node dist/bench/server/run.js [--json] [--seconds S] [--rounds N] [--warmup S] [--concurrency N] [--profile DIR] [--workloads ID,...]
 *
 * Each server gets S seconds per workload, split into N rounds that alternate between the two servers, so a
 * burst of other work on the machine hits both; the rate reported is the median round's.
 *
 * --profile runs Rolecall under `node --cpu-prof` and leaves the .cpuprofile in DIR (summarize it with
 * `node dist/bench/server/profile-summary.js FILE`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runLoad, summarize, type LoadSample } from './load.js';
import { startMotoProcess, type MotoProcess } from './moto-process.js';
import { QueryClient } from './query-client.js';
import { compare, formatText, type ServerBenchReport, type WorkloadComparison } from './report.js';
import { BENCH_ROOT_CREDENTIALS, startRolecallProcess, type RolecallProcess } from './rolecall-process.js';
import { createFixtureRoles, SERVER_WORKLOADS, type ServerWorkload } from './workloads.js';

interface Options {
  json: boolean;
  seconds: number;
  rounds: number;
  warmup: number;
  concurrency: number;
  profileDir?: string;
  workloads: readonly ServerWorkload[];
}

const USAGE = `usage: node dist/bench/server/run.js [--json] [--seconds S] [--rounds N] [--warmup S] [--concurrency N] [--profile DIR] [--workloads ${SERVER_WORKLOADS.map((w) => w.id).join(',')}]`;

function positiveNumber(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number\n${USAGE}`);
  return value;
}

function parseOptions(args: readonly string[]): Options {
  const options: Options = { json: false, seconds: 6, rounds: 3, warmup: 1, concurrency: 16, workloads: SERVER_WORKLOADS };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--seconds') options.seconds = positiveNumber(arg, args[++i]);
    else if (arg === '--rounds') options.rounds = Math.floor(positiveNumber(arg, args[++i]));
    else if (arg === '--warmup') options.warmup = positiveNumber(arg, args[++i]);
    else if (arg === '--concurrency') options.concurrency = Math.floor(positiveNumber(arg, args[++i]));
    else if (arg === '--profile') {
      const dir = args[++i];
      if (!dir) throw new Error(`--profile needs a folder\n${USAGE}`);
      options.profileDir = resolve(dir);
    } else if (arg === '--workloads') {
      const ids = (args[++i] ?? '').split(',');
      options.workloads = SERVER_WORKLOADS.filter((w) => ids.includes(w.id));
      const unknown = ids.filter((id) => !SERVER_WORKLOADS.some((w) => w.id === id));
      if (unknown.length > 0) throw new Error(`unknown workload '${unknown.join(',')}'\n${USAGE}`);
    } else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
  }
  return options;
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

interface Target {
  name: 'rolecall' | 'moto';
  client: QueryClient;
  pid: number;
}

/** Warms both servers up, then measures them in alternating rounds. */
async function benchWorkload(workload: ServerWorkload, targets: readonly Target[], options: Options): Promise<WorkloadComparison> {
  for (const target of targets) {
    progress(`${workload.title}: warming up ${target.name}`);
    await runLoad(workload.step(target.client, 'w'), { concurrency: options.concurrency, seconds: options.warmup });
  }
  const samples = new Map<Target['name'], LoadSample[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const target of targets) {
      progress(`${workload.title}: ${target.name}, round ${round + 1} of ${options.rounds}`);
      const load = { concurrency: options.concurrency, seconds: options.seconds / options.rounds, serverPid: target.pid };
      samples.get(target.name)!.push(await runLoad(workload.step(target.client, `r${round}`), load));
    }
  }
  return compare(workload.id, workload.title, summarize(samples.get('rolecall')!), summarize(samples.get('moto')!));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadAverage = loadavg()[0]!;
  const dataDir = mkdtempSync(join(tmpdir(), 'rolecall-bench-'));
  let rolecall: RolecallProcess | undefined;
  let moto: MotoProcess | undefined;
  const clients: QueryClient[] = [];
  // Whatever ends this process, the two servers end with it.
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
    const targets: Target[] = [
      { name: 'rolecall', client: new QueryClient(rolecall.url, BENCH_ROOT_CREDENTIALS, { maxSockets: options.concurrency }), pid: rolecall.pid },
      { name: 'moto', client: new QueryClient(moto.url, BENCH_ROOT_CREDENTIALS, { maxSockets: options.concurrency }), pid: moto.pid },
    ];
    clients.push(...targets.map((t) => t.client));
    progress('creating the fixture roles');
    for (const target of targets) await createFixtureRoles(target.client);

    const workloads: WorkloadComparison[] = [];
    for (const workload of options.workloads) workloads.push(await benchWorkload(workload, targets, options));
    const report: ServerBenchReport = {
      node: process.version,
      motoVersion: moto.version,
      cpus: availableParallelism(),
      loadAverage,
      concurrency: options.concurrency,
      secondsPerMeasurement: options.seconds,
      rounds: options.rounds,
      warmupSeconds: options.warmup,
      rolecallStore: 'SQLite, synchronous=FULL',
      workloads,
      targetMet: workloads.every((w) => w.targetMet),
    };
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatText(report)}\n`);
  } finally {
    for (const client of clients) client.close();
    // A clean stop, so that --cpu-prof writes its profile; both fall back to SIGKILL.
    await Promise.all([rolecall?.stop(), moto?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
