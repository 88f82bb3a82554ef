/**
 * End to end against the real server (issue 10 proof: "The blueprint example renders and applies;
 * simulation shows each seed-000 service account's role allows its documented actions and denies the
 * others'"): `rolecall apply` of examples/aoscloud-blueprint.yaml with only project and env set, the
 * roles read back with the AWS CLI v2, SimulatePrincipalPolicy over every service-account role and
 * every documented permission, a second apply with zero writes, and a trust-mode switch converging.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { E2eServer, REPO_ROOT, cliJson } from './harness.js';
import { EXAMPLE_PATH } from '../declare/blueprint/example-blueprint.js';
import { CLUSTER_ROLES, RESOURCES, SERVICE_ACCOUNT_ROLES, SYSTEM_ROLES } from '../declare/blueprint/seed-000-inventory.js';

const run = promisify(execFile);

/** One documented permission: an action on a resource (with context), and the policies that grant it. */
interface Probe {
  action: string;
  resource: string;
  context?: Record<string, string>;
  grantedBy: string[];
}

// Seed 000's "Permissions by Service Account": one probe per documented action family and resource.
const PROBES: Probe[] = [
  { action: 's3:GetObject', resource: `${RESOURCES.backendBucket}/deployables/item.zip`, grantedBy: ['default_backend'] },
  { action: 's3:PutObject', resource: `${RESOURCES.backendBucket}/data/x`, grantedBy: ['default_backend'] },
  { action: 's3:DeleteObject', resource: `${RESOURCES.backendBucket}/data/x`, grantedBy: ['default_backend'] },
  { action: 's3:ListBucket', resource: RESOURCES.backendBucket, grantedBy: ['default_backend'] },
  { action: 's3:PutObject', resource: `${RESOURCES.infraBucket}/artifacts/a`, grantedBy: ['s3_infra'] },
  { action: 'kms:GenerateDataKey', resource: RESOURCES.kmsKey, grantedBy: ['default_backend', 's3_infra', 'secrets_manager_rw'] },
  { action: 'secretsmanager:GetSecretValue', resource: RESOURCES.secretUnderPath, grantedBy: ['secrets_manager_rw'] },
  { action: 'secretsmanager:CreateSecret', resource: RESOURCES.secretUnderPath, grantedBy: ['secrets_manager_rw'] },
  { action: 'secretsmanager:DeleteSecret', resource: RESOURCES.secretUnderPath, grantedBy: ['secrets_manager_rw'] },
  { action: 'secretsmanager:ListSecrets', resource: '*', grantedBy: ['secrets_manager_rw'] },
  { action: 'secretsmanager:GetSecretValue', resource: RESOURCES.secretElsewhere, grantedBy: [] },
  { action: 'ec2:DescribeInstances', resource: '*', grantedBy: ['ec2_task'] },
  {
    action: 'ec2:TerminateInstances',
    resource: RESOURCES.instance,
    context: { [`aws:ResourceTag/${RESOURCES.ec2Tag.key}`]: RESOURCES.ec2Tag.value },
    grantedBy: ['ec2_task'],
  },
  { action: 'ec2:TerminateInstances', resource: RESOURCES.instance, context: { [`aws:ResourceTag/${RESOURCES.ec2Tag.key}`]: 'someone-else' }, grantedBy: [] },
  {
    action: 'ec2:RunInstances',
    resource: RESOURCES.instance,
    context: { [`aws:RequestTag/${RESOURCES.ec2Tag.key}`]: RESOURCES.ec2Tag.value },
    grantedBy: ['ec2_task'],
  },
  { action: 'aws-marketplace:BatchMeterUsage', resource: '*', grantedBy: ['saas'] },
  { action: 'sts:AssumeRole', resource: RESOURCES.saasRole, grantedBy: ['saas'] },
  { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:123456789012:aos-subscriptions', grantedBy: ['saas'] },
  { action: 'logs:PutLogEvents', resource: 'arn:aws:logs:us-east-1:123456789012:log-group:aos:log-stream:x', grantedBy: ['CloudWatchAgentServerPolicy'] },
  { action: 'iam:CreateRole', resource: 'arn:aws:iam::123456789012:role/escalate', grantedBy: [] },
];

describe('examples/aoscloud-blueprint.yaml applied to the real server', () => {
  let server: E2eServer;
  let firstApply: string;

  const rolecall = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), ...args], { env: server.cliEnv(), cwd: server.workDir });
      return { status: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { status: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
  };

  before(async () => {
    server = await E2eServer.start();
    // Pod Identity trust (the default) also applies the associations, which name the cluster.
    const cluster = await rolecall(['cluster', 'create', 'aos-prod']);
    assert.equal(cluster.status, 0, cluster.stderr);
    const applied = await rolecall(['apply', '-f', EXAMPLE_PATH, '--set', 'project=aos', '--set', 'env=prod']);
    assert.equal(applied.status, 0, applied.stderr);
    firstApply = applied.stdout;
  });
  after(() => server.stop());

  test('rolecall apply -f BLUEPRINT --set project=aos --set env=prod creates the 14 roles of seed 000', () => {
    const created = firstApply.split('\n').filter((line) => line.startsWith('iamrole/') && line.endsWith(' created'));
    const expected = [...SERVICE_ACCOUNT_ROLES, ...SYSTEM_ROLES, ...CLUSTER_ROLES].map((role) => `iamrole/${role.roleName} created`);
    assert.deepEqual(created, expected);
  });

  test('the roles read back through the AWS CLI v2 with the seed tables\' policies', async () => {
    for (const inventory of [SERVICE_ACCOUNT_ROLES[4]!, SYSTEM_ROLES[2]!, CLUSTER_ROLES[1]!]) {
      const inline = cliJson<{ PolicyNames: string[] }>(await server.awsV2(['iam', 'list-role-policies', '--role-name', inventory.roleName]));
      assert.deepEqual(inline.PolicyNames.sort(), [...inventory.policies].sort());
      const attached = cliJson<{ AttachedPolicies: { PolicyArn: string }[] }>(await server.awsV2(['iam', 'list-attached-role-policies', '--role-name', inventory.roleName]));
      assert.deepEqual(attached.AttachedPolicies.map((p) => p.PolicyArn).sort(), [...inventory.managed].sort());
    }
    const app = cliJson<{ Role: { AssumeRolePolicyDocument: unknown; Tags?: { Key: string; Value: string }[] } }>(
      await server.awsV2(['iam', 'get-role', '--role-name', 'aos-prod-app']),
    );
    assert.deepEqual(app.Role.AssumeRolePolicyDocument, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
    });
  });

  test('simulate-principal-policy: each service-account role allows its documented actions and denies the others\'', async () => {
    const iam = server.iam();
    const mismatches: string[] = [];
    for (const inventory of SERVICE_ACCOUNT_ROLES) {
      const granted = new Set([...inventory.policies, ...inventory.managed.map((arn) => arn.slice(arn.lastIndexOf('/') + 1))]);
      for (const probe of PROBES) {
        const result = await iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: `arn:aws:iam::123456789012:role/${inventory.roleName}`,
            ActionNames: [probe.action],
            ResourceArns: [probe.resource],
            ContextEntries: Object.entries(probe.context ?? {}).map(([key, value]) => ({ ContextKeyName: key, ContextKeyValues: [value], ContextKeyType: 'string' })),
          }),
        );
        const decision = result.EvaluationResults![0]!.EvalDecision;
        const expected = probe.grantedBy.some((policy) => granted.has(policy)) ? 'allowed' : 'implicitDeny';
        if (decision !== expected) mismatches.push(`${inventory.roleName} ${probe.action} ${probe.resource}: ${decision}, expected ${expected}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  test('the same through the AWS CLI v2: sa_task may terminate managedby=aos-app instances, sa_app may not', async () => {
    const simulate = async (role: string) =>
      cliJson<{ EvaluationResults: { EvalDecision: string }[] }>(
        await server.awsV2([
          'iam', 'simulate-principal-policy',
          '--policy-source-arn', `arn:aws:iam::123456789012:role/${role}`,
          '--action-names', 'ec2:TerminateInstances',
          '--resource-arns', RESOURCES.instance,
          '--context-entries', 'ContextKeyName=aws:ResourceTag/managedby,ContextKeyValues=aos-app,ContextKeyType=string',
        ]),
      ).EvaluationResults[0]!.EvalDecision;
    assert.equal(await simulate('aos-prod-task'), 'allowed');
    assert.equal(await simulate('aos-prod-app'), 'implicitDeny');
  });

  test('a second apply is unchanged for every role; switching the trust mode with --set converges only the trust policies', async () => {
    const again = await rolecall(['apply', '-f', EXAMPLE_PATH, '--set', 'project=aos', '--set', 'env=prod']);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout.split('\n').filter((line) => line.startsWith('iamrole/') && line.endsWith(' unchanged')).length, 14, again.stdout);
    const irsa = await rolecall(['apply', '-f', EXAMPLE_PATH, '--set', 'project=aos', '--set', 'env=prod', '--set', 'workloadTrust=irsa']);
    assert.equal(irsa.status, 0, irsa.stderr);
    const configured = irsa.stdout.split('\n').filter((line) => line.endsWith(' configured'));
    assert.deepEqual(configured, SERVICE_ACCOUNT_ROLES.map((role) => `iamrole/${role.roleName} configured`));
    const trust = cliJson<{ Role: { AssumeRolePolicyDocument: { Statement: { Condition: unknown }[] } } }>(await server.awsV2(['iam', 'get-role', '--role-name', 'aos-prod-sd']));
    assert.deepEqual(trust.Role.AssumeRolePolicyDocument.Statement[0]!.Condition, {
      StringEquals: {
        'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:prod:sa-sd',
        'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com',
      },
    });
  });
});
