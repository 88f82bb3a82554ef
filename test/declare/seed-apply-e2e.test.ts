/**
 * Seed 001 end to end: every AWSProvider and IAMRole example applied unchanged with `rolecall apply`
 * against the real server (production-aws assumes the seed's infra-operator-role through STS; localstack
 * signs with static keys from the aws-credentials Secret), read back through the AWS CLI, applied again
 * with zero write calls counted from the audit trail, and the seed's two objects that declare one role
 * (lambda-execution-role, lambda-exec-role) handled as two sources.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cliJson, E2eServer, type Credentials } from '../e2e/harness.js';
import {
  applyJson,
  assertRoleMatchesManifest,
  auditedIamWrites,
  prepareSeedAccount,
  providersWithSecret,
  readRoleWithCli,
  roleManifests,
} from './declare-fixtures.js';
import { seedText } from './seed-fixtures.js';

const DEFAULT_TAGS: Record<string, Record<string, string>> = {
  'production-aws': { 'managed-by': 'infra-operator', environment: 'production' },
  localstack: { 'managed-by': 'infra-operator', environment: 'test' },
};
const ROLE_FILES = ['quick-start.yaml', 'complete-example.yaml', 'practical-examples.yaml', 'common-patterns.yaml'];

let server: E2eServer;
let providers: string;
let deployer: Credentials;

/** `rolecall ARGS` as the deployer user (production-aws assumes infra-operator-role from it). */
function rolecall(args: string[], input?: string) {
  return server.rolecallClient(args, { credentials: deployer, ...(input !== undefined ? { input } : {}) });
}

before(async () => {
  server = await E2eServer.start();
  const account = await prepareSeedAccount(server);
  deployer = account.deployer;
  providers = await server.writeFile('providers.yaml', providersWithSecret(seedText('providers.yaml'), account.secret));
  for (const file of [...ROLE_FILES, 'lambda-exec-role.yaml']) await server.writeFile(file, seedText(file));
});

after(async () => {
  await server?.stop();
});

test('seed 001: every IAMRole example applies unchanged (iamrole/NAME created) and reads back equal through the AWS CLI', async () => {
  const result = await rolecall(['apply', '-f', providers, ...ROLE_FILES.flatMap((file) => ['-f', file])]);
  assert.equal(result.status, 0, result.stderr);
  const manifests = ROLE_FILES.flatMap((file) => roleManifests(seedText(file)));
  assert.equal(manifests.length, 11);
  assert.deepEqual(result.stdout.trim().split('\n'), manifests.map((manifest) => `iamrole/${manifest.metadata.name} created`));
  assert.match(result.stderr, /Summary: 11 created, 0 configured, 0 unchanged, 0 failed; \d+ API calls \(\d+ writes\)/);
  for (const manifest of manifests) {
    assertRoleMatchesManifest(await readRoleWithCli(server, manifest.spec.roleName), manifest, DEFAULT_TAGS[manifest.spec.providerRef.name]!);
  }
});

test('declarative-roles.md A: a second apply makes zero write calls (the audit trail records none)', async () => {
  const before = await auditedIamWrites(server, 0);
  const result = await rolecall(['apply', '-o', 'json', '-f', providers, ...ROLE_FILES.flatMap((file) => ['-f', file])]);
  assert.equal(result.status, 0, result.stderr);
  const report = applyJson(result);
  assert.equal(report.summary.unchanged, 11);
  assert.equal(report.summary.writes, 0);
  assert.ok(report.items.every((item) => item.outcome === 'unchanged' && item.status.ready));
  assert.deepEqual((await auditedIamWrites(server, before.total)).writes, []);
});

