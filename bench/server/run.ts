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
import { loadavg } from 'node:os';
import { measureAlternating, parseBenchOptions, progress, withBenchServers, type BenchTarget } from './harness.js';
import { QueryClient } from './query-client.js';
import { printBenchReport, type WorkloadComparison } from './report.js';
import { BENCH_ROOT_CREDENTIALS } from './rolecall-process.js';
import { createFixtureRoles, SERVER_WORKLOADS } from './workloads.js';

interface Target extends BenchTarget {
  client: QueryClient;
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), 'dist/bench/server/run.js', SERVER_WORKLOADS.map((w) => w.id));
  const loadAverage = loadavg()[0]!;
  await withBenchServers(options, async ({ rolecall, moto }) => {
    const targets: Target[] = [
      { name: 'rolecall', client: new QueryClient(rolecall.url, BENCH_ROOT_CREDENTIALS, { maxSockets: options.concurrency }), pid: rolecall.pid },
      { name: 'moto', client: new QueryClient(moto.url, BENCH_ROOT_CREDENTIALS, { maxSockets: options.concurrency }), pid: moto.pid },
    ];
    try {
      progress('creating the fixture roles');
      for (const target of targets) await createFixtureRoles(target.client);

      const workloads: WorkloadComparison[] = [];
      for (const workload of SERVER_WORKLOADS.filter((w) => options.workloadIds.includes(w.id))) {
        workloads.push(await measureAlternating(workload, targets, (target, phase) => workload.step(target.client, phase), options));
      }
      printBenchReport({ options, motoVersion: moto.version, loadAverage }, workloads);
    } finally {
      for (const target of targets) target.client.close();
    }
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
