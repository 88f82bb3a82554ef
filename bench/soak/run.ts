/**
 * `node dist/bench/soak/run.js`: a long run at a steady request rate with a mixed workload — reads
 * (GetRole, ListRoles), writes (CreateRole), AssumeRole and AssumeRoleWithWebIdentity — printing, per
 * interval, the requests answered, errors (must stay zero), p99 latency and each server's RSS (must stay
 * flat). On SQLite one server; on PostgreSQL two replicas behind a round-robin client, one of them
 * killed (-9) and restarted mid-run. At the end every acknowledged CreateRole is read back: nothing
 * acknowledged may be lost. Exits 1 on any error or loss.
 *
 *   node dist/bench/soak/run.js [--seconds S (default 600)] [--rate R (requests/s, default 60)]
 *                               [--store sqlite|postgres|both (default both)] [--interval S]
 *
 * PostgreSQL comes from ROLECALL_TEST_DATABASE_URL (a server URL without a database), else an embedded
 * one is started for the run.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryClient, xmlText, type QueryResponse } from '../server/query-client.js';
import { BENCH_ROOT_CREDENTIALS, startRolecallProcess, type RolecallProcess, type RolecallProcessOptions } from '../server/rolecall-process.js';
import { ACCOUNT_ID, ASSUMED_ROLE, EXTERNAL_ID, STS_VERSION, WEB_IDENTITY_ROLE, createStsFixture, type StsFixture } from '../sts/fixtures.js';
import { mintTokenPool } from '../sts/tokens.js';
import { assumedRoleArn, sessionFailure } from '../sts/workloads.js';
import { TestOidcIssuer } from '../../test/sts/oidc-issuer.js';
import { createTestDatabase } from '../../test/store/pg-test-database.js';

interface Options {
  seconds: number;
  rate: number;
  stores: Array<'sqlite' | 'postgres'>;
  interval: number | undefined;
}

const USAGE = 'usage: node dist/bench/soak/run.js [--seconds S] [--rate R] [--store sqlite|postgres|both] [--interval S]';

function parseOptions(args: readonly string[]): Options {
  const options: Options = { seconds: 600, rate: 60, stores: ['sqlite', 'postgres'], interval: undefined };
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    const number = Number(value);
    switch (args[i]) {
      case '--seconds':
      case '--rate':
      case '--interval':
        if (!Number.isFinite(number) || number <= 0) throw new Error(`${args[i]} needs a positive number\n${USAGE}`);
        options[args[i]!.slice(2) as 'seconds' | 'rate' | 'interval'] = number;
        i++;
        break;
      case '--store':
        if (value !== 'sqlite' && value !== 'postgres' && value !== 'both') throw new Error(USAGE);
        options.stores = value === 'both' ? ['sqlite', 'postgres'] : [value];
        i++;
        break;
      default:
        throw new Error(`unknown argument '${args[i]}'\n${USAGE}`);
    }
  }
  return options;
}

/** One server of the run and the clients signed for it. */
interface Replica {
  name: string;
  process: RolecallProcess;
  root: QueryClient;
  caller: QueryClient;
  up: boolean;
}

/** What one interval saw. */
interface IntervalStats {
  latencies: number[];
  errors: number;
  firstError?: string;
}

/** The resident set of a process in MB (Linux), or NaN. */
function rssMegabytes(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Number(line?.split(/\s+/)[1]) / 1024;
  } catch {
    return NaN;
  }
}

function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function openReplica(name: string, options: RolecallProcessOptions, fixture: StsFixture | undefined): Promise<Replica> {
  const process = await startRolecallProcess(options);
  const root = new QueryClient(process.url, BENCH_ROOT_CREDENTIALS, { maxSockets: 32 });
  const caller = new QueryClient(process.url, fixture?.callerCredentials ?? BENCH_ROOT_CREDENTIALS, { maxSockets: 32, service: 'sts', version: STS_VERSION });
  return { name, process, root, caller, up: true };
}

/**
 * Sends to the replicas in turn; a replica that fails to answer is marked down and the request goes to
 * the next one, as a load balancer with health checks would. A CreateRole retried that way may find its
 * first attempt committed: EntityAlreadyExists then acknowledges it.
 */
class RoundRobin {
  private next = 0;
  constructor(readonly replicas: Replica[]) {}

  async send(request: (replica: Replica) => Promise<QueryResponse>, retriedCreate = false): Promise<{ response: QueryResponse; retried: boolean }> {
    for (let attempt = 0; attempt < this.replicas.length * 2; attempt++) {
      const replica = this.replicas[this.next++ % this.replicas.length]!;
      if (!replica.up) continue;
      try {
        return { response: await request(replica), retried: attempt > 0 || retriedCreate };
      } catch {
        replica.up = false;
      }
    }
    throw new Error('no replica answered');
  }
}

