/**
 * The seeds' AWS CLI usage against the real server: seed 001's "Create Role with AWS CLI" sequence run
 * as printed with the pip AWS CLI v1 and the official AWS CLI v2, and the role examples of seeds 000, 002,
 * 003 and 004 created with the CLI v2 (file:// documents) and read back with boto3, the CLI v1 and SDK v3
 * (which returns the URL-encoded text: decoded, it must be exactly what was sent).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { ACCOUNT_ID, cliError, cliJson, E2eServer, type CommandResult } from './harness.js';
import {
  SEED_001_IAM_POLICY, SEED_001_SCRIPT, SEED_002_CREATE_OIDC_PROVIDER, SEED_ROLES, seed001TrustPolicy, type SeedRole,
} from './seed-fixtures.js';

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

type Cli = 'v1' | 'v2';

function aws(cli: Cli, args: string[], cwd?: string): Promise<CommandResult> {
  return cli === 'v1' ? server.awsV1(args, cwd ? { cwd } : {}) : server.awsV2(args, cwd ? { cwd } : {});
}

/** Seed 001's steps as printed, then the role read back and deleted with the same CLI. */
async function runSeed001(cli: Cli): Promise<void> {
  const dir = join(server.workDir, `seed-001-${cli}`);
  await mkdir(dir);
  await writeFile(join(dir, 'iam-policy.json'), SEED_001_IAM_POLICY);
  const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/infra-operator-iam-role`;

  const run = await server.bash(SEED_001_SCRIPT, cli, { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  // Step 3 prints the created role as JSON, step 5 the ARN as text (`--query 'Role.Arn' --output text`).
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines.at(-1), roleArn);
  const created = JSON.parse(lines.slice(0, -1).join('\n')) as { Role: Record<string, unknown> };
  assert.equal(created.Role.RoleName, 'infra-operator-iam-role');
  assert.equal(created.Role.Arn, roleArn);
  assert.equal(created.Role.Description, 'Role for Infra Operator IAM management');
  assert.match(String(created.Role.RoleId), /^AROA[A-Z0-9]{17}$/);
  // botocore decodes the URL-encoded trust policy back into the document step 2 wrote.
  assert.deepEqual(created.Role.AssumeRolePolicyDocument, seed001TrustPolicy(ACCOUNT_ID));

  const inline = cliJson<{ PolicyDocument: unknown }>(
    await aws(cli, ['iam', 'get-role-policy', '--role-name', 'infra-operator-iam-role', '--policy-name', 'IAMManagement']),
  );
  assert.deepEqual(inline.PolicyDocument, JSON.parse(SEED_001_IAM_POLICY));
  assert.deepEqual(cliJson(await aws(cli, ['iam', 'list-role-policies', '--role-name', 'infra-operator-iam-role'])), { PolicyNames: ['IAMManagement'] });

  // DeleteRole refuses while an inline policy remains (API_DeleteRole.html), then succeeds.
  const conflict = cliError(await aws(cli, ['iam', 'delete-role', '--role-name', 'infra-operator-iam-role']));
  assert.deepEqual(conflict, { code: 'DeleteConflict', operation: 'DeleteRole', message: 'Cannot delete entity, must delete policies first.' });
  cliJson(await aws(cli, ['iam', 'delete-role-policy', '--role-name', 'infra-operator-iam-role', '--policy-name', 'IAMManagement']));
  cliJson(await aws(cli, ['iam', 'delete-role', '--role-name', 'infra-operator-iam-role']));
  const gone = cliError(await aws(cli, ['iam', 'get-role', '--role-name', 'infra-operator-iam-role']));
  assert.deepEqual(gone, { code: 'NoSuchEntity', operation: 'GetRole', message: 'The role with name infra-operator-iam-role cannot be found.' });
}

/** Creates a seed role with the AWS CLI v2, its policy documents passed as file:// arguments. */
async function createWithV2(role: SeedRole, dir: string): Promise<void> {
  await writeFile(join(dir, `${role.roleName}-trust.json`), role.trust);
  const args = ['iam', 'create-role', '--role-name', role.roleName, '--assume-role-policy-document', `file://${role.roleName}-trust.json`];
  if (role.path) args.push('--path', role.path);
  if (role.description) args.push('--description', role.description);
  if (role.maxSessionDuration) args.push('--max-session-duration', String(role.maxSessionDuration));
  cliJson(await server.awsV2(args, { cwd: dir }));
  for (const [policyName, document] of Object.entries(role.inline ?? {})) {
    await writeFile(join(dir, `${role.roleName}-${policyName}.json`), document);
    const put = ['iam', 'put-role-policy', '--role-name', role.roleName, '--policy-name', policyName, '--policy-document', `file://${role.roleName}-${policyName}.json`];
    cliJson(await server.awsV2(put, { cwd: dir }));
  }
  for (const policyArn of role.managed ?? []) {
    cliJson(await server.awsV2(['iam', 'attach-role-policy', '--role-name', role.roleName, '--policy-arn', policyArn]));
  }
}

interface ReadBack {
  role: Record<string, unknown>;
  policyNames: string[];
  attached: Array<{ PolicyName: string; PolicyArn: string }>;
  inline: Record<string, { RoleName: string; PolicyName: string; PolicyDocument: unknown }>;
}

// One python process reads every role back: get-role, list-role-policies, list-attached-role-policies
// and get-role-policy, with botocore decoding the URL-encoded documents as the CLI does.
const READ_BACK = String.raw`
out = {}
for name in inp:
    inline = iam.list_role_policies(RoleName=name)['PolicyNames']
    out[name] = {
        'role': iam.get_role(RoleName=name)['Role'],
        'policyNames': inline,
        'attached': iam.list_attached_role_policies(RoleName=name)['AttachedPolicies'],
        'inline': {p: {k: v for k, v in iam.get_role_policy(RoleName=name, PolicyName=p).items() if k != 'ResponseMetadata'} for p in inline},
    }
`;

