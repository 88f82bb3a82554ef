/**
 * Seed 000's platform on a real Rolecall server, for the workload-identity end-to-end tests: a
 * Rolecall-issued cluster `aos-dev`, its issuer registered as an IAM OIDC provider, and the seven
 * service-account roles of the seed's inventory applied from the shipped blueprint
 * (examples/aoscloud-blueprint.yaml, project aos, env dev) with IRSA or Pod Identity trust. The
 * blueprint's rendered ServiceAccounts are the manifests `rolecall run --manifests` reads.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { awsCliV2, E2eServer, REPO_ROOT, type CommandResult } from '../e2e/harness.js';

const exec = promisify(execFile);
export const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
export const CLUSTER = 'aos-dev';
export const BLUEPRINT_SETTINGS = (trust: 'irsa' | 'podIdentity', providerHost: string) => [
  '--set', 'project=aos', '--set', `env=${NAMESPACE}`, '--set', `cluster=${CLUSTER}`, '--set', `workloadTrust=${trust}`, '--set', `oidcIssuer=${providerHost}`,
];
export const NAMESPACE = 'dev';
export const BLUEPRINT = join(REPO_ROOT, 'examples', 'aoscloud-blueprint.yaml');

/** Seed 000's service accounts (Kubernetes spells sa_app as sa-app) and the roles the blueprint names for them. */
export const SERVICE_ACCOUNTS: Record<string, string> = {
  'sa-app': 'aos-dev-app',
  'sa-task': 'aos-dev-task',
  'sa-sd': 'aos-dev-sd',
  'sa-secrets-manager': 'aos-dev-secrets-manager',
  'sa-base': 'aos-dev-base',
  'sa-data-services': 'aos-dev-data-services',
  'sa-uqm': 'aos-dev-qm',
};

/** A command's outcome whatever its exit status. */
export async function runCommand(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await exec(file, args, { env, cwd, maxBuffer: 16 * 1024 * 1024 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

/** The built `rolecall` with the AWS CLI's environment for `server` (AWS_ENDPOINT_URL, the root key, region). */
export function rolecall(server: E2eServer, args: string[], env: NodeJS.ProcessEnv = server.cliEnv()): Promise<CommandResult> {
  return runCommand(process.execPath, [CLI, ...args], env, server.workDir);
}

/** `rolecall run` of a service account of aos-dev (or `cluster`), run as the server's root unless `env` says otherwise. */
export function runAsPod(server: E2eServer, serviceAccount: string, command: string[], options: { cluster?: string; namespace?: string; manifests?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  const manifests = options.manifests === undefined ? [] : ['--manifests', options.manifests];
  return rolecall(server, ['run', '--cluster', options.cluster ?? CLUSTER, '--namespace', options.namespace ?? NAMESPACE, '--service-account', serviceAccount, ...manifests, '--', ...command], options.env);
}

/** The cluster's issuer host and path (the OIDC provider's name and the trust conditions' prefix). */
export interface AoscloudCluster {
  issuer: string;
  providerHost: string;
  /** The blueprint's rendered objects (IAMRoles, ServiceAccounts or PodIdentityAssociations), as YAML. */
  manifestsPath: string;
  /** What `rolecall apply` of the blueprint printed. */
  applied: CommandResult;
}

/** Creates the cluster, registers its OIDC provider and applies the blueprint's roles with the given trust. */
export async function setUpAoscloud(server: E2eServer, trust: 'irsa' | 'podIdentity'): Promise<AoscloudCluster> {
  const created = await rolecall(server, ['cluster', 'create', CLUSTER]);
  assert.equal(created.status, 0, created.stderr);
  const described = JSON.parse((await rolecall(server, ['cluster', 'describe', CLUSTER])).stdout) as { cluster: { identity: { oidc: { issuer: string } } } };
  const issuer = described.cluster.identity.oidc.issuer;
  const providerHost = issuer.replace(/^https:\/\//, '');
  const provider = await runCommand(await awsCliV2(), ['iam', 'create-open-id-connect-provider', '--url', issuer, '--client-id-list', 'sts.amazonaws.com'], server.cliEnv(), server.workDir);
  assert.equal(provider.status, 0, provider.stderr);
  const settings = BLUEPRINT_SETTINGS(trust, providerHost);
  const rendered = await rolecall(server, ['blueprint', 'render', '-f', BLUEPRINT, ...settings]);
  assert.equal(rendered.status, 0, rendered.stderr);
  const manifestsPath = await server.writeFile(`aoscloud-${trust}.yaml`, rendered.stdout);
  // With Pod Identity trust, apply also creates the rendered associations (after the roles they name).
  const applied = await rolecall(server, ['apply', '-f', BLUEPRINT, ...settings]);
  assert.equal(applied.status, 0, applied.stderr);
  return { issuer, providerHost, manifestsPath, applied };
}

/** The JS SDK v3 default chain's caller identity (the SDK loaded from the repository's node_modules). */
export const JS_SDK_CALLER_IDENTITY = [
  process.execPath,
  '-e',
  `const { STSClient, GetCallerIdentityCommand } = require(${JSON.stringify(join(REPO_ROOT, 'node_modules', '@aws-sdk', 'client-sts'))});
   new STSClient({}).send(new GetCallerIdentityCommand({})).then((who) => console.log(who.Arn), (error) => { console.error(error.name + ': ' + error.message); process.exit(1); });`,
];

/** boto3's default chain's caller identity. */
export const BOTO3_CALLER_IDENTITY = ['python3', '-c', "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"];