interface SoakResult {
  store: string;
  errors: number;
  acknowledgedWrites: number;
  lost: number;
  rssFirst: number[];
  rssLast: number[];
}

async function soak(store: 'sqlite' | 'postgres', options: Options, issuer: TestOidcIssuer, tokens: readonly string[]): Promise<SoakResult> {
  const interval = options.interval ?? Math.max(5, Math.round(options.seconds / 12));
  const cleanups: Array<() => Promise<void>> = [];
  const replicas: Replica[] = [];
  try {
    let processOptions: RolecallProcessOptions;
    if (store === 'sqlite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'rolecall-soak-'));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      processOptions = { dataDir };
    } else {
      const database = await createTestDatabase();
      cleanups.push(() => database.drop());
      processOptions = { databaseUrl: database.url, env: { ROLECALL_SERVER_KEYS: `k1:${randomBytes(32).toString('base64')}` } };
    }
    // The first server migrates and bootstraps; the fixture is made through it, then the clients open.
    const first = await openReplica('A', processOptions, undefined);
    const fixture = await createStsFixture(first.root, issuer);
    first.root.close();
    first.caller.close();
    replicas.push(await reopen(first, processOptions, fixture));
    if (store === 'postgres') replicas.push(await openReplica('B', processOptions, fixture));
    cleanups.push(async () => {
      for (const replica of replicas) {
        replica.root.close();
        replica.caller.close();
        await replica.process.stop();
      }
    });
    const balancer = new RoundRobin(replicas);
    const acknowledged: string[] = [];
    let stats: IntervalStats = { latencies: [], errors: 0 };
    let totalErrors = 0;
    let issued = 0;
    let inFlight = 0;
    // The baseline is taken at the first report, once the servers are warm (JIT, caches, pools).
    let rssFirst: number[] | undefined;

    const record = (started: number, failure?: string) => {
      stats.latencies.push(performance.now() - started);
      if (failure) {
        stats.errors++;
        totalErrors++;
        stats.firstError ??= failure;
      }
    };
    const check = (action: string, response: QueryResponse) => (response.status === 200 ? undefined : `${action}: HTTP ${response.status} ${response.body.slice(0, 200)}`);

    /** One request of the mix: 40% reads, 20% writes, 20% AssumeRole, 20% web identity. */
    const oneRequest = async (n: number) => {
      const started = performance.now();
      const kind = n % 10;
      try {
        if (kind < 2) {
          const { response } = await balancer.send((r) => r.root.call('GetRole', { RoleName: ASSUMED_ROLE }));
          record(started, check('GetRole', response));
        } else if (kind < 4) {
          const { response } = await balancer.send((r) => r.root.call('ListRoles', { MaxItems: '20' }));
          record(started, check('ListRoles', response));
        } else if (kind < 6) {
          const RoleName = `soak-${store}-${n}`;
          const { response, retried } = await balancer.send((r) => r.root.call('CreateRole', { RoleName, AssumeRolePolicyDocument: TRUST }));
          const alreadyThere = retried && response.status === 409 && xmlText(response.body, 'Code') === 'EntityAlreadyExists';
          const failure = alreadyThere ? undefined : check('CreateRole', response);
          if (!failure) acknowledged.push(RoleName);
          record(started, failure);
        } else if (kind < 8) {
          const RoleSessionName = `soak-${n}`;
          const { response } = await balancer.send((r) => r.caller.call('AssumeRole', { RoleArn: fixture.assumedRoleArn, RoleSessionName, ExternalId: EXTERNAL_ID }));
          record(started, sessionFailure('AssumeRole', response, assumedRoleArn(ASSUMED_ROLE, RoleSessionName)));
        } else {
          const RoleSessionName = `soak-${n}`;
          const parameters = { RoleArn: fixture.webIdentityRoleArn, RoleSessionName, WebIdentityToken: tokens[n % tokens.length]! };
          const { response } = await balancer.send((r) => r.caller.send(r.caller.unsigned('AssumeRoleWithWebIdentity', parameters)));
          record(started, sessionFailure('AssumeRoleWithWebIdentity', response, assumedRoleArn(WEB_IDENTITY_ROLE, RoleSessionName)));
        }
      } catch (error) {
        record(started, error instanceof Error ? error.message : String(error));
      }
    };

    process.stdout.write(`\n== ${store}: ${replicas.length} server(s), ${options.rate} requests/s for ${options.seconds} s\n`);
    process.stdout.write(`${'t (s)'.padStart(6)} ${'answered'.padStart(9)} ${'errors'.padStart(7)} ${'p99 ms'.padStart(8)}  RSS MB by server\n`);
    const start = performance.now();
    const killAt = store === 'postgres' ? options.seconds * 0.4 : Infinity;
    const restartAt = options.seconds * 0.6;
    let killed = false;
    let restarting: Promise<void> | undefined;
    let nextReport = interval;
    const pending = new Set<Promise<void>>();
    // Open loop: requests leave at the target rate whatever the answers' latency (capped in flight).
    while ((performance.now() - start) / 1000 < options.seconds) {
      const elapsed = (performance.now() - start) / 1000;
      if (!killed && elapsed >= killAt) {
        killed = true;
        await replicas[1]!.process.kill();
        replicas[1]!.up = false;
        process.stdout.write(`${elapsed.toFixed(0).padStart(6)}  replica B killed (-9)\n`);
      }
      if (killed && !restarting && elapsed >= restartAt) {
        const old = replicas[1]!;
        restarting = reopen(old, processOptions, fixture).then((fresh) => {
          replicas[1] = fresh;
          balancer.replicas[1] = fresh;
          process.stdout.write(`${((performance.now() - start) / 1000).toFixed(0).padStart(6)}  replica B restarted\n`);
        });
      }
      const due = Math.floor(elapsed * options.rate) - issued;
      for (let i = 0; i < due && inFlight < 256; i++) {
        const n = issued++;
        inFlight++;
        const request = oneRequest(n).finally(() => {
          inFlight--;
          pending.delete(request);
        });
        pending.add(request);
      }
      if (elapsed >= nextReport) {
        rssFirst ??= replicas.map((r) => rssMegabytes(r.process.pid));
        const rss = replicas.map((r) => (r.up ? rssMegabytes(r.process.pid).toFixed(0) : 'down').padStart(5)).join(' ');
        process.stdout.write(`${nextReport.toFixed(0).padStart(6)} ${String(stats.latencies.length).padStart(9)} ${String(stats.errors).padStart(7)} ${percentile(stats.latencies, 0.99).toFixed(1).padStart(8)}  ${rss}${stats.firstError ? `  first error: ${stats.firstError}` : ''}\n`);
        stats = { latencies: [], errors: 0 };
        nextReport += interval;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(pending);
    await restarting;
    const rssLast = replicas.map((r) => rssMegabytes(r.process.pid));
    rssFirst ??= rssLast;

    // Nothing acknowledged lost: every acknowledged role is there, read through each replica in turn.
    let lost = 0;
    for (const RoleName of acknowledged) {
      const { response } = await balancer.send((r) => r.root.call('GetRole', { RoleName }));
      if (response.status !== 200) lost++;
    }
    process.stdout.write(`${store}: ${issued} requests, ${totalErrors} errors; ${acknowledged.length} acknowledged CreateRole, ${lost} lost; RSS ${rssFirst.map((m) => m.toFixed(0)).join('/')} -> ${rssLast.map((m) => m.toFixed(0)).join('/')} MB\n`);
    return { store, errors: totalErrors, acknowledgedWrites: acknowledged.length, lost, rssFirst, rssLast };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** A replica restarted on the same store (same name and settings), with clients for the fixture. */
async function reopen(old: Replica, options: RolecallProcessOptions, fixture: StsFixture): Promise<Replica> {
  old.root.close();
  old.caller.close();
  if (old.process.child.exitCode === null && old.process.child.signalCode === null && old.up) {
    // Only the set-up server is reopened while alive: its clients change, the process stays.
    return { ...old, root: new QueryClient(old.process.url, BENCH_ROOT_CREDENTIALS, { maxSockets: 32 }), caller: new QueryClient(old.process.url, fixture.callerCredentials, { maxSockets: 32, service: 'sts', version: STS_VERSION }) };
  }
  return openReplica(old.name, options, fixture);
}

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] });

const options = parseOptions(process.argv.slice(2));
const issuer = await TestOidcIssuer.start({ path: '/id/SOAKD539D4633E53DE1B71EXAMPLE' });
let failed = false;
try {
  const tokens = await mintTokenPool(issuer, 200);
  for (const store of options.stores) {
    const result = await soak(store, options, issuer, tokens);
    const flat = result.rssLast.every((last, i) => last <= (result.rssFirst[i] ?? last) * 1.5 + 40);
    process.stdout.write(`${store}: errors ${result.errors === 0 ? 'zero (ok)' : `${result.errors} (FAIL)`}; lost ${result.lost === 0 ? 'none (ok)' : `${result.lost} (FAIL)`}; RSS ${flat ? 'flat (ok)' : 'grew (FAIL)'}\n`);
    failed ||= result.errors > 0 || result.lost > 0 || !flat;
  }
} finally {
  await issuer.close();
}
process.exitCode = failed ? 1 : 0;
