/**
 * The Kubernetes bench: credentials per second through the Pod Identity agent with cache misses (each one
 * a real AssumeRoleForPodIdentity on Rolecall) and with cache hits, and admission reviews per second
 * through the webhook, printed beside AssumeRole through Rolecall and through moto's `moto_server`
 * measured in the same run, for scale. moto has no EKS Pod Identity or admission webhook, so the ratios
 * compare each workload with moto's AssumeRole.
 *
 *   node dist/bench/k8s/run.js [--seconds S (default 5)] [--concurrency N (default 16)] [--misses N (default 2000)]
 *
 * The agent and the webhook run inside this process (as `rolecall agent` and `rolecall webhook` would,
 * with the agent's 1000/s rate limit lifted), so they share the machine's cores with the load generator;
 * Rolecall and moto run as separate processes (bench/server/harness.ts).
 */
import { request } from 'node:http';
import { Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { CreatePodIdentityAssociationCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startPodIdentityAgent } from '../../src/k8s/pod-identity-agent.js';
import { resolveRolecallEndpoint } from '../../src/k8s/rolecall-endpoint.js';
import { mintServiceAccountToken } from '../../src/k8s/service-account-tokens.js';
import { ManifestServiceAccounts } from '../../src/k8s/service-accounts.js';
import { appPod, podCreateReview } from '../../test/k8s/admission-reviews.js';
import { startLocalWebhook } from '../../test/k8s/local-webhook.js';
import { progress, withBenchServers } from '../server/harness.js';
import { runLoad, summarize, type LoadResult, type Step } from '../server/load.js';
import { QueryClient } from '../server/query-client.js';
import { BENCH_ROOT_CREDENTIALS, ROLECALL_MAIN } from '../server/rolecall-process.js';
import { ACCOUNT_ID, createStsFixture, EXTERNAL_ID, STS_VERSION } from '../sts/fixtures.js';

interface Options {
  seconds: number;
  concurrency: number;
  misses: number;
}

function parseOptions(args: string[]): Options {
  const options: Options = { seconds: 5, concurrency: 16, misses: 2000 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!.replace(/^--/, '') as keyof Options;
    const value = Number(args[i + 1]);
    if (!(name in options) || !Number.isFinite(value) || value <= 0) throw new Error(`usage: node dist/bench/k8s/run.js [--seconds S] [--concurrency N] [--misses N]`);
    options[name] = value;
  }
  return options;
}

/** A plain HTTP request on a kept-alive socket; resolves with the status. */
function send(agent: Agent, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: url.hostname, port: url.port, path: url.pathname, method, headers, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** A step that times one call and records anything but HTTP 200 as a failure. */
function timed(call: (worker: number, iteration: number) => Promise<number>): Step {
  return async (worker, iteration, record) => {
    const started = performance.now();
    const status = await call(worker, iteration);
    record(performance.now() - started, status === 200 ? undefined : `HTTP ${status}`);
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const rows: Array<{ workload: string; result: LoadResult }> = [];
  const load = (step: Step, serverPid?: number, maxIterationsPerWorker?: number) =>
    runLoad(step, { concurrency: options.concurrency, seconds: options.seconds, ...(serverPid ? { serverPid } : {}), ...(maxIterationsPerWorker ? { maxIterationsPerWorker } : {}) }).then((sample) => summarize([sample]));

  await withBenchServers({}, async ({ rolecall, moto }) => {
    // AssumeRole on both servers, the STS bench's fixture (a user assuming a role with an external id).
    const issuer = { providerUrl: 'https://oidc.eks.us-east-1.amazonaws.com/id/BENCHD539D4633E53DE1B71EXAMPLE', hostPath: 'oidc.eks.us-east-1.amazonaws.com/id/BENCHD539D4633E53DE1B71EXAMPLE' };
    for (const [name, server] of [['moto', moto], ['rolecall', rolecall]] as const) {
      progress(`AssumeRole on ${name}`);
      const fixture = await createStsFixture(new QueryClient(server.url, BENCH_ROOT_CREDENTIALS), issuer);
      const caller = new QueryClient(server.url, fixture.callerCredentials, { maxSockets: options.concurrency, service: 'sts', version: STS_VERSION });
      await caller.call('AssumeRole', { RoleArn: fixture.assumedRoleArn, RoleSessionName: 'warm-up', ExternalId: EXTERNAL_ID });
      const result = await load(
        timed(async (worker, iteration) => (await caller.call('AssumeRole', { RoleArn: fixture.assumedRoleArn, RoleSessionName: `bench-${worker}-${iteration}`, ExternalId: EXTERNAL_ID })).status),
        server.pid,
      );
      rows.push({ workload: `AssumeRole through ${name}`, result });
    }

    progress('Pod Identity set-up on Rolecall: a cluster, a role, an association, pod tokens');
    const credentials = BENCH_ROOT_CREDENTIALS;
    const sdk = { endpoint: rolecall.url, region: 'us-east-1', credentials };
    const cluster = spawnSync(process.execPath, [ROLECALL_MAIN, 'cluster', 'create', 'bench'], {
      env: { PATH: process.env.PATH, HOME: tmpdir(), AWS_ENDPOINT_URL: rolecall.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    });
    if (cluster.status !== 0) throw new Error(`rolecall cluster create: ${cluster.stderr.toString()}`);
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
    await new IAMClient(sdk).send(new CreateRoleCommand({ RoleName: 'bench-pod-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await new EKSClient(sdk).send(new CreatePodIdentityAssociationCommand({ clusterName: 'bench', namespace: 'bench', serviceAccount: 'worker', roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/bench-pod-role` }));
    const eks = await resolveRolecallEndpoint('eks', { endpointUrl: rolecall.url, region: 'us-east-1', credentials });
    const eksAuth = await resolveRolecallEndpoint('eks-auth', { endpointUrl: rolecall.url, region: 'us-east-1', credentials });
    const tokens: string[] = [];
    for (let i = 0; i < options.misses; i++) {
      const minted = await mintServiceAccountToken(eks, { clusterName: 'bench', namespace: 'bench', serviceAccount: 'worker', audience: 'pods.eks.amazonaws.com', expirationSeconds: 86400, podName: `worker-${i}`, podUid: crypto.randomUUID(), nodeName: 'bench-node' });
      tokens.push(minted.token);
    }
    const agent = await startPodIdentityAgent({ clusterName: 'bench', eksAuth, bindHosts: ['127.0.0.1'], port: 0, rateLimit: { perSecond: Infinity, burst: Infinity } });
    const agentUrl = new URL(agent.urls[0]!);
    const sockets = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    try {
      progress(`agent, cache misses (${options.misses} distinct pod tokens)`);
      let next = 0;
      const misses = await load(
        timed(() => send(sockets, agentUrl, 'GET', { Host: '169.254.170.23', Authorization: tokens[next++ % tokens.length]! })),
        rolecall.pid,
        Math.ceil(options.misses / options.concurrency),
      );
      rows.push({ workload: 'agent credentials, cache misses (AssumeRoleForPodIdentity each)', result: misses });
      progress('agent, cache hits');
      const hits = await load(timed(() => send(sockets, agentUrl, 'GET', { Host: '169.254.170.23', Authorization: tokens[0]! })));
      rows.push({ workload: 'agent credentials, cache hits', result: hits });
    } finally {
      await agent.close();
    }

    progress('webhook admission reviews');
    const serviceAccounts = ManifestServiceAccounts.parse(
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: default\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::${ACCOUNT_ID}:role/app\n`,
      'bench',
    );
    const webhook = await startLocalWebhook(serviceAccounts);
    try {
      const review = JSON.stringify(podCreateReview(appPod()));
      const mutateUrl = new URL('/mutate', webhook.url);
      rows.push({ workload: 'webhook admission reviews (IRSA mutation)', result: await load(timed(() => send(sockets, mutateUrl, 'POST', { 'Content-Type': 'application/json' }, review))) });
    } finally {
      await webhook.close();
      sockets.destroy();
    }
  });

  const motoRate = rows[0]!.result.requestsPerSecond;
  process.stdout.write(`\nKubernetes bench — concurrency ${options.concurrency}, ${options.seconds} s per workload, load average ${loadavg()[0]!.toFixed(1)} at start\n\n`);
  process.stdout.write(`${'workload'.padEnd(66)} ${'per second'.padStart(11)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)} ${'× moto AssumeRole'.padStart(18)}\n`);
  for (const { workload, result } of rows) {
    process.stdout.write(
      `${workload.padEnd(66)} ${result.requestsPerSecond.toFixed(0).padStart(11)} ${result.p50Milliseconds.toFixed(2).padStart(8)} ${result.p99Milliseconds.toFixed(2).padStart(8)} ${String(result.errors).padStart(7)} ${(result.requestsPerSecond / motoRate).toFixed(1).padStart(18)}\n`,
    );
    if (result.firstError) process.stdout.write(`  first error: ${result.firstError}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
