/**
 * The STS bench: sessions per second from AssumeRole and AssumeRoleWithWebIdentity, and GetCallerIdentity
 * requests per second signed with session credentials, on Rolecall's `serve` and moto's `moto_server`,
 * both on loopback, driven by the same client with the same concurrency. Prints throughput, p50/p99
 * latency and server CPU per request for each, and the ratios against the ≥10× target.
 *
 *   node dist/bench/sts/run.js [--json] [--seconds S] [--rounds N] [--warmup S (default 2)] [--concurrency N] [--profile DIR] [--workloads ID,...]
 *
 * Servers, rounds and flags are the server bench's (bench/server/harness.ts). A local OpenID Connect
 * issuer (the tests' TestOidcIssuer) is registered as a provider on both servers; Rolecall fetches its key
 * set once and verifies every token, moto accepts any token without verifying it.
 *
 * --profile runs Rolecall under `node --cpu-prof` and leaves the .cpuprofile in DIR (summarize it with
 * `node dist/bench/server/profile-summary.js FILE`).
 */
import { loadavg } from 'node:os';
import { TestOidcIssuer } from '../../test/sts/oidc-issuer.js';
import { measureAlternating, parseBenchOptions, progress, withBenchServers, type BenchTarget } from '../server/harness.js';
import { QueryClient, xmlText } from '../server/query-client.js';
import { printBenchReport, type WorkloadComparison } from '../server/report.js';
import { BENCH_ROOT_CREDENTIALS } from '../server/rolecall-process.js';
import { ASSUMED_ROLE, createStsFixture, EXTERNAL_ID, STS_VERSION, type StsFixture } from './fixtures.js';
import { mintTokenPool } from './tokens.js';
import { assumedRoleArn, sessionFailure, STS_WORKLOADS, type StsTarget } from './workloads.js';

/** Distinct tokens, used in turn; at the rates measured each is presented a few times per run. */
const TOKEN_POOL_SIZE = 4096;
/**
 * Warm-up seconds per server and workload. On a loaded machine session calls ran at a few hundred per
 * second, and one second left V8 still compiling Rolecall's hot paths during the first measured round
 * (its compiler threads then added ~300 µs of CPU per request); moto, without a JIT, is unaffected.
 */
const DEFAULT_WARMUP_SECONDS = 2;
const IDENTITY_SESSION = 'bench-identity';

/** Sets one server up and opens its clients: the fixture, then one AssumeRole session for GetCallerIdentity. */
async function prepareTarget(
  name: BenchTarget['name'],
  server: { url: string; pid: number },
  issuer: TestOidcIssuer,
  tokens: readonly string[],
  concurrency: number,
  clients: QueryClient[],
): Promise<StsTarget> {
  const open = (client: QueryClient) => (clients.push(client), client);
  const iam = open(new QueryClient(server.url, BENCH_ROOT_CREDENTIALS));
  const fixture: StsFixture = await createStsFixture(iam, issuer);
  const sts = { maxSockets: concurrency, service: 'sts', version: STS_VERSION };
  const caller = open(new QueryClient(server.url, fixture.callerCredentials, sts));
  const sessionArn = assumedRoleArn(ASSUMED_ROLE, IDENTITY_SESSION);
  const assumed = await caller.call('AssumeRole', { RoleArn: fixture.assumedRoleArn, RoleSessionName: IDENTITY_SESSION, ExternalId: EXTERNAL_ID, DurationSeconds: '3600' });
  const failure = sessionFailure('AssumeRole', assumed, sessionArn);
  if (failure) throw new Error(`setting up the STS bench on ${name}: ${failure}`);
  const session = open(
    new QueryClient(server.url, { accessKeyId: xmlText(assumed.body, 'AccessKeyId')!, secretAccessKey: xmlText(assumed.body, 'SecretAccessKey')!, sessionToken: xmlText(assumed.body, 'SessionToken')! }, sts),
  );
  return { name, pid: server.pid, fixture, caller, session, sessionArn, tokens };
}

/** How often Rolecall fetched the issuer's documents: once each means every token was checked against cached keys. */
function issuerNote(issuer: TestOidcIssuer): string {
  const { discovery, jwks } = issuer.requests;
  const cached = discovery === 1 && jwks === 1 ? ', so Rolecall verified every token against its cached key set' : '';
  return `The issuer served its discovery document ${discovery} time(s) and its key set ${jwks} time(s)${cached}.`;
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), 'dist/bench/sts/run.js', STS_WORKLOADS.map((w) => w.id), { warmup: DEFAULT_WARMUP_SECONDS });
  const loadAverage = loadavg()[0]!;
  const issuer = await TestOidcIssuer.start({ path: '/id/BENCHD539D4633E53DE1B71EXAMPLE' });
  const clients: QueryClient[] = [];
  try {
    progress(`minting ${TOKEN_POOL_SIZE} web-identity tokens`);
    const tokens = await mintTokenPool(issuer, TOKEN_POOL_SIZE);
    await withBenchServers(options, async ({ rolecall, moto }) => {
      try {
        progress('creating the user, roles and OIDC provider on both servers');
        const targets = [
          await prepareTarget('rolecall', rolecall, issuer, tokens, options.concurrency, clients),
          await prepareTarget('moto', moto, issuer, tokens, options.concurrency, clients),
        ];
        const workloads: WorkloadComparison[] = [];
        for (const workload of STS_WORKLOADS.filter((w) => options.workloadIds.includes(w.id))) {
          workloads.push(await measureAlternating(workload, targets, (target, phase) => workload.step(target, phase), options));
        }
        printBenchReport({ options, motoVersion: moto.version, loadAverage }, workloads, {
          title: 'STS bench',
          notes: [
            'AssumeRole is signed by an IAM user (ExternalId condition); AssumeRoleWithWebIdentity is unsigned, with a pool of',
            `${TOKEN_POOL_SIZE} pre-minted RS256 tokens (distinct subs) that Rolecall verifies and moto does not; GetCallerIdentity is signed`,
            'with one AssumeRole session\'s credentials. req/s is the median round\'s rate of checked answers (new session / right ARN).',
            ...(options.workloadIds.includes('assume-role-with-web-identity') ? [issuerNote(issuer)] : []),
          ],
        });
      } finally {
        for (const client of clients) client.close();
      }
    });
  } finally {
    await issuer.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
