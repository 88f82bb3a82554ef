/**
 * What the declare end-to-end tests share: the identity `rolecall apply` acts as (the seed's
 * infra-operator-role, assumed through STS as the seed's production-aws provider says, and an IAM user
 * whose keys fill the seed's aws-credentials Secret), and reading a role back through the AWS CLI.
 */
import assert from 'node:assert/strict';
import { parse, stringify } from 'yaml';
import { cliJson, type CommandResult, type Credentials, type E2eServer } from '../e2e/harness.js';
import { SEED_001_IAM_POLICY } from '../e2e/seed-fixtures.js';
import type { IAMRoleSpec } from '../../src/declare/index.js';

/**
 * The seed's iam-policy.json actions plus the ones a full reconcile needs: trust and boundary updates,
 * the ownership scan (ListRoles) and deleting a role that is in instance profiles.
 */
export const APPLY_POLICY = JSON.stringify(withActions(JSON.parse(SEED_001_IAM_POLICY) as SeedPolicy, [
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:ListRoles',
  'iam:ListInstanceProfilesForRole',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:AddRoleToInstanceProfile',
]));

interface SeedPolicy {
  Version: string;
  Statement: [{ Effect: string; Action: string[]; Resource: string }];
}

function withActions(policy: SeedPolicy, actions: readonly string[]): SeedPolicy {
  const [statement] = policy.Statement;
  return { ...policy, Statement: [{ ...statement, Action: [...statement.Action, ...actions] }] };
}

/**
 * Creates what the seed's providers refer to: role infra-operator-role (production-aws's roleARN)
 * trusting the account, an IAM user for the localstack provider's Secret, both with APPLY_POLICY, and
 * the customer policy DeveloperBoundaryPolicy that developer-role uses as its boundary.
 * Returns the Secret manifest with that user's keys (the seed's Secret with real values), and the keys
 * of user `deployer`, the ambient identity `rolecall apply` runs as: it may only assume infra-operator-role
 * (AWS lets no root user assume a role).
 */
export async function prepareSeedAccount(server: E2eServer): Promise<{ secret: string; deployer: Credentials }> {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] });
  cliJson(await server.awsV1(['iam', 'create-role', '--role-name', 'infra-operator-role', '--assume-role-policy-document', trust]));
  cliJson(await server.awsV1(['iam', 'put-role-policy', '--role-name', 'infra-operator-role', '--policy-name', 'IAMManagement', '--policy-document', APPLY_POLICY]));
  cliJson(await server.awsV1(['iam', 'create-user', '--user-name', 'infra-operator']));
  cliJson(await server.awsV1(['iam', 'put-user-policy', '--user-name', 'infra-operator', '--policy-name', 'IAMManagement', '--policy-document', APPLY_POLICY]));
  const key = cliJson<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(await server.awsV1(['iam', 'create-access-key', '--user-name', 'infra-operator'])).AccessKey;
  // complete-example.yaml trusts other-role; IAM refuses a trust policy naming a role that does not exist
  // ("Invalid principal in policy"), so the account has it, as it must at AWS.
  cliJson(await server.awsV1(['iam', 'create-role', '--role-name', 'other-role', '--assume-role-policy-document', trust]));
  const boundary = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'logs:*'], Resource: '*' }] });
  cliJson(await server.awsV1(['iam', 'create-policy', '--policy-name', 'DeveloperBoundaryPolicy', '--policy-document', boundary]));
  cliJson(await server.awsV1(['iam', 'create-user', '--user-name', 'deployer']));
  const assume = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::123456789012:role/infra-operator-role' }] });
  cliJson(await server.awsV1(['iam', 'put-user-policy', '--user-name', 'deployer', '--policy-name', 'AssumeInfraOperator', '--policy-document', assume]));
  const deployer = cliJson<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(await server.awsV1(['iam', 'create-access-key', '--user-name', 'deployer'])).AccessKey;
  const secret = stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'aws-credentials', namespace: 'default' },
    type: 'Opaque',
    stringData: { 'access-key-id': key.AccessKeyId, 'secret-access-key': key.SecretAccessKey },
  });
  return { secret, deployer: { accessKeyId: deployer.AccessKeyId, secretAccessKey: deployer.SecretAccessKey } };
}

/** The seed's providers.yaml with its Secret's values replaced by `secret` (the providers unchanged). */
export function providersWithSecret(providersText: string, secret: string): string {
  return providersText
    .split(/^---$/m)
    .map((document) => (/kind: Secret/.test(document) ? `\n${secret}` : document))
    .join('---');
}

/** Parses `rolecall apply -o json`. */
export interface ApplyJson {
  items: Array<{
    metadata: { name: string };
    roleName: string;
    outcome: string;
    actions: string[];
    notes: string[];
    writes: number;
    error?: { code: string; message: string; operation?: string };
    status: { roleArn?: string; roleId?: string; ready: boolean; conditions: Array<{ type: string; status: string; reason: string; message: string }> };
  }>;
  pruned: Array<{ roleName: string; outcome: string }>;
  summary: { created: number; configured: number; unchanged: number; replaced: number; failed: number; pruned: number; calls: number; writes: number };
}

