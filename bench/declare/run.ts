/**
 * The apply bench: `rolecall apply` of N IAMRole manifests (default 1,000; each with a trust policy, one
 * managed policy, one inline policy and two tags) against Rolecall's own server on loopback — first the
 * creating apply, then the re-apply that must find nothing to change. Prints roles/s for both, the IAM
 * calls each made and how many of them wrote (the re-apply's must be 0).
 *
 *   node dist/bench/declare/run.js [--roles N] [--concurrency C] [--associations] [--json]
 *
 * With --associations each role also trusts EKS Pod Identity and gets a PodIdentityAssociation (one
 * service account each, in a cluster the bench creates), applied after the roles through the EKS API.
 *
 * No peer runs the same manifests (infra-operator, ACK and Crossplane need a cluster), so there is no ratio.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { BENCH_ROOT_CREDENTIALS, ROLECALL_MAIN, startRolecallProcess } from '../server/rolecall-process.js';

interface Options {
  roles: number;
  concurrency: number;
  associations: boolean;
  json: boolean;
}

const CLUSTER = 'bench';
const POD_IDENTITY_STATEMENT = { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] };

function parseOptions(args: string[]): Options {
  const options: Options = { roles: 1000, concurrency: 8, associations: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--associations') options.associations = true;
    else if (arg === '--roles' || arg === '--concurrency') {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${arg} needs a positive whole number`);
      if (arg === '--roles') options.roles = value;
      else options.concurrency = value;
    } else throw new Error(`usage: node dist/bench/declare/run.js [--roles N] [--concurrency C] [--associations] [--json]`);
  }
  return options;
}

/** The bench's manifests: a Secret and AWSProvider with the server's root keys, then N IAMRoles. */
function manifests(count: number, associations: boolean): string {
  const documents: unknown[] = [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bench-keys' }, stringData: { AWS_ACCESS_KEY_ID: BENCH_ROOT_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: BENCH_ROOT_CREDENTIALS.secretAccessKey } },
    { apiVersion: 'rolecall.dev/v1alpha1', kind: 'AWSProvider', metadata: { name: 'bench' }, spec: { region: 'us-east-1', credentialsSecret: { name: 'bench-keys' }, defaultTags: { 'managed-by': 'rolecall-bench' } } },
  ];
  for (let i = 0; i < count; i++) {
    documents.push({
      apiVersion: 'rolecall.dev/v1alpha1',
      kind: 'IAMRole',
      metadata: { name: `bench-${i}` },
      spec: {
        providerRef: { name: 'bench' },
        roleName: `bench-role-${i}`,
        path: '/bench/',
        assumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }, ...(associations ? [POD_IDENTITY_STATEMENT] : [])],
        }),
        managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        inlinePolicies: [{ policyName: 'data', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::bench-${i}/*` }] }) }],
        tags: { team: `team-${i % 10}`, service: `svc-${i}` },
      },
    });
    if (associations)
      documents.push({
        apiVersion: 'rolecall.dev/v1alpha1',
        kind: 'PodIdentityAssociation',
        metadata: { name: `bench-${i}` },
        spec: { providerRef: { name: 'bench' }, clusterName: CLUSTER, namespace: 'bench', serviceAccount: `sa-${i}`, roleName: `bench-role-${i}`, tags: { team: `team-${i % 10}` } },
      });
  }
  return documents.map((document) => stringify(document)).join('---\n');
}

interface Summary {
  created: number;
  configured: number;
  unchanged: number;
  failed: number;
  calls: number;
  writes: number;
}

interface Pass {
  name: string;
  seconds: number;
  rolesPerSecond: number;
  summary: Summary;
}

function runRolecall(url: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ROLECALL_MAIN, ...args], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: url,
        AWS_MAX_ATTEMPTS: '1',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: BENCH_ROOT_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: BENCH_ROOT_CREDENTIALS.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`rolecall ${args[0]} exited ${code}:\n${stderr}`));
      resolve(stdout);
    });
  });
}

async function runApply(url: string, file: string, concurrency: number): Promise<Summary> {
  return (JSON.parse(await runRolecall(url, ['apply', '-o', 'json', '-f', file, '--concurrency', String(concurrency)])) as { summary: Summary }).summary;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const work = await mkdtemp(join(tmpdir(), 'rolecall-bench-declare-'));
  const server = await startRolecallProcess({ dataDir: join(work, 'data') });
  try {
    const file = join(work, 'roles.yaml');
    await writeFile(file, manifests(options.roles, options.associations));
    if (options.associations) await runRolecall(server.url, ['cluster', 'create', CLUSTER]);
    const passes: Pass[] = [];
    for (const name of ['create', 're-apply']) {
      process.stderr.write(`bench: ${name} of ${options.roles} roles...\n`);
      const started = performance.now();
      const summary = await runApply(server.url, file, options.concurrency);
      const seconds = (performance.now() - started) / 1000;
      passes.push({ name, seconds, rolesPerSecond: options.roles / seconds, summary });
    }
    if (passes[1]!.summary.writes !== 0) throw new Error(`the re-apply wrote ${passes[1]!.summary.writes} times; it must write none`);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ roles: options.roles, concurrency: options.concurrency, loadAverage: loadavg()[0], passes }, null, 2)}\n`);
      return;
    }
    process.stdout.write(`rolecall apply, ${options.roles} IAMRoles${options.associations ? ` and ${options.roles} PodIdentityAssociations` : ''}, concurrency ${options.concurrency}, load average ${loadavg()[0]!.toFixed(1)}\n`);
    process.stdout.write('pass       seconds   roles/s   created  unchanged  failed   API calls   writes\n');
    for (const pass of passes) {
      const s = pass.summary;
      process.stdout.write(
        `${pass.name.padEnd(10)} ${pass.seconds.toFixed(1).padStart(7)}   ${pass.rolesPerSecond.toFixed(0).padStart(7)}   ${String(s.created).padStart(7)}  ${String(s.unchanged).padStart(9)}  ${String(s.failed).padStart(6)}   ${String(s.calls).padStart(9)}   ${String(s.writes).padStart(6)}\n`,
      );
    }
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
