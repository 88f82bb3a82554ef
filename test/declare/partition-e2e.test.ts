/**
 * `rolecall apply` against an account in aws-cn (docs/partitions.md): the provider signs for
 * cn-north-1, so its first signed request binds the fresh server's account to aws-cn and every ARN IAM
 * answers with is arn:aws-cn. A trust policy naming the account by its bare id is equivalent to the
 * arn:aws-cn root ARN IAM stores (not arn:aws's), so a re-apply writes nothing; the example blueprint
 * rendered for cn-north-1 applies (its arn:aws-cn managed policies attach; arn:aws ones would be
 * "Invalid ARN partition") and a second apply writes nothing. Writes are counted from the audit trail.
 */
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { E2eServer, ROOT, type CommandResult } from '../e2e/harness.js';
import { applyJson, auditedIamWrites } from './declare-fixtures.js';
import { EXAMPLE_PATH } from './blueprint/example-blueprint.js';

const ACCOUNT_ID = '123456789012';
const base64 = (text: string) => Buffer.from(text).toString('base64');
const trustOf = (principal: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });

describe('rolecall apply with a provider in cn-north-1 (account bound to aws-cn)', () => {
  let server: E2eServer;

  /** `rolecall apply -o json` of the documents, and the IAM writes the audit trail recorded for it. */
  const applyAudited = async (args: string[], input?: string) => {
    const before = await auditedIamWrites(server, 0);
    const result = await server.rolecallClient(['apply', '-o', 'json', ...args], input === undefined ? {} : { input });
    return { result, writes: (await auditedIamWrites(server, before.total)).writes.sort() };
  };

  const awsCli = (args: string[]): Promise<CommandResult> => server.bash(`export AWS_REGION=cn-north-1\naws ${args.map((arg) => `'${arg}'`).join(' ')} --output json`, 'v2');

  before(async () => {
    server = await E2eServer.start();
  });
  after(async () => {
    await server?.stop();
  });

  test('a bare account id principal re-applies with zero writes against the arn:aws-cn root ARN IAM stores', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys' }, data: { AWS_ACCESS_KEY_ID: base64(ROOT.accessKeyId), AWS_SECRET_ACCESS_KEY: base64(ROOT.secretAccessKey) } };
    const provider = { apiVersion: 'rolecall.dev/v1alpha1', kind: 'AWSProvider', metadata: { name: 'china' }, spec: { region: 'cn-north-1', credentialsSecret: { name: 'keys' } } };
    const role = (principal: string) => ({
      apiVersion: 'rolecall.dev/v1alpha1',
      kind: 'IAMRole',
      metadata: { name: 'cross-account' },
      spec: { providerRef: { name: 'china' }, roleName: 'cross-account', assumeRolePolicyDocument: trustOf(principal) },
    });
    const input = (principal: string) => [secret, provider, role(principal)].map((object) => stringify(object)).join('---\n');

    // The role as IAM stores it: the account's root in aws-cn.
    const created = await applyAudited(['-f', '-'], input(`arn:aws-cn:iam::${ACCOUNT_ID}:root`));
    assert.equal(created.result.status, 0, created.result.stderr);
    assert.deepEqual(created.writes, ['CreateRole']);
    assert.equal(applyJson(created.result).items[0]!.status.roleArn, `arn:aws-cn:iam::${ACCOUNT_ID}:role/cross-account`);

    const again = await applyAudited(['-f', '-'], input(ACCOUNT_ID));
    assert.equal(again.result.status, 0, again.result.stderr);
    assert.equal(applyJson(again.result).items[0]!.outcome, 'unchanged');
    assert.deepEqual(again.writes, []);

  });

  test('the example blueprint rendered for cn-north-1 applies in aws-cn; a second apply writes nothing', async () => {
    // The example's AWSProvider signs for us-east-1; in China it signs for a China Region.
    const example = await readFile(EXAMPLE_PATH, 'utf8');
    assert.ok(example.includes('\n  region: us-east-1\n'));
    const path = await server.writeFile('aoscloud-cn.yaml', example.replace('\n  region: us-east-1\n', '\n  region: cn-north-1\n'));
    const args = ['-f', path, '--set', 'project=aos', '--set', 'env=prod', '--set', 'region=cn-north-1', '--set', 'workloadTrust=irsa'];

    const first = await applyAudited(args);
    assert.equal(first.result.status, 0, first.result.stderr);
    assert.equal(applyJson(first.result).summary.created, 14);
    assert.equal(first.writes.filter((write) => write === 'CreateRole').length, 14);
    const attached = await awsCli(['iam', 'list-attached-role-policies', '--role-name', 'aos-prod-node-role']);
    assert.equal(attached.status, 0, attached.stderr);
    const arns = (JSON.parse(attached.stdout) as { AttachedPolicies: Array<{ PolicyArn: string }> }).AttachedPolicies.map((policy) => policy.PolicyArn).sort();
    assert.deepEqual(arns, [
      'arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser',
      'arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws-cn:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws-cn:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy',
    ]);

    const second = await applyAudited(args);
    assert.equal(second.result.status, 0, second.result.stderr);
    assert.equal(applyJson(second.result).summary.unchanged, 14);
    assert.deepEqual(second.writes, []);
  });
});