test('status as the seed documents it: roleArn, roleId, createDate, ready, plus Ready/Synced conditions', async () => {
  const result = await rolecall(['get', 'iamroles', '-o', 'json', '-f', providers, '-f', 'quick-start.yaml']);
  assert.equal(result.status, 0, result.stderr);
  const list = JSON.parse(result.stdout) as { kind: string; items: Array<{ metadata: { name: string }; status: Record<string, unknown> & { conditions: Array<{ type: string; status: string }> } }> };
  assert.equal(list.kind, 'List');
  const ec2 = list.items.find((item) => item.metadata.name === 'e2e-ec2-role')!;
  const role = cliJson<{ Role: { Arn: string; RoleId: string } }>(await server.awsV1(['iam', 'get-role', '--role-name', 'e2e-ec2-service-role'])).Role;
  assert.equal(ec2.status.roleArn, role.Arn);
  assert.equal(ec2.status.roleId, role.RoleId);
  assert.match(String(ec2.status.createDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(ec2.status.ready, true);
  assert.deepEqual(ec2.status.conditions.map((condition) => [condition.type, condition.status]), [['Ready', 'True'], ['Synced', 'True']]);
  const table = await rolecall(['get', 'iamroles', '-f', providers, '-f', 'quick-start.yaml']);
  assert.match(table.stdout.split('\n')[0]!, /^NAME\s+ROLE\s+ARN\s+READY\s+AGE$/);
  assert.match(table.stdout, /e2e-ec2-role\s+e2e-ec2-service-role\s+arn:aws:iam::123456789012:role\/e2e\/e2e-ec2-service-role\s+true\s+\d+[smhd]/);
});

test('two sources of one role (lambda-exec-role vs lambda-execution-role): a conflict error, nothing changed', async () => {
  const before = await auditedIamWrites(server, 0);
  const result = await rolecall(['apply', '-f', providers, '-f', 'lambda-exec-role.yaml']);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /error: iamrole\/lambda-exec-role \(.*lambda-exec-role\.yaml \(document 1\)\): OwnershipConflict: role lambda-execution-role is managed by IAMRole default\/lambda-execution-role/);
  assert.deepEqual((await auditedIamWrites(server, before.total)).writes, []);
  // In one apply, the two objects are rejected before any call.
  const both = await rolecall(['apply', '-f', providers, '-f', 'quick-start.yaml', '-f', 'lambda-exec-role.yaml']);
  assert.equal(both.status, 1);
  assert.match(both.stderr, /IAMRole default\/lambda-exec-role: spec\.roleName: Duplicate value: "lambda-execution-role" is also declared by IAMRole default\/lambda-execution-role/);
});

test('deletionPolicy Retain keeps the role and releases it; the seed example declaring it again then adopts it only when told', async () => {
  const deleted = await rolecall(['delete', '-f', providers, '-f', 'quick-start.yaml']);
  assert.equal(deleted.status, 0, deleted.stderr);
  assert.deepEqual(deleted.stdout.trim().split('\n'), [
    'iamrole/e2e-ec2-role deleted',
    'iamrole/e2e-lambda-role deleted',
    'iamrole/lambda-execution-role retained (role lambda-execution-role kept (deletionPolicy Retain) and released)',
  ]);
  assert.match((await server.awsV1(['iam', 'get-role', '--role-name', 'e2e-ec2-service-role'])).stderr, /NoSuchEntity/);
  const kept = await readRoleWithCli(server, 'lambda-execution-role');
  assert.equal(kept.tags['rolecall.dev/owner'], undefined);
  assert.deepEqual(kept.managed, ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
  // A released role is not this object's: without the adopt annotation, an error that says how to adopt.
  const refused = await rolecall(['apply', '-f', providers, '-f', 'lambda-exec-role.yaml']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /NotOwned: role lambda-execution-role already exists and was not created by rolecall; to manage it from this object, annotate it rolecall\.dev\/adopt: "true"/);
  const adopting = seedText('lambda-exec-role.yaml').replace('  name: lambda-exec-role\n', '  name: lambda-exec-role\n  annotations:\n    rolecall.dev/adopt: "true"\n');
  const adopted = await rolecall(['apply', '-f', providers, '-f', '-'], adopting);
  assert.equal(adopted.status, 0, adopted.stderr);
  assert.equal(adopted.stdout.trim(), 'iamrole/lambda-exec-role configured');
  const [manifest] = roleManifests(seedText('lambda-exec-role.yaml'));
  assertRoleMatchesManifest(await readRoleWithCli(server, 'lambda-execution-role'), manifest!, DEFAULT_TAGS['production-aws']!);
  // The seed's own file, unchanged, now applies: the role carries its ownership.
  const again = await rolecall(['apply', '-f', providers, '-f', 'lambda-exec-role.yaml']);
  assert.equal(again.stdout.trim(), 'iamrole/lambda-exec-role unchanged');
});

test('get awsproviders: production-aws authenticates as the assumed infra-operator-role, localstack as the Secret keys user', async () => {
  const result = await rolecall(['get', 'awsproviders', '-o', 'json', '-f', providers]);
  assert.equal(result.status, 0, result.stderr);
  const list = JSON.parse(result.stdout) as { items: Array<{ metadata: { name: string }; status: { ready: boolean; accountID: string; callerIdentity: string } }> };
  const byName = Object.fromEntries(list.items.map((item) => [item.metadata.name, item.status]));
  assert.equal(byName['production-aws']!.ready, true);
  assert.match(byName['production-aws']!.callerIdentity, /^arn:aws:sts::123456789012:assumed-role\/infra-operator-role\/rolecall$/);
  assert.equal(byName.localstack!.callerIdentity, 'arn:aws:iam::123456789012:user/infra-operator');
  // The Secret's secret key never appears in any output.
  const secretKey = /secret-access-key: (\S+)/.exec(readFileSync(providers, 'utf8'))![1]!;
  assert.ok(!result.stdout.includes(secretKey) && !result.stderr.includes(secretKey));
  const table = await rolecall(['get', 'awsp', '-f', providers]);
  assert.match(table.stdout, /^NAME\s+REGION\s+READY\s+ACCOUNT\n/);
});
