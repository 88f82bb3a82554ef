// Managed policy attachments as IAM documents them (API_AttachRolePolicy.html, API_DetachRolePolicy.html,
// API_ListAttachedRolePolicies.html and their user and group siblings; reference_iam-quotas.html, "Managed
// policies attached to an IAM role/user/group": 10 by default), with the policy's AttachmentCount kept in
// step, driven through the operations over a real in-memory SQLite store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, NOW, call, newContext, operation, rejects } from './fixtures.js';
import type { Group, User } from '../../src/model/entities.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { OperationContext } from '../../src/iam/operation.js';

const S3_READ_ONLY = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const LAMBDA_BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';





const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function allow(action: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
}

async function attachmentCount(context: OperationContext, arn: string): Promise<number> {
  return (await call(context, 'GetPolicy', { PolicyArn: arn })).Policy.AttachmentCount;
}

// Users and groups are created by users.ts/groups.ts; these tests only need them to exist.
async function addUser(context: OperationContext, name: string, boundary?: string): Promise<void> {
  const user: User = {
    AccountId: context.accountId,
    UserName: name,
    UserId: 'AIDAEXAMPLEEXAMPLE123',
    Path: '/',
    Arn: `arn:aws:iam::${context.accountId}:user/${name}`,
    CreateDate: NOW.toISOString(),
    ...(boundary ? { PermissionsBoundaryArn: boundary } : {}),
    Tags: [{ Key: 'team', Value: 'blue' }],
    InlinePolicies: {},
    AttachedPolicyArns: [],
    Groups: [],
  };
  await context.store.write((writer) => writer.insert('user', context.accountId, name, user));
}

async function addGroup(context: OperationContext, name: string): Promise<void> {
  const group: Group = {
    AccountId: context.accountId,
    GroupName: name,
    GroupId: 'AGPAEXAMPLEEXAMPLE123',
    Path: '/',
    Arn: `arn:aws:iam::${context.accountId}:group/${name}`,
    CreateDate: NOW.toISOString(),
    InlinePolicies: {},
    AttachedPolicyArns: [],
  };
  await context.store.write((writer) => writer.insert('group', context.accountId, name, group));
}

test('seed 001: the Lambda role gets AWSLambdaBasicExecutionRole and its inline DynamoDB policy', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'lambda-execution-role', Description: 'Role for Lambda function execution', AssumeRolePolicyDocument: TRUST });
  await call(context, 'AttachRolePolicy', { RoleName: 'lambda-execution-role', PolicyArn: LAMBDA_BASIC });
  const attached = await call(context, 'ListAttachedRolePolicies', { RoleName: 'lambda-execution-role' });
  assert.deepEqual(attached, { AttachedPolicies: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: LAMBDA_BASIC }], IsTruncated: false });
  assert.equal(await attachmentCount(context, LAMBDA_BASIC), 1);
});

test('AttachRolePolicy: idempotent, counted on the policy, and detached with DetachRolePolicy', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await call(context, 'CreateRole', { RoleName: 'other', AssumeRolePolicyDocument: TRUST });
  assert.equal(await attachmentCount(context, S3_READ_ONLY), 0);
  await call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: S3_READ_ONLY });
  await call(context, 'AttachRolePolicy', { RoleName: 'APP', PolicyArn: S3_READ_ONLY });
  assert.equal((await call(context, 'ListAttachedRolePolicies', { RoleName: 'app' })).AttachedPolicies.length, 1, 'attaching again changes nothing');
  assert.equal(await attachmentCount(context, S3_READ_ONLY), 1);
  await call(context, 'AttachRolePolicy', { RoleName: 'other', PolicyArn: S3_READ_ONLY });
  assert.equal(await attachmentCount(context, S3_READ_ONLY), 2);

  await call(context, 'DetachRolePolicy', { RoleName: 'app', PolicyArn: S3_READ_ONLY });
  assert.deepEqual((await call(context, 'ListAttachedRolePolicies', { RoleName: 'app' })).AttachedPolicies, []);
  assert.equal(await attachmentCount(context, S3_READ_ONLY), 1);
  await rejects(call(context, 'DetachRolePolicy', { RoleName: 'app', PolicyArn: S3_READ_ONLY }), 'NoSuchEntity', `Policy ${S3_READ_ONLY} was not found.`);
  await call(context, 'DetachRolePolicy', { RoleName: 'other', PolicyArn: S3_READ_ONLY });
  assert.equal(await attachmentCount(context, S3_READ_ONLY), 0);
});