export function applyJson(result: CommandResult): ApplyJson {
  try {
    return JSON.parse(result.stdout) as ApplyJson;
  } catch {
    throw new Error(`rolecall apply -o json exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
}

/** A role as the AWS CLI v2 reads it back: get-role, list-attached-role-policies, list-role-policies, get-role-policy, list-role-tags. */
export interface RoleReadBack {
  path: string;
  description?: string;
  maxSessionDuration: number;
  trust: unknown;
  boundary?: string;
  managed: string[];
  inline: Record<string, unknown>;
  tags: Record<string, string>;
}

export async function readRoleWithCli(server: E2eServer, roleName: string): Promise<RoleReadBack> {
  // The CLI calls of one role run side by side: each is a Python process start.
  const [roleResult, attachedResult, namesResult, tagsResult] = await Promise.all([
    server.awsV2(['iam', 'get-role', '--role-name', roleName]),
    server.awsV2(['iam', 'list-attached-role-policies', '--role-name', roleName]),
    server.awsV2(['iam', 'list-role-policies', '--role-name', roleName]),
    server.awsV2(['iam', 'list-role-tags', '--role-name', roleName]),
  ]);
  const role = cliJson<{ Role: { Path: string; Description?: string; MaxSessionDuration: number; AssumeRolePolicyDocument: unknown; PermissionsBoundary?: { PermissionsBoundaryArn: string } } }>(roleResult).Role;
  const attached = cliJson<{ AttachedPolicies: Array<{ PolicyArn: string }> }>(attachedResult);
  const names = cliJson<{ PolicyNames: string[] }>(namesResult).PolicyNames;
  const documents = await Promise.all(
    names.map(async (name) => cliJson<{ PolicyDocument: unknown }>(await server.awsV2(['iam', 'get-role-policy', '--role-name', roleName, '--policy-name', name])).PolicyDocument),
  );
  const tags = cliJson<{ Tags: Array<{ Key: string; Value: string }> }>(tagsResult).Tags;
  return {
    path: role.Path,
    // An empty description (UpdateRole cleared it) is no description.
    ...(role.Description ? { description: role.Description } : {}),
    maxSessionDuration: role.MaxSessionDuration,
    trust: role.AssumeRolePolicyDocument,
    ...(role.PermissionsBoundary ? { boundary: role.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    managed: attached.AttachedPolicies.map((policy) => policy.PolicyArn).sort(),
    inline: Object.fromEntries(names.map((name, index) => [name, documents[index]])),
    tags: Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value])),
  };
}

type SeedRoleSpec = Omit<IAMRoleSpec, 'providerRef'>;

/** Asserts a role read back through the AWS CLI equals what its IAMRole manifest declares. */
export function assertRoleMatchesManifest(readBack: RoleReadBack, manifest: { metadata: { name: string; namespace?: string }; spec: SeedRoleSpec }, defaultTags: Record<string, string>): void {
  const { spec } = manifest;
  const inline = [...(spec.inlinePolicy ? [spec.inlinePolicy] : []), ...(spec.inlinePolicies ?? [])];
  assert.deepEqual(readBack, {
    path: spec.path ?? '/',
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    maxSessionDuration: spec.maxSessionDuration ?? 3600,
    trust: JSON.parse(spec.assumeRolePolicyDocument) as unknown,
    ...(spec.permissionsBoundary ? { boundary: spec.permissionsBoundary } : {}),
    managed: [...(spec.managedPolicyArns ?? [])].sort(),
    inline: Object.fromEntries(inline.map((policy) => [policy.policyName, JSON.parse(policy.policyDocument) as unknown])),
    // A role tag overrides a default tag whose key differs only in case (IAM keys are case-insensitive).
    tags: {
      ...Object.fromEntries(Object.entries(defaultTags).filter(([key]) => !Object.keys(spec.tags ?? {}).some((own) => own.toLowerCase() === key.toLowerCase()))),
      ...spec.tags,
      'rolecall.dev/owner': `${manifest.metadata.namespace ?? 'default'}/${manifest.metadata.name}`,
    },
  }, `role ${spec.roleName} (${manifest.metadata.name})`);
}

/** The IAM write calls the audit trail recorded after the first `skip` events. */
export async function auditedIamWrites(server: E2eServer, skip: number): Promise<{ total: number; writes: string[] }> {
  return auditedWrites(server, skip, ['iam.amazonaws.com']);
}

/** The write calls to the given services (eventSource) the audit trail recorded after the first `skip` events. */
export async function auditedWrites(server: E2eServer, skip: number, sources: readonly string[]): Promise<{ total: number; writes: string[] }> {
  const result = await server.rolecall(['audit']);
  assert.equal(result.status, 0, result.stderr);
  const events = result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { eventSource: string; eventName: string; readOnly: boolean });
  return {
    total: events.length,
    writes: events.slice(skip).filter((event) => sources.includes(event.eventSource) && !event.readOnly).map((event) => event.eventName),
  };
}

/** The IAMRole documents of a manifest text. */
export function roleManifests(text: string): Array<{ metadata: { name: string; namespace?: string }; spec: SeedRoleSpec & { providerRef: { name: string } } }> {
  return text
    .split(/^---$/m)
    .map((document) => parse(document) as { kind?: string } | null)
    .filter((object): object is { kind: string } => object?.kind === 'IAMRole') as unknown as ReturnType<typeof roleManifests>;
}
