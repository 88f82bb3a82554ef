/**
 * `rolecall apply` converging a role through every kind of edit and repairing drift made with the AWS
 * CLI, against the real server: each edit takes exactly the writes it needs (counted from the audit
 * trail), a re-apply none; diff reports drift (exit 1) until apply repairs it; path changes and renames
 * replace the role and say so; delete never wedges on instance profiles; --prune; failures reported in
 * status with AWS's code and message; cross-account management through assumeRoleARN and externalID.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { cliError, cliJson, E2eServer, ROOT, type Credentials } from '../e2e/harness.js';
import { desiredRoleOf, reconcileRole, validateManifests, parseManifestText } from '../../src/declare/index.js';
import { applyJson, assertRoleMatchesManifest, auditedIamWrites, readRoleWithCli } from './declare-fixtures.js';

const EC2_TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const LAMBDA_TRUST = EC2_TRUST.replace('ec2', 'lambda');
const policy = (action: string) => `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"${action}","Resource":"*"}]}`;
const DEFAULT_TAGS = { team: 'platform' };

let server: E2eServer;

/** The provider (credentialsSecret form, keys as base64 `data`) and its Secret. */
function provider(extra: Record<string, unknown> = {}, keys: Credentials = ROOT, name = 'rolecall'): string {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${name}-keys` },
    data: { AWS_ACCESS_KEY_ID: Buffer.from(keys.accessKeyId).toString('base64'), AWS_SECRET_ACCESS_KEY: Buffer.from(keys.secretAccessKey).toString('base64') },
  };
  const awsProvider = { apiVersion: 'rolecall.dev/v1alpha1', kind: 'AWSProvider', metadata: { name }, spec: { region: 'us-east-1', credentialsSecret: { name: `${name}-keys` }, defaultTags: DEFAULT_TAGS, ...extra } };
  return `${stringify(secret)}---\n${stringify(awsProvider)}`;
}

function roleManifest(name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}, providerName = 'rolecall') {
  return { apiVersion: 'rolecall.dev/v1alpha1', kind: 'IAMRole', metadata: { name, ...metadata }, spec: { providerRef: { name: providerName }, roleName: name, assumeRolePolicyDocument: EC2_TRUST, ...spec } };
}

async function apply(objects: unknown[], args: string[] = [], providerText = provider()) {
  const input = `${providerText}---\n${objects.map((object) => stringify(object)).join('---\n')}`;
  return server.rolecallClient(['apply', '-o', 'json', '-f', '-', ...args], { input });
}

/** Applies and returns the report with the IAM writes the audit trail recorded for it. */
async function applyAudited(objects: unknown[], args: string[] = []) {
  const before = await auditedIamWrites(server, 0);
  const result = await apply(objects, args);
  const report = applyJson(result);
  return { result, report, writes: (await auditedIamWrites(server, before.total)).writes.sort() };
}

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

const full = roleManifest('app', {
  description: 'application role',
  maxSessionDuration: 7200,
  managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  inlinePolicies: [
    { policyName: 'read', policyDocument: policy('s3:GetObject') },
    { policyName: 'write', policyDocument: policy('s3:PutObject') },
  ],
  permissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
  tags: { owner: 'alice', stage: 'dev' },
});

test('create: CreateRole carries everything it can; one call per attachment and inline policy', async () => {
  const { result, report, writes } = await applyAudited([full]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(report.items[0]!.outcome, 'created');
  assert.deepEqual(writes, ['AttachRolePolicy', 'CreateRole', 'PutRolePolicy', 'PutRolePolicy']);
  assertRoleMatchesManifest(await readRoleWithCli(server, 'app'), full, DEFAULT_TAGS);
});

test('edits converge: inline removed, tags changed and removed, boundary removed, trust changed — exactly those writes, then none', async () => {
  const edited = roleManifest('app', {
    ...full.spec,
    assumeRolePolicyDocument: LAMBDA_TRUST,
    inlinePolicies: [{ policyName: 'read', policyDocument: policy('s3:GetObject') }],
    permissionsBoundary: undefined,
    tags: { owner: 'bob' },
  });
  const { result, report, writes } = await applyAudited([edited]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(report.items[0]!.outcome, 'configured');
  assert.deepEqual(writes, ['DeleteRolePermissionsBoundary', 'DeleteRolePolicy', 'TagRole', 'UntagRole', 'UpdateAssumeRolePolicy']);
  assertRoleMatchesManifest(await readRoleWithCli(server, 'app'), edited, DEFAULT_TAGS);
  const again = await applyAudited([edited]);
  assert.equal(again.report.items[0]!.outcome, 'unchanged');
  assert.deepEqual(again.writes, []);
  // Description cleared and duration back to the default when the manifest drops them.
  const plain = roleManifest('app', { ...edited.spec, description: undefined, maxSessionDuration: undefined });
  const cleared = await applyAudited([plain]);
  assert.deepEqual(cleared.writes, ['UpdateRole']);
  const role = cliJson<{ Role: { Description?: string; MaxSessionDuration: number } }>(await server.awsV1(['iam', 'get-role', '--role-name', 'app'])).Role;
  assert.deepEqual([role.Description ?? '', role.MaxSessionDuration], ['', 3600]);
});

test('drift made with the AWS CLI v2 is reported by diff (exit 1) and repaired by apply; then diff exits 0', async () => {
  const declared = roleManifest('app', { ...full.spec, description: undefined, maxSessionDuration: undefined, assumeRolePolicyDocument: LAMBDA_TRUST, inlinePolicies: [{ policyName: 'read', policyDocument: policy('s3:GetObject') }], permissionsBoundary: undefined, tags: { owner: 'bob' } });
  cliJson(await server.awsV2(['iam', 'attach-role-policy', '--role-name', 'app', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess']));
  cliJson(await server.awsV2(['iam', 'put-role-policy', '--role-name', 'app', '--policy-name', 'backdoor', '--policy-document', policy('iam:*')]));
  cliJson(await server.awsV2(['iam', 'tag-role', '--role-name', 'app', '--tags', 'Key=owner,Value=mallory']));
  cliJson(await server.awsV2(['iam', 'update-role', '--role-name', 'app', '--max-session-duration', '43200']));
  const input = `${provider()}---\n${stringify(declared)}`;
  const diff = await server.rolecallClient(['diff', '-f', '-'], { input });
  assert.equal(diff.status, 1, diff.stderr);
  for (const line of ['-  maxSessionDuration: 43200', '+  maxSessionDuration: 3600', '-    - arn:aws:iam::aws:policy/AdministratorAccess', '-    - policyName: backdoor', '-    owner: mallory', '+    owner: bob'])
    assert.ok(diff.stdout.split('\n').includes(line), `diff lacks ${line}:\n${diff.stdout}`);
  const { report, writes } = await applyAudited([declared]);
  assert.equal(report.items[0]!.outcome, 'configured');
  assert.deepEqual(writes, ['DeleteRolePolicy', 'DetachRolePolicy', 'TagRole', 'UpdateRole']);
  assertRoleMatchesManifest(await readRoleWithCli(server, 'app'), declared, DEFAULT_TAGS);
  const clean = await server.rolecallClient(['diff', '-f', '-'], { input });
  assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  assert.equal(clean.stdout, '');
});

test('a path change replaces the role and says so, keeping its instance profiles; a rename replaces it, never orphans it', async () => {
  const original = roleManifest('web', { path: '/v1/' });
  await apply([original]);
  cliJson(await server.awsV1(['iam', 'create-instance-profile', '--instance-profile-name', 'web-profile']));
  cliJson(await server.awsV1(['iam', 'add-role-to-instance-profile', '--instance-profile-name', 'web-profile', '--role-name', 'web']));
  const oldId = cliJson<{ Role: { RoleId: string } }>(await server.awsV1(['iam', 'get-role', '--role-name', 'web'])).Role.RoleId;
  const moved = await apply([roleManifest('web', { path: '/v2/' })]);
  const item = applyJson(moved).items[0]!;
  assert.equal(item.outcome, 'replaced');
  assert.deepEqual(item.notes, ['replaced: path /v1/ -> /v2/ (IAM cannot change the path of a role; it gets a new role id)']);
  const role = cliJson<{ Role: { RoleId: string; Path: string } }>(await server.awsV1(['iam', 'get-role', '--role-name', 'web'])).Role;
  assert.equal(role.Path, '/v2/');
  assert.notEqual(role.RoleId, oldId);
  const profile = cliJson<{ InstanceProfile: { Roles: Array<{ RoleName: string; Path: string }> } }>(await server.awsV1(['iam', 'get-instance-profile', '--instance-profile-name', 'web-profile']));
  assert.deepEqual(profile.InstanceProfile.Roles.map((member) => `${member.Path}${member.RoleName}`), ['/v2/web']);
  // The same object under a new roleName: the new role is created, the old one deleted.
  const renamed = { ...roleManifest('web', { path: '/v2/' }), spec: { ...roleManifest('web', { path: '/v2/' }).spec, roleName: 'web-v2' } };
  const text = await apply([renamed]);
  assert.equal(text.status, 0, text.stderr);
  assert.deepEqual(applyJson(text).items[0]!.notes, ['replaced: roleName web -> web-v2 (role web deleted)']);
  assert.equal(cliError(await server.awsV1(['iam', 'get-role', '--role-name', 'web'])).code, 'NoSuchEntity');
  const moved2 = cliJson<{ InstanceProfile: { Roles: Array<{ RoleName: string }> } }>(await server.awsV1(['iam', 'get-instance-profile', '--instance-profile-name', 'web-profile']));
  assert.deepEqual(moved2.InstanceProfile.Roles.map((member) => member.RoleName), ['web-v2']);
});

test('declarative-roles.md C (acki#180): delete of a role in an instance profile, with policies, succeeds', async () => {
  const input = `${provider()}---\n${stringify(roleManifest('web', { path: '/v2/' }))}`.replace('roleName: web\n', 'roleName: web-v2\n');
  const result = await server.rolecallClient(['delete', '-f', '-'], { input });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'iamrole/web deleted\n');
  assert.equal(cliError(await server.awsV1(['iam', 'get-role', '--role-name', 'web-v2'])).code, 'NoSuchEntity');
  const profile = cliJson<{ InstanceProfile: { Roles: unknown[] } }>(await server.awsV1(['iam', 'get-instance-profile', '--instance-profile-name', 'web-profile']));
  assert.deepEqual(profile.InstanceProfile.Roles, []);
  const deletedApp = await server.rolecallClient(['delete', '-f', '-'], { input: `${provider()}---\n${stringify(full)}` });
  assert.equal(deletedApp.stdout, 'iamrole/app deleted\n', deletedApp.stderr);
  const missing = await server.rolecallClient(['delete', '-f', '-'], { input: `${provider()}---\n${stringify(full)}` });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /iamrole\/app: NotFound/);
  assert.equal((await server.rolecallClient(['delete', '--ignore-not-found', '-f', '-'], { input: `${provider()}---\n${stringify(full)}` })).status, 0);
});

test('apply --prune deletes the roles this tool created for objects of the applied namespaces that the files no longer declare', async () => {
  // The provider lives in namespace default; providerRef.namespace says so (it defaults to the object's own).
  const providerRef = { name: 'rolecall', namespace: 'default' };
  const teamA = (name: string) => roleManifest(name, { providerRef }, { namespace: 'team-a' });
  const teamB = roleManifest('b1', { providerRef }, { namespace: 'team-b' });
  const setUp = await apply([teamA('a1'), teamA('a2'), teamB]);
  assert.equal(setUp.status, 0, setUp.stdout + setUp.stderr);
  cliJson(await server.awsV1(['iam', 'create-role', '--role-name', 'hand-made', '--assume-role-policy-document', EC2_TRUST]));
  const { result, report } = await applyAudited([teamA('a1')], ['--prune']);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(report.pruned, [{ roleName: 'a2', owner: 'team-a/a2', outcome: 'deleted', message: 'role a2 deleted' }]);
  assert.equal(report.summary.pruned, 1);
  assert.equal(cliError(await server.awsV1(['iam', 'get-role', '--role-name', 'a2'])).code, 'NoSuchEntity');
  // Another namespace's role and a role rolecall did not create are left alone.
  cliJson(await server.awsV1(['iam', 'get-role', '--role-name', 'b1']));
  cliJson(await server.awsV1(['iam', 'get-role', '--role-name', 'hand-made']));
});

test('a failure the server reports lands in status (Synced=False, AWS code and message), exit 1, other objects still applied', async () => {
  const broken = roleManifest('bounded', { permissionsBoundary: 'arn:aws:iam::123456789012:policy/NoSuchBoundary' });
  const result = await apply([broken, roleManifest('fine', {})]);
  assert.equal(result.status, 1);
  const report = applyJson(result);
  const item = report.items[0]!;
  assert.equal(item.outcome, 'failed');
  assert.equal(item.error?.code, 'NoSuchEntity');
  assert.equal(item.error?.operation, 'CreateRole');
  const synced = item.status.conditions.find((condition) => condition.type === 'Synced')!;
  assert.deepEqual([synced.status, synced.reason], ['False', 'NoSuchEntity']);
  assert.match(synced.message, /NoSuchBoundary/);
  assert.equal(item.status.ready, false);
  assert.equal(report.items[1]!.outcome, 'created');
});

test('the reconcile core never throws: a malformed trust policy given past validation shows as MalformedPolicyDocument in status', async () => {
  const text = `${provider()}---\n${stringify(roleManifest('malformed', {}))}`;
  const validated = validateManifests(parseManifestText(text, 'x.yaml'));
  assert.ok(validated.valid);
  const desired = { ...desiredRoleOf(validated.set.roles[0]!, validated.set.providers[0]), trustPolicy: policy('s3:GetObject') };
  const result = await reconcileRole(desired, server.iam());
  assert.equal(result.outcome, 'failed');
  const synced = result.status.conditions.find((condition) => condition.type === 'Synced')!;
  assert.deepEqual([synced.status, synced.reason], ['False', 'MalformedPolicyDocument']);
  assert.equal(synced.message, 'Has prohibited field Resource');
  assert.deepEqual(result.calls.map((call) => [call.operation, call.error ?? '']), [
    ['GetRole', 'NoSuchEntity'],
    ['CreateRole', 'MalformedPolicyDocument'],
  ]);
});

test('cross-account: assumeRoleARN with externalID manages roles in another account; a wrong externalID is AccessDenied in status', async () => {
  const other = await server.createAccount('workloads', '111111111111');
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'shared-secret-id' } } }] });
  cliJson(await server.awsV1(['iam', 'create-role', '--role-name', 'platform-admin', '--assume-role-policy-document', trust], { credentials: other }));
  cliJson(await server.awsV1(['iam', 'attach-role-policy', '--role-name', 'platform-admin', '--policy-arn', 'arn:aws:iam::aws:policy/IAMFullAccess'], { credentials: other }));
  // An IAM user of the first account with the right to assume it (a root user may not assume roles).
  cliJson(await server.awsV1(['iam', 'create-user', '--user-name', 'ci']));
  cliJson(await server.awsV1(['iam', 'put-user-policy', '--user-name', 'ci', '--policy-name', 'assume', '--policy-document', policy('sts:AssumeRole')]));
  const key = cliJson<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(await server.awsV1(['iam', 'create-access-key', '--user-name', 'ci'])).AccessKey;
  const ci: Credentials = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  const crossProvider = (externalID: string) => provider({ assumeRoleARN: 'arn:aws:iam::111111111111:role/platform-admin', externalID }, ci, 'workloads');
  const role = roleManifest('remote', {}, {}, 'workloads');
  const result = await apply([role], [], crossProvider('shared-secret-id'));
  assert.equal(result.status, 0, result.stderr);
  assert.equal(applyJson(result).items[0]!.status.roleArn, 'arn:aws:iam::111111111111:role/remote');
  cliJson(await server.awsV1(['iam', 'get-role', '--role-name', 'remote'], { credentials: other }));
  assert.equal(cliError(await server.awsV1(['iam', 'get-role', '--role-name', 'remote'])).code, 'NoSuchEntity');
  const wrong = applyJson(await apply([role], [], crossProvider('wrong-id')));
  assert.equal(wrong.items[0]!.outcome, 'failed');
  assert.equal(wrong.items[0]!.error?.code, 'AccessDenied');
});