test('AttachRolePolicy: a missing policy or role is NoSuchEntity with IAM messages', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await rejects(
    call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/service-role/ConfigRole' }),
    'NoSuchEntity',
    'Policy arn:aws:iam::aws:policy/service-role/ConfigRole does not exist or is not attachable.',
  );
  await rejects(
    call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/AmazonEKS_CNI_IPv6_Policy` }),
    'NoSuchEntity',
    `Policy arn:aws:iam::${ACCOUNT}:policy/AmazonEKS_CNI_IPv6_Policy does not exist or is not attachable.`,
  );
  await rejects(call(context, 'AttachRolePolicy', { RoleName: 'ghost', PolicyArn: S3_READ_ONLY }), 'NoSuchEntity', 'The role with name ghost cannot be found.');
  await rejects(call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:s3:::not-a-policy-arn' }), 'InvalidInput', 'ARN arn:aws:s3:::not-a-policy-arn is not valid.');
  assert.deepEqual((await call(context, 'ListAttachedRolePolicies', { RoleName: 'app' })).AttachedPolicies, []);
});

test('at most 10 managed policies per role, user and group (Cannot exceed quota for PoliciesPerX: 10)', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await addUser(context, 'alice');
  await addGroup(context, 'devs');
  const arns: string[] = [];
  for (let i = 0; i < 11; i++) arns.push((await call(context, 'CreatePolicy', { PolicyName: `P${i}`, PolicyDocument: allow(`s3:Get${i}`) })).Policy.Arn);
  for (const [operationName, member, name, quota] of [
    ['AttachRolePolicy', 'RoleName', 'app', 'PoliciesPerRole'],
    ['AttachUserPolicy', 'UserName', 'alice', 'PoliciesPerUser'],
    ['AttachGroupPolicy', 'GroupName', 'devs', 'PoliciesPerGroup'],
  ] as const) {
    for (const arn of arns.slice(0, 10)) await call(context, operationName, { [member]: name, PolicyArn: arn });
    await rejects(call(context, operationName, { [member]: name, PolicyArn: arns[10] }), 'LimitExceeded', `Cannot exceed quota for ${quota}: 10`);
    // Re-attaching one already attached is not a new attachment, so it does not hit the quota.
    await call(context, operationName, { [member]: name, PolicyArn: arns[0] });
  }
  assert.equal(await attachmentCount(context, arns[0]!), 3);
  assert.equal(await attachmentCount(context, arns[10]!), 0);
});

test('user and group attachments: attach, list, detach, and the policy counts each entity once', async () => {
  const context = newContext();
  await addUser(context, 'alice');
  await addGroup(context, 'devs');
  const arn = (await call(context, 'CreatePolicy', { PolicyName: 'Shared', Path: '/team/', PolicyDocument: allow('s3:*') })).Policy.Arn;
  await call(context, 'AttachUserPolicy', { UserName: 'Alice', PolicyArn: arn });
  await call(context, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  await call(context, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: arn });
  assert.equal(await attachmentCount(context, arn), 2);
  assert.deepEqual((await call(context, 'ListAttachedUserPolicies', { UserName: 'alice' })).AttachedPolicies, [
    { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    { PolicyName: 'Shared', PolicyArn: arn },
  ]);
  assert.deepEqual((await call(context, 'ListAttachedUserPolicies', { UserName: 'alice', PathPrefix: '/team/' })).AttachedPolicies, [
    { PolicyName: 'Shared', PolicyArn: arn },
  ]);
  assert.deepEqual((await call(context, 'ListAttachedGroupPolicies', { GroupName: 'devs' })).AttachedPolicies, [{ PolicyName: 'Shared', PolicyArn: arn }]);
  await rejects(call(context, 'DeletePolicy', { PolicyArn: arn }), 'DeleteConflict', 'Cannot delete a policy attached to entities.');
  await call(context, 'DetachUserPolicy', { UserName: 'alice', PolicyArn: arn });
  await call(context, 'DetachGroupPolicy', { GroupName: 'devs', PolicyArn: arn });
  await rejects(call(context, 'DetachGroupPolicy', { GroupName: 'devs', PolicyArn: arn }), 'NoSuchEntity', `Policy ${arn} was not found.`);
  await rejects(call(context, 'AttachUserPolicy', { UserName: 'bob', PolicyArn: arn }), 'NoSuchEntity', 'The user with name bob cannot be found.');
  await rejects(call(context, 'ListAttachedGroupPolicies', { GroupName: 'ops' }), 'NoSuchEntity', 'The group with name ops cannot be found.');
  assert.equal(await attachmentCount(context, arn), 0);
  await call(context, 'DeletePolicy', { PolicyArn: arn });
});

test('ListAttachedRolePolicies: PathPrefix on the policies and Marker/MaxItems pagination', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  const arns = [
    'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
    'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
    LAMBDA_BASIC,
    'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
  ];
  for (const arn of arns) await call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: arn });
  const serviceRole = (await call(context, 'ListAttachedRolePolicies', { RoleName: 'app', PathPrefix: '/service-role/' })).AttachedPolicies;
  assert.deepEqual(
    serviceRole.map((policy: { PolicyName: string }) => policy.PolicyName),
    ['AmazonECSTaskExecutionRolePolicy', 'AWSLambdaBasicExecutionRole'],
  );
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await call(context, 'ListAttachedRolePolicies', { RoleName: 'app', MaxItems: 2, ...(marker ? { Marker: marker } : {}) });
    names.push(...page.AttachedPolicies.map((policy: { PolicyName: string }) => policy.PolicyName));
    marker = page.Marker;
  } while (marker);
  assert.deepEqual(names, [
    'AmazonEC2ContainerRegistryReadOnly',
    'AmazonECSTaskExecutionRolePolicy',
    'AmazonSSMManagedInstanceCore',
    'AWSLambdaBasicExecutionRole',
    'CloudWatchAgentServerPolicy',
  ]);
});

test('AWS managed policy attachment counts are kept per account', async () => {
  const store = new SqliteStore(':memory:');
  const first = newContext(ACCOUNT, store);
  const second = newContext('210987654321', store);
  await call(first, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await call(second, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await call(first, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: S3_READ_ONLY });
  assert.equal(await attachmentCount(first, S3_READ_ONLY), 1);
  assert.equal(await attachmentCount(second, S3_READ_ONLY), 0);
  assert.deepEqual((await call(second, 'ListEntitiesForPolicy', { PolicyArn: S3_READ_ONLY })).PolicyRoles, []);
  assert.deepEqual(
    (await call(first, 'ListEntitiesForPolicy', { PolicyArn: S3_READ_ONLY })).PolicyRoles.map((role: { RoleName: string }) => role.RoleName),
    ['app'],
  );
  // A customer policy of another account cannot be attached: it is not visible from this one.
  const foreign = (await call(second, 'CreatePolicy', { PolicyName: 'Foreign', PolicyDocument: allow('s3:*') })).Policy.Arn;
  await rejects(call(first, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: foreign }), 'NoSuchEntity', `Policy ${foreign} does not exist or is not attachable.`);
});

test('authorize: attach and detach carry iam:PolicyARN; users add their tags and boundary, groups neither', async () => {
  const context = newContext();
  const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
  await addUser(context, 'alice', boundary);
  await addGroup(context, 'devs');
  assert.deepEqual(await operation('AttachUserPolicy').authorize(context, { UserName: 'alice', PolicyArn: S3_READ_ONLY }), [
    {
      action: 'iam:AttachUserPolicy',
      resource: `arn:aws:iam::${ACCOUNT}:user/alice`,
      context: { 'aws:ResourceTag/team': 'blue', 'iam:ResourceTag/team': 'blue', 'iam:PermissionsBoundary': boundary, 'iam:PolicyARN': S3_READ_ONLY },
    },
  ]);
  assert.deepEqual(await operation('DetachGroupPolicy').authorize(context, { GroupName: 'devs', PolicyArn: S3_READ_ONLY }), [
    { action: 'iam:DetachGroupPolicy', resource: `arn:aws:iam::${ACCOUNT}:group/devs`, context: { 'iam:PolicyARN': S3_READ_ONLY } },
  ]);
  assert.deepEqual(await operation('ListAttachedUserPolicies').authorize(context, { UserName: 'alice' }), [
    { action: 'iam:ListAttachedUserPolicies', resource: `arn:aws:iam::${ACCOUNT}:user/alice`, context: { 'aws:ResourceTag/team': 'blue', 'iam:ResourceTag/team': 'blue' } },
  ]);
  assert.deepEqual(await operation('PutUserPolicy').authorize(context, { UserName: 'alice', PolicyName: 'p', PolicyDocument: allow('s3:*') }), [
    {
      action: 'iam:PutUserPolicy',
      resource: `arn:aws:iam::${ACCOUNT}:user/alice`,
      context: { 'aws:ResourceTag/team': 'blue', 'iam:ResourceTag/team': 'blue', 'iam:PermissionsBoundary': boundary },
    },
  ]);
});