/** Checks every attribute and policy of a seed role as boto3 read it back. */
function checkReadBack(role: SeedRole, got: ReadBack): void {
  const path = role.path ?? '/';
  assert.equal(got.role.RoleName, role.roleName, role.seed);
  assert.equal(got.role.Path, path);
  assert.equal(got.role.Arn, `arn:aws:iam::${ACCOUNT_ID}:role${path}${role.roleName}`);
  assert.equal(got.role.MaxSessionDuration, role.maxSessionDuration ?? 3600);
  assert.equal(got.role.Description, role.description);
  assert.deepEqual(got.role.AssumeRolePolicyDocument, JSON.parse(role.trust));
  assert.deepEqual(got.policyNames, Object.keys(role.inline ?? {}).sort());
  for (const [policyName, document] of Object.entries(role.inline ?? {})) {
    assert.deepEqual(got.inline[policyName], { RoleName: role.roleName, PolicyName: policyName, PolicyDocument: JSON.parse(document) });
  }
  const expected = (role.managed ?? []).map((arn) => ({ PolicyName: arn.split('/').at(-1)!, PolicyArn: arn }));
  const byArn = (a: { PolicyArn: string }, b: { PolicyArn: string }) => a.PolicyArn.localeCompare(b.PolicyArn);
  assert.deepEqual([...got.attached].sort(byArn), expected.sort(byArn));
}

/** SDK v3 hands back the URL-encoded documents (no decoding): decoded, they are the exact text sent. */
async function exactDocuments(role: SeedRole): Promise<void> {
  const iam = server.iam();
  const got = await iam.send(new GetRoleCommand({ RoleName: role.roleName }));
  assert.equal(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!), role.trust);
  for (const [policyName, document] of Object.entries(role.inline ?? {})) {
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: role.roleName, PolicyName: policyName }));
    assert.equal(decodeURIComponent(inline.PolicyDocument!), document);
  }
}

// CLI start-up dominates this file's time: the groups below touch disjoint names and run side by side.
describe('the AWS CLIs against Rolecall', { concurrency: true }, () => {
  test('the clients under test are the pip AWS CLI v1 and a current official AWS CLI v2', async () => {
    // Both majors must really run, and both find the endpoint through AWS_ENDPOINT_URL alone, which the
    // CLI v2 honours from 2.13 on: the bundle from @aws-cdk/asset-awscli-v2 is far newer.
    const v1 = await server.awsV1(['--version']);
    const v2 = await server.awsV2(['--version']);
    assert.match(v1.stdout + v1.stderr, /^aws-cli\/1\./);
    const v2Minor = /^aws-cli\/2\.(\d+)\./.exec(v2.stdout + v2.stderr);
    assert.ok(v2Minor && Number(v2Minor[1]) >= 13, `AWS CLI v2 ${v2.stdout}${v2.stderr} honours AWS_ENDPOINT_URL`);
  });

  // Seed 001 uses one role name, so its two runs go one after the other.
  describe('seed 001 "Create Role with AWS CLI" runs as printed', { concurrency: 1 }, () => {
    test('with the AWS CLI v1', () => runSeed001('v1'));
    test('with the AWS CLI v2', () => runSeed001('v2'));
  });

  test('seeds 000, 002, 003, 004: every role example is created with the AWS CLI v2 and read back with boto3, the CLI v1 and SDK v3', async () => {
    const dir = join(server.workDir, 'seed-roles');
    await mkdir(dir);
    await Promise.all(SEED_ROLES.map((role) => createWithV2(role, dir)));
    const readBack = (await server.boto3(READ_BACK, SEED_ROLES.map((role) => role.roleName))) as Record<string, ReadBack>;
    for (const role of SEED_ROLES) checkReadBack(role, readBack[role.roleName]!);
    await Promise.all(SEED_ROLES.map((role) => exactDocuments(role)));

    // ListRoles returns them all, and PathPrefix narrows to one path.
    const listed = cliJson<{ Roles: Array<{ RoleName: string; Path: string }> }>(await server.awsV1(['iam', 'list-roles']));
    const names = listed.Roles.map((role) => role.RoleName);
    for (const role of SEED_ROLES) assert.ok(names.includes(role.roleName), `${role.roleName} listed`);
    const ec2Only = cliJson<{ Roles: Array<{ RoleName: string }> }>(await server.awsV2(['iam', 'list-roles', '--path-prefix', '/ec2/']));
    assert.deepEqual(ec2Only.Roles.map((role) => role.RoleName), ['s3-reader-role']);
  });

  test('seed 002 step 3: create-open-id-connect-provider as printed, read back with the other CLI', async () => {
    const created = cliJson<{ OpenIDConnectProviderArn: string }>(await server.awsV2(SEED_002_CREATE_OIDC_PROVIDER));
    const arn = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
    assert.equal(created.OpenIDConnectProviderArn, arn);
    const got = cliJson<Record<string, unknown>>(await server.awsV1(['iam', 'get-open-id-connect-provider', '--open-id-connect-provider-arn', arn]));
    assert.equal(got.Url, 'oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE');
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com']);
    assert.deepEqual(got.ThumbprintList, ['AABBCCDDEEFFGGHHIIJJKKLLMMNNOOPPQQRRSSTT']);
    const listed = cliJson<{ OpenIDConnectProviderList: Array<{ Arn: string }> }>(await server.awsV1(['iam', 'list-open-id-connect-providers']));
    assert.deepEqual(listed.OpenIDConnectProviderList, [{ Arn: arn }]);
  });
});
