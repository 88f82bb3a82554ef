// SCPs and RCPs through the policy engine, with the levels organizationPoliciesFor reads from the store
// (orgs_manage_policies_scps_evaluation.html: every level from the root to the account must allow; the
// management account is exempt; orgs_manage_policies_rcps.html likewise for resources). The seed 003 SCP
// (DenyLeavingOrganization, RequireIMDSv2, DenyRegionsOutsideUS) evaluates as the seed says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { organizationPoliciesFor } from '../../src/organizations/index.js';
import { evaluate, type EvaluationResult } from '../../src/policy/index.js';
import type { ContextValue } from '../../src/policy/types.js';
import { call, createAccount, createPolicy, createUnit, MANAGEMENT, newOrganization, newStore, type Organization } from './fixtures.js';

const ADMINISTRATOR = { name: 'AdministratorAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

// 003_8afecf2cee27b40b.txt, "Service Control Policies" / "Common SCP patterns", as the seed prints it
// (kept here: the seeds live outside the repository).
const SEED_003_SCP = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyLeavingOrganization",
      "Effect": "Deny",
      "Action": "organizations:LeaveOrganization",
      "Resource": "*"
    },
    {
      "Sid": "RequireIMDSv2",
      "Effect": "Deny",
      "Action": "ec2:RunInstances",
      "Resource": "arn:aws:ec2:*:*:instance/*",
      "Condition": {
        "StringNotEquals": {
          "ec2:MetadataHttpTokens": "required"
        }
      }
    },
    {
      "Sid": "DenyRegionsOutsideUS",
      "Effect": "Deny",
      "NotAction": [
        "iam:*",
        "sts:*",
        "cloudfront:*",
        "route53:*",
        "route53resolver:*",
        "support:*",
        "budgets:*",
        "organizations:*",
        "account:*",
        "health:*",
        "globalaccelerator:*",
        "waf:*",
        "trustedadvisor:*"
      ],
      "Resource": "*",
      "Condition": {
        "StringNotEquals": {
          "aws:RequestedRegion": ["us-east-1", "us-west-2"]
        }
      }
    }
  ]
}`;

interface Request {
  principal: string;
  action: string;
  resource?: string;
  region?: string;
  context?: Record<string, ContextValue>;
}

/** The decision for a principal of `account` with AdministratorAccess, as authorize.ts asks the engine. */
async function decide(org: Organization, account: string, request: Request): Promise<EvaluationResult> {
  const organization = await org.store.read((reader) => organizationPoliciesFor(reader, account));
  return evaluate({
    request: {
      principal: request.principal,
      action: request.action,
      resource: request.resource ?? '*',
      resourceAccount: account,
      context: { 'aws:RequestedRegion': request.region ?? 'us-east-1', ...request.context },
    },
    identityPolicies: [ADMINISTRATOR],
    ...organization,
  });
}

async function seedOrganization() {
  const org = await newOrganization();
  const member = await createAccount(org, 'workloads');
  const scp = await createPolicy(org, 'SeedGuardrails', SEED_003_SCP);
  await call(org.management, 'AttachPolicy', { PolicyId: scp, TargetId: org.rootId });
  return { org, member, scp };
}

test('organizationPoliciesFor: undefined outside an organization; levels root → OUs → account inside one', async () => {
  const store = await newStore();
  assert.equal(await store.read((reader) => organizationPoliciesFor(reader, MANAGEMENT)), undefined);

  const org = await newOrganization();
  const prod = await createUnit(org, 'Prod');
  const team = await createUnit(org, 'Team', prod);
  const account = await createAccount(org, 'app');
  await call(org.management, 'MoveAccount', { AccountId: account, SourceParentId: org.rootId, DestinationParentId: team });
  const allowS3 = await createPolicy(org, 'AllowS3', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  await call(org.management, 'AttachPolicy', { PolicyId: allowS3, TargetId: team });
  const policies = await org.store.read((reader) => organizationPoliciesFor(reader, account));
  assert.ok(policies);
  assert.equal(policies.managementAccount, MANAGEMENT);
  assert.deepEqual(policies.serviceControlPolicies.map((level) => level.map((policy) => policy.name)), [
    ['FullAWSAccess'], ['FullAWSAccess'], ['FullAWSAccess', 'AllowS3'], ['FullAWSAccess'],
  ]);
  // RCPs are not enabled: no levels, so they restrict nothing.
  assert.deepEqual(policies.resourceControlPolicies, []);
});

test('Seed 003 DenyLeavingOrganization: a member principal is denied even with AdministratorAccess', async () => {
  const { org, member } = await seedOrganization();
  const result = await decide(org, member, { principal: `arn:aws:iam::${member}:role/admin`, action: 'organizations:LeaveOrganization' });
  assert.equal(result.decision, 'ExplicitDeny');
  assert.equal(result.deniedBy, 'scp');
  // SCPs bind a member account's root user too.
  const root = await decide(org, member, { principal: `arn:aws:iam::${member}:root`, action: 'organizations:LeaveOrganization' });
  assert.equal(root.decision, 'ExplicitDeny');
});

test('Seed 003 RequireIMDSv2: RunInstances is denied unless ec2:MetadataHttpTokens is "required"', async () => {
  const { org, member } = await seedOrganization();
  const principal = `arn:aws:iam::${member}:role/admin`;
  const instance = `arn:aws:ec2:us-east-1:${member}:instance/*`;
  const without = await decide(org, member, { principal, action: 'ec2:RunInstances', resource: instance });
  assert.equal(without.decision, 'ExplicitDeny');
  const optional = await decide(org, member, { principal, action: 'ec2:RunInstances', resource: instance, context: { 'ec2:MetadataHttpTokens': 'optional' } });
  assert.equal(optional.decision, 'ExplicitDeny');
  const required = await decide(org, member, { principal, action: 'ec2:RunInstances', resource: instance, context: { 'ec2:MetadataHttpTokens': 'required' } });
  assert.equal(required.decision, 'Allow');
  // The statement names instances only: other resources of the same call are not caught by it.
  const volume = await decide(org, member, { principal, action: 'ec2:RunInstances', resource: `arn:aws:ec2:us-east-1:${member}:volume/*` });
  assert.equal(volume.decision, 'Allow');
});

test('Seed 003 DenyRegionsOutsideUS: NotAction exempts global services; others only in us-east-1 and us-west-2', async () => {
  const { org, member } = await seedOrganization();
  const principal = `arn:aws:iam::${member}:role/admin`;
  const cases: Array<[string, string, string]> = [
    ['s3:GetObject', 'eu-west-1', 'ExplicitDeny'],
    ['ec2:DescribeInstances', 'ap-southeast-2', 'ExplicitDeny'],
    ['s3:GetObject', 'us-east-1', 'Allow'],
    ['dynamodb:GetItem', 'us-west-2', 'Allow'],
    ['iam:CreateRole', 'eu-west-1', 'Allow'],
    ['sts:AssumeRole', 'eu-central-1', 'Allow'],
    ['route53:ChangeResourceRecordSets', 'eu-west-1', 'Allow'],
    ['support:DescribeCases', 'eu-west-1', 'Allow'],
  ];
  for (const [action, region, expected] of cases) {
    const result = await decide(org, member, { principal, action, region });
    assert.equal(result.decision, expected, `${action} in ${region}`);
  }
});

test('The management account is exempt from SCPs (orgs_manage_policies_scps.html)', async () => {
  const { org } = await seedOrganization();
  const principal = `arn:aws:iam::${MANAGEMENT}:role/admin`;
  assert.equal((await decide(org, MANAGEMENT, { principal, action: 'organizations:LeaveOrganization' })).decision, 'Allow');
  assert.equal((await decide(org, MANAGEMENT, { principal, action: 's3:GetObject', region: 'eu-west-1' })).decision, 'Allow');
});

test('FullAWSAccess detached from an OU: its accounts keep only what the remaining SCP allows (implicit deny)', async () => {
  const org = await newOrganization();
  const sandbox = await createUnit(org, 'Sandbox');
  const inside = await createAccount(org, 'sandbox');
  const outside = await createAccount(org, 'other');
  await call(org.management, 'MoveAccount', { AccountId: inside, SourceParentId: org.rootId, DestinationParentId: sandbox });
  const allowS3 = await createPolicy(org, 'AllowS3Only', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  await call(org.management, 'AttachPolicy', { PolicyId: allowS3, TargetId: sandbox });
  await call(org.management, 'DetachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: sandbox });

  const s3 = await decide(org, inside, { principal: `arn:aws:iam::${inside}:role/admin`, action: 's3:PutObject' });
  assert.equal(s3.decision, 'Allow');
  const ec2 = await decide(org, inside, { principal: `arn:aws:iam::${inside}:role/admin`, action: 'ec2:DescribeInstances' });
  assert.equal(ec2.decision, 'ImplicitDeny');
  assert.equal(ec2.deniedBy, 'scp');
  const elsewhere = await decide(org, outside, { principal: `arn:aws:iam::${outside}:role/admin`, action: 'ec2:DescribeInstances' });
  assert.equal(elsewhere.decision, 'Allow');

  // Disabling SCPs lifts every restriction.
  await call(org.management, 'DisablePolicyType', { RootId: org.rootId, PolicyType: 'SERVICE_CONTROL_POLICY' });
  const lifted = await decide(org, inside, { principal: `arn:aws:iam::${inside}:role/admin`, action: 'ec2:DescribeInstances' });
  assert.equal(lifted.decision, 'Allow');
});

test('RCPs: a deny RCP binds the member account\'s resources, not the management account\'s', async () => {
  const org = await newOrganization();
  await call(org.management, 'EnablePolicyType', { RootId: org.rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' });
  const member = await createAccount(org, 'data');
  const denyInsecure = await createPolicy(org, 'DenyInsecureTransport', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }],
  }, 'RESOURCE_CONTROL_POLICY');
  await call(org.management, 'AttachPolicy', { PolicyId: denyInsecure, TargetId: org.rootId });
  const policies = await org.store.read((reader) => organizationPoliciesFor(reader, member));
  assert.deepEqual(policies?.resourceControlPolicies.map((level) => level.map((policy) => policy.name)), [
    ['RCPFullAWSAccess', 'DenyInsecureTransport'], ['RCPFullAWSAccess'],
  ]);

  const get = (account: string, secure: string) =>
    decide(org, account, {
      principal: `arn:aws:iam::${account}:role/reader`,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket/key',
      context: { 'aws:SecureTransport': secure },
    });
  const insecure = await get(member, 'false');
  assert.equal(insecure.decision, 'ExplicitDeny');
  assert.equal(insecure.deniedBy, 'rcp');
  assert.equal((await get(member, 'true')).decision, 'Allow');
  assert.equal((await get(MANAGEMENT, 'false')).decision, 'Allow');
});
