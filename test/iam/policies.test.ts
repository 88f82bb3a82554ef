// Inline and managed policies as IAM documents them: API_PutRolePolicy.html (and its user and group
// siblings), API_CreatePolicy.html, API_DeletePolicy.html, API_ListPolicies.html,
// API_CreatePolicyVersion.html, API_DeletePolicyVersion.html, API_ListEntitiesForPolicy.html,
// access_policies_managed-versioning.html and reference_iam-quotas.html; the AWS managed policies with
// their real documents. Driven through the operations over a real in-memory SQLite store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, NOW, call, newContext, operation, rejects } from './fixtures.js';
import type { Group, User } from '../../src/model/entities.js';
import { getAwsManagedPolicy, listAwsManagedPolicies } from '../../src/iam/aws-managed-policies.js';
import type { OperationContext } from '../../src/iam/operation.js';
import { validatePolicy } from '../../src/policy/index.js';






const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function allow(action: string, resource = '*'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
}

/** A policy whose size without white space is exactly `size` characters. */
function policyOfSize(size: number): string {
  const base = allow('s3:GetObject', 'arn:aws:s3:::');
  const padding = size - base.length;
  assert.ok(padding >= 0);
  return allow('s3:GetObject', `arn:aws:s3:::${'b'.repeat(padding)}`);
}

// Users and groups are created by users.ts/groups.ts; these tests only need them to exist.
async function addUser(context: OperationContext, name: string): Promise<void> {
  const user: User = {
    AccountId: context.accountId,
    UserName: name,
    UserId: 'AIDAEXAMPLEEXAMPLE123',
    Path: '/',
    Arn: `arn:aws:iam::${context.accountId}:user/${name}`,
    CreateDate: NOW.toISOString(),
    Tags: [],
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

// ---------------------------------------------------------------------------------------------------
// Inline policies

test('inline role policy: put, get, list, replace ignoring case, delete; NoSuchEntity messages', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'e2e-lambda-execution-role', Path: '/lambda/', AssumeRolePolicyDocument: TRUST });
  const dynamo = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], Resource: 'arn:aws:dynamodb:*:*:table/e2e-*' },
    ],
  });
  await call(context, 'PutRolePolicy', { RoleName: 'e2e-lambda-execution-role', PolicyName: 'CustomDynamoDBAccess', PolicyDocument: dynamo });
  await call(context, 'PutRolePolicy', { RoleName: 'e2e-lambda-execution-role', PolicyName: 'alpha', PolicyDocument: allow('s3:GetObject') });
  assert.deepEqual((await call(context, 'ListRolePolicies', { RoleName: 'e2e-lambda-execution-role' })).PolicyNames, ['alpha', 'CustomDynamoDBAccess']);
  assert.deepEqual(await call(context, 'GetRolePolicy', { RoleName: 'E2E-LAMBDA-EXECUTION-ROLE', PolicyName: 'customdynamodbaccess' }), {
    RoleName: 'e2e-lambda-execution-role',
    PolicyName: 'CustomDynamoDBAccess',
    PolicyDocument: dynamo,
  });

  // A put under the same name in other case replaces the policy rather than adding one.
  await call(context, 'PutRolePolicy', { RoleName: 'e2e-lambda-execution-role', PolicyName: 'ALPHA', PolicyDocument: allow('s3:PutObject') });
  assert.deepEqual((await call(context, 'ListRolePolicies', { RoleName: 'e2e-lambda-execution-role' })).PolicyNames, ['ALPHA', 'CustomDynamoDBAccess']);
  assert.equal((await call(context, 'GetRolePolicy', { RoleName: 'e2e-lambda-execution-role', PolicyName: 'alpha' })).PolicyDocument, allow('s3:PutObject'));

  await call(context, 'DeleteRolePolicy', { RoleName: 'e2e-lambda-execution-role', PolicyName: 'alpha' });
  await rejects(
    call(context, 'GetRolePolicy', { RoleName: 'e2e-lambda-execution-role', PolicyName: 'alpha' }),
    'NoSuchEntity',
    'The role policy with name alpha cannot be found.',
  );
  await rejects(
    call(context, 'DeleteRolePolicy', { RoleName: 'e2e-lambda-execution-role', PolicyName: 'AWSLambdaBasicExecutionRole' }),
    'NoSuchEntity',
    'The role policy with name AWSLambdaBasicExecutionRole cannot be found.',
  );
  await rejects(call(context, 'PutRolePolicy', { RoleName: 'ghost', PolicyName: 'p', PolicyDocument: allow('s3:*') }), 'NoSuchEntity', 'The role with name ghost cannot be found.');
  await rejects(call(context, 'ListRolePolicies', { RoleName: 'ghost' }), 'NoSuchEntity', 'The role with name ghost cannot be found.');
});

test('inline policies are validated as identity policies; Version may be omitted inline', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  const withPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] });
  await rejects(call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'p', PolicyDocument: withPrincipal }), 'MalformedPolicyDocument', 'Policy document should not specify a principal.');
  await rejects(call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'p', PolicyDocument: '{"Statement": [' }), 'MalformedPolicyDocument', 'Syntax errors in policy.');
  const noVersion = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  await call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'legacy', PolicyDocument: noVersion });
  await rejects(
    call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'bad name', PolicyDocument: noVersion }),
    'ValidationError',
    "1 validation error detected: Value 'bad name' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
  assert.deepEqual((await call(context, 'ListRolePolicies', { RoleName: 'app' })).PolicyNames, ['legacy']);
});

test('inline policies: aggregate quotas role 10,240 / user 2,048 / group 5,120, white space not counted', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await addUser(context, 'alice');
  await addGroup(context, 'devs');

  await call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'a', PolicyDocument: policyOfSize(6000) });
  await call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'b', PolicyDocument: policyOfSize(4240) });
  await rejects(
    call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'c', PolicyDocument: allow('s3:*') }),
    'LimitExceeded',
    'Maximum policy size of 10240 bytes exceeded for role app',
  );
  // Replacing a policy counts the new document instead of the old one.
  await call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'b', PolicyDocument: policyOfSize(4000) });
  await call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'c', PolicyDocument: policyOfSize(240) });

  const spaced = JSON.stringify(JSON.parse(policyOfSize(2048)), null, 8);
  assert.ok(spaced.length > 2048);
  await call(context, 'PutUserPolicy', { UserName: 'alice', PolicyName: 'spaced', PolicyDocument: spaced });
  await rejects(
    call(context, 'PutUserPolicy', { UserName: 'alice', PolicyName: 'more', PolicyDocument: allow('s3:*') }),
    'LimitExceeded',
    'Maximum policy size of 2048 bytes exceeded for user alice',
  );
  await call(context, 'PutGroupPolicy', { GroupName: 'devs', PolicyName: 'big', PolicyDocument: policyOfSize(5120) });
  await rejects(
    call(context, 'PutGroupPolicy', { GroupName: 'devs', PolicyName: 'more', PolicyDocument: allow('s3:*') }),
    'LimitExceeded',
    'Maximum policy size of 5120 bytes exceeded for group devs',
  );
});

test('inline user and group policies: the same operations with their own names and messages', async () => {
  const context = newContext();
  await addUser(context, 'alice');
  await addGroup(context, 'devs');
  await call(context, 'PutUserPolicy', { UserName: 'ALICE', PolicyName: 'read', PolicyDocument: allow('s3:GetObject') });
  assert.deepEqual(await call(context, 'GetUserPolicy', { UserName: 'alice', PolicyName: 'read' }), {
    UserName: 'alice',
    PolicyName: 'read',
    PolicyDocument: allow('s3:GetObject'),
  });
  assert.deepEqual((await call(context, 'ListUserPolicies', { UserName: 'alice' })).PolicyNames, ['read']);
  await call(context, 'DeleteUserPolicy', { UserName: 'alice', PolicyName: 'read' });
  await rejects(call(context, 'GetUserPolicy', { UserName: 'alice', PolicyName: 'read' }), 'NoSuchEntity', 'The user policy with name read cannot be found.');
  await rejects(call(context, 'PutUserPolicy', { UserName: 'bob', PolicyName: 'p', PolicyDocument: allow('s3:*') }), 'NoSuchEntity', 'The user with name bob cannot be found.');

  await call(context, 'PutGroupPolicy', { GroupName: 'devs', PolicyName: 'write', PolicyDocument: allow('s3:PutObject') });
  assert.equal((await call(context, 'GetGroupPolicy', { GroupName: 'Devs', PolicyName: 'WRITE' })).GroupName, 'devs');
  assert.deepEqual((await call(context, 'ListGroupPolicies', { GroupName: 'devs' })).PolicyNames, ['write']);
  await call(context, 'DeleteGroupPolicy', { GroupName: 'devs', PolicyName: 'write' });
  await rejects(call(context, 'DeleteGroupPolicy', { GroupName: 'devs', PolicyName: 'write' }), 'NoSuchEntity', 'The group policy with name write cannot be found.');
  await rejects(call(context, 'ListGroupPolicies', { GroupName: 'ops' }), 'NoSuchEntity', 'The group with name ops cannot be found.');
});

test('ListRolePolicies paginates with Marker and MaxItems', async () => {
  const context = newContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  for (const name of ['e', 'b', 'd', 'a', 'c']) await call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: name, PolicyDocument: allow(`s3:${name}`) });
  const first = await call(context, 'ListRolePolicies', { RoleName: 'app', MaxItems: 2 });
  assert.deepEqual(first.PolicyNames, ['a', 'b']);
  assert.equal(first.IsTruncated, true);
  const second = await call(context, 'ListRolePolicies', { RoleName: 'app', MaxItems: 2, Marker: first.Marker });
  assert.deepEqual(second.PolicyNames, ['c', 'd']);
  const third = await call(context, 'ListRolePolicies', { RoleName: 'app', MaxItems: 2, Marker: second.Marker });
  assert.deepEqual(third.PolicyNames, ['e']);
  assert.equal(third.IsTruncated, false);
  assert.equal(third.Marker, undefined);
});

// ---------------------------------------------------------------------------------------------------
// Customer managed policies

test('CreatePolicy: v1 default, ANPA id, ARN with path; GetPolicy adds the description', async () => {
  const context = newContext();
  const created = (
    await call(context, 'CreatePolicy', {
      PolicyName: 'DeveloperBoundaryPolicy',
      Path: '/boundaries/',
      PolicyDocument: allow('s3:*'),
      Description: 'limits developers',
      Tags: [{ Key: 'team', Value: 'platform' }],
    })
  ).Policy;
  assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:policy/boundaries/DeveloperBoundaryPolicy`);
  assert.match(created.PolicyId, /^ANPA[A-Z2-7]{17}$/);
  assert.equal(created.DefaultVersionId, 'v1');
  assert.equal(created.AttachmentCount, 0);
  assert.equal(created.PermissionsBoundaryUsageCount, 0);
  assert.equal(created.IsAttachable, true);
  assert.equal(created.CreateDate, NOW.toISOString());
  assert.equal(created.UpdateDate, NOW.toISOString());
  assert.equal(created.Description, undefined, 'only GetPolicy returns the description');
  assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'platform' }]);
  const fetched = (await call(context, 'GetPolicy', { PolicyArn: created.Arn })).Policy;
  assert.equal(fetched.Description, 'limits developers');
  assert.equal(fetched.PolicyId, created.PolicyId);
  const version = (await call(context, 'GetPolicyVersion', { PolicyArn: created.Arn, VersionId: 'v1' })).PolicyVersion;
  assert.deepEqual(version, { Document: allow('s3:*'), VersionId: 'v1', IsDefaultVersion: true, CreateDate: NOW.toISOString() });
});

test('CreatePolicy: unique names ignoring case and path; validated as a managed identity policy of at most 6,144 characters', async () => {
  const context = newContext();
  await call(context, 'CreatePolicy', { PolicyName: 'Shared', PolicyDocument: allow('s3:*') });
  await rejects(
    call(context, 'CreatePolicy', { PolicyName: 'shared', Path: '/other/', PolicyDocument: allow('s3:*') }),
    'EntityAlreadyExists',
    'A policy called shared already exists. Duplicate names are not allowed.',
  );
  await rejects(
    call(context, 'CreatePolicy', { PolicyName: 'big', PolicyDocument: policyOfSize(6145) }),
    'LimitExceeded',
    'Cannot exceed quota for PolicySize: 6144',
  );
  await call(context, 'CreatePolicy', { PolicyName: 'exact', PolicyDocument: policyOfSize(6144) });
  const oldVersion = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  await rejects(
    call(context, 'CreatePolicy', { PolicyName: 'old', PolicyDocument: oldVersion }),
    'MalformedPolicyDocument',
    'Policy document must be version 2012-10-17 or greater.',
  );
  await rejects(
    call(context, 'CreatePolicy', { PolicyName: 'p', Path: 'bad', PolicyDocument: allow('s3:*') }),
    'ValidationError',
    'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
  );
});

test('GetPolicy: unknown ARNs are NoSuchEntity, malformed ones InvalidInput, other accounts invisible', async () => {
  const context = newContext();
  const arn = `arn:aws:iam::${ACCOUNT}:policy/Missing`;
  await rejects(call(context, 'GetPolicy', { PolicyArn: arn }), 'NoSuchEntity', `Policy ${arn} was not found.`);
  await rejects(call(context, 'GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/NoSuchAWSPolicy' }), 'NoSuchEntity', 'Policy arn:aws:iam::aws:policy/NoSuchAWSPolicy was not found.');
  await rejects(call(context, 'GetPolicy', { PolicyArn: 'not-an-arn-but-long-enough' }), 'InvalidInput', 'ARN not-an-arn-but-long-enough is not valid.');
  await rejects(
    call(context, 'GetPolicy', { PolicyArn: 'short' }),
    'ValidationError',
    "1 validation error detected: Value 'short' at 'policyArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
  );
  const created = (await call(context, 'CreatePolicy', { PolicyName: 'Mine', Path: '/a/', PolicyDocument: allow('s3:*') })).Policy;
  await rejects(
    call(context, 'GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/b/Mine` }),
    'NoSuchEntity',
    `Policy arn:aws:iam::${ACCOUNT}:policy/b/Mine was not found.`,
  );
  const other = { ...newContext('210987654321'), store: context.store };
  await rejects(call(other, 'GetPolicy', { PolicyArn: created.Arn }), 'NoSuchEntity', `Policy ${created.Arn} was not found.`);
});

test('policy versions: at most 5, ids never reused, the default cannot be deleted (access_policies_managed-versioning.html)', async () => {
  const context = newContext();
  const arn = (await call(context, 'CreatePolicy', { PolicyName: 'Rotating', PolicyDocument: allow('s3:GetObject') })).Policy.Arn;
  const later = { ...context, now: new Date('2025-04-01T00:00:00.000Z') };
  const v2 = (await call(later, 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:PutObject') })).PolicyVersion;
  assert.deepEqual(v2, { VersionId: 'v2', IsDefaultVersion: false, CreateDate: '2025-04-01T00:00:00.000Z' }, 'no Document in the response');
  let policy = (await call(context, 'GetPolicy', { PolicyArn: arn })).Policy;
  assert.equal(policy.DefaultVersionId, 'v1');
  assert.equal(policy.UpdateDate, '2025-04-01T00:00:00.000Z', 'UpdateDate is when the newest version was created');
  await call(context, 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:DeleteObject'), SetAsDefault: true });
  await call(context, 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:ListBucket') });
  await call(context, 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:HeadObject') });
  policy = (await call(context, 'GetPolicy', { PolicyArn: arn })).Policy;
  assert.equal(policy.DefaultVersionId, 'v3');
  await rejects(
    call(context, 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:*') }),
    'LimitExceeded',
    'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
  );
  await rejects(call(context, 'DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v3' }), 'DeleteConflict', 'Cannot delete the default version of a policy.');
  await rejects(
    call(context, 'DeletePolicy', { PolicyArn: arn }),
    'DeleteConflict',
    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
  );

  await call(context, 'DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v2' });
  const v6 = (await call(context, 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allow('s3:*') })).PolicyVersion;
  assert.equal(v6.VersionId, 'v6', 'a deleted version id is not handed out again');
  await rejects(
    call(context, 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'v2' }),
    'NoSuchEntity',
    `Policy ${arn} version v2 does not exist or is not attachable.`,
  );
  await rejects(
    call(context, 'SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v2' }),
    'NoSuchEntity',
    `Policy ${arn} version v2 does not exist or is not attachable.`,
  );
  await rejects(
    call(context, 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'version2' }),
    'ValidationError',
    "1 validation error detected: Value 'version2' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
  );

  await call(context, 'SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v6' });
  const versions = (await call(context, 'ListPolicyVersions', { PolicyArn: arn })).Versions;
  assert.deepEqual(
    versions.map((version: { VersionId: string; IsDefaultVersion: boolean }) => [version.VersionId, version.IsDefaultVersion]),
    [
      ['v6', true],
      ['v5', false],
      ['v4', false],
      ['v3', false],
      ['v1', false],
    ],
  );
  assert.ok(versions.every((version: { Document?: string }) => version.Document === undefined), 'ListPolicyVersions returns no documents');
  const page = await call(context, 'ListPolicyVersions', { PolicyArn: arn, MaxItems: 3 });
  assert.deepEqual(
    page.Versions.map((version: { VersionId: string }) => version.VersionId),
    ['v6', 'v5', 'v4'],
  );
  const rest = await call(context, 'ListPolicyVersions', { PolicyArn: arn, Marker: page.Marker });
  assert.deepEqual(
    rest.Versions.map((version: { VersionId: string }) => version.VersionId),
    ['v3', 'v1'],
  );
  assert.equal((await call(context, 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'v6' })).PolicyVersion.Document, allow('s3:*'));

  for (const id of ['v5', 'v4', 'v3', 'v1']) await call(context, 'DeletePolicyVersion', { PolicyArn: arn, VersionId: id });
  await call(context, 'DeletePolicy', { PolicyArn: arn });
  await rejects(call(context, 'GetPolicy', { PolicyArn: arn }), 'NoSuchEntity', `Policy ${arn} was not found.`);
});

test('CreatePolicyVersion validates the document like CreatePolicy and leaves the policy unchanged on refusal', async () => {
  const context = newContext();
  const arn = (await call(context, 'CreatePolicy', { PolicyName: 'P', PolicyDocument: allow('s3:GetObject') })).Policy.Arn;
  await rejects(call(context, 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: policyOfSize(6145) }), 'LimitExceeded', 'Cannot exceed quota for PolicySize: 6144');
  assert.equal((await call(context, 'ListPolicyVersions', { PolicyArn: arn })).Versions.length, 1);
  await rejects(
    call(context, 'CreatePolicyVersion', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/Nope`, PolicyDocument: allow('s3:*') }),
    'NoSuchEntity',
    `Policy arn:aws:iam::${ACCOUNT}:policy/Nope was not found.`,
  );
});

test('policy tags: TagPolicy, UntagPolicy, ListPolicyTags', async () => {
  const context = newContext();
  const arn = (await call(context, 'CreatePolicy', { PolicyName: 'Tagged', PolicyDocument: allow('s3:*') })).Policy.Arn;
  await call(context, 'TagPolicy', { PolicyArn: arn, Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] });
  assert.deepEqual((await call(context, 'ListPolicyTags', { PolicyArn: arn })).Tags, [
    { Key: 'a', Value: '1' },
    { Key: 'b', Value: '2' },
  ]);
  await call(context, 'UntagPolicy', { PolicyArn: arn, TagKeys: ['A'] });
  assert.deepEqual((await call(context, 'GetPolicy', { PolicyArn: arn })).Policy.Tags, [{ Key: 'b', Value: '2' }]);
  assert.deepEqual(await operation('TagPolicy').authorize(context, { PolicyArn: arn, Tags: [{ Key: 'c', Value: '3' }] }), [
    { action: 'iam:TagPolicy', resource: arn, context: { 'aws:ResourceTag/b': '2', 'aws:RequestTag/c': '3', 'aws:TagKeys': ['c'] } },
  ]);
});

// ---------------------------------------------------------------------------------------------------
// AWS managed policies

test('AWS managed policies exist with their real documents and paths', async () => {
  const context = newContext();
  const s3 = (await call(context, 'GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' })).Policy;
  assert.equal(s3.PolicyName, 'AmazonS3ReadOnlyAccess');
  assert.equal(s3.Path, '/');
  assert.match(s3.PolicyId, /^ANPA[A-Z2-7]{17}$/);
  const document = (await call(context, 'GetPolicyVersion', { PolicyArn: s3.Arn, VersionId: s3.DefaultVersionId })).PolicyVersion.Document;
  assert.ok(JSON.parse(document).Statement.some((statement: { Action: string[] | string }) => [statement.Action].flat().includes('s3:Get*')));

  const lambda = (await call(context, 'GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' })).Policy;
  assert.equal(lambda.Path, '/service-role/');
  const lambdaDocument = getAwsManagedPolicy(lambda.Arn)!.Document;
  assert.deepEqual(JSON.parse(lambdaDocument).Statement[0].Action, ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
  assert.equal(getAwsManagedPolicy('arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole'), undefined, 'the path is part of the ARN');
  assert.deepEqual(JSON.parse(getAwsManagedPolicy('arn:aws:iam::aws:policy/AdministratorAccess')!.Document).Statement, [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  for (const name of ['AmazonEKSClusterPolicy', 'PowerUserAccess', 'ReadOnlyAccess', 'CloudWatchAgentServerPolicy', 'AmazonSSMManagedInstanceCore']) {
    const policy = getAwsManagedPolicy(`arn:aws:iam::aws:policy/${name}`);
    assert.ok(policy, name);
    assert.deepEqual(validatePolicy(policy.Document, 'identity', { checkSize: false }), { valid: true }, name);
  }
  await rejects(
    call(context, 'DeletePolicy', { PolicyArn: s3.Arn }),
    'InvalidInput',
    'Policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess is an AWS managed policy and cannot be modified.',
  );
  await rejects(
    call(context, 'CreatePolicyVersion', { PolicyArn: s3.Arn, PolicyDocument: allow('s3:*') }),
    'InvalidInput',
    'Policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess is an AWS managed policy and cannot be modified.',
  );
  const versions = (await call(context, 'ListPolicyVersions', { PolicyArn: s3.Arn })).Versions;
  assert.deepEqual(
    versions.map((version: { VersionId: string; IsDefaultVersion: boolean }) => [version.VersionId, version.IsDefaultVersion]),
    [[s3.DefaultVersionId, true]],
  );
});

test('ListPolicies: Scope, PathPrefix, OnlyAttached, PolicyUsageFilter and pagination across both kinds', async () => {
  const context = newContext();
  await call(context, 'CreatePolicy', { PolicyName: 'AppPolicy', Path: '/app/', PolicyDocument: allow('s3:*') });
  await call(context, 'CreatePolicy', { PolicyName: 'Boundary', PolicyDocument: allow('s3:*') });
  const local = (await call(context, 'ListPolicies', { Scope: 'Local' })).Policies;
  assert.deepEqual(
    local.map((policy: { PolicyName: string }) => policy.PolicyName),
    ['AppPolicy', 'Boundary'],
  );
  assert.ok(local.every((policy: { Description?: string; Tags?: unknown }) => policy.Description === undefined && policy.Tags === undefined));
  assert.deepEqual(
    (await call(context, 'ListPolicies', { Scope: 'Local', PathPrefix: '/app/' })).Policies.map((policy: { PolicyName: string }) => policy.PolicyName),
    ['AppPolicy'],
  );
  const serviceRole = (await call(context, 'ListPolicies', { Scope: 'AWS', PathPrefix: '/service-role/', MaxItems: 1000 })).Policies;
  assert.ok(serviceRole.some((policy: { PolicyName: string }) => policy.PolicyName === 'AWSLambdaBasicExecutionRole'));
  assert.ok(serviceRole.every((policy: { Path: string }) => policy.Path === '/service-role/'));

  let count = 0;
  let marker: string | undefined;
  let previous = '';
  do {
    const page = await call(context, 'ListPolicies', { Scope: 'All', MaxItems: 400, ...(marker ? { Marker: marker } : {}) });
    for (const policy of page.Policies) {
      const key = `${policy.PolicyName} ${policy.PolicyId}`.toLowerCase();
      assert.ok(key > previous, 'policies come in name order without repeats');
      previous = key;
    }
    count += page.Policies.length;
    marker = page.Marker;
  } while (marker);
  assert.equal(count, listAwsManagedPolicies('aws').length + 2);

  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST, PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/Boundary` });
  await call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  await call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/app/AppPolicy` });
  const names = async (input: Record<string, unknown>) =>
    (await call(context, 'ListPolicies', input)).Policies.map((policy: { PolicyName: string }) => policy.PolicyName);
  assert.deepEqual(await names({ OnlyAttached: true }), ['AppPolicy', 'Boundary', 'ReadOnlyAccess']);
  assert.deepEqual(await names({ OnlyAttached: true, Scope: 'AWS' }), ['ReadOnlyAccess']);
  assert.deepEqual(await names({ PolicyUsageFilter: 'PermissionsPolicy' }), ['AppPolicy', 'ReadOnlyAccess']);
  assert.deepEqual(await names({ PolicyUsageFilter: 'PermissionsBoundary' }), ['Boundary']);
  const readOnly = (await call(context, 'ListPolicies', { OnlyAttached: true, Scope: 'AWS' })).Policies[0];
  assert.equal(readOnly.AttachmentCount, 1);
  await rejects(
    call(context, 'ListPolicies', { Scope: 'Mine' }),
    'ValidationError',
    "1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]",
  );
});

test('a customer policy may share its name with an AWS managed one; both are listed, attached and told apart', async () => {
  const context = newContext();
  const mine = (await call(context, 'CreatePolicy', { PolicyName: 'ReadOnlyAccess', PolicyDocument: allow('s3:Get*') })).Policy.Arn;
  const listed = (await call(context, 'ListPolicies', { PathPrefix: '/', MaxItems: 1000 })).Policies.concat(
    (await call(context, 'ListPolicies', { MaxItems: 1000, Marker: (await call(context, 'ListPolicies', { MaxItems: 1000 })).Marker })).Policies,
  );
  assert.deepEqual(
    listed.filter((policy: { PolicyName: string }) => policy.PolicyName === 'ReadOnlyAccess').map((policy: { Arn: string }) => policy.Arn).sort(),
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', mine].sort(),
  );
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: mine });
  await call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  const first = await call(context, 'ListAttachedRolePolicies', { RoleName: 'app', MaxItems: 1 });
  const second = await call(context, 'ListAttachedRolePolicies', { RoleName: 'app', MaxItems: 1, Marker: first.Marker });
  assert.deepEqual(
    [...first.AttachedPolicies, ...second.AttachedPolicies].map((policy: { PolicyArn: string }) => policy.PolicyArn).sort(),
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', mine].sort(),
  );
  assert.equal(second.IsTruncated, false);
});

test('ListEntitiesForPolicy: groups, users and roles, with EntityFilter, PathPrefix and PolicyUsageFilter', async () => {
  const context = newContext();
  const arn = (await call(context, 'CreatePolicy', { PolicyName: 'Shared', PolicyDocument: allow('s3:*') })).Policy.Arn;
  await addUser(context, 'alice');
  await addGroup(context, 'devs');
  await call(context, 'CreateRole', { RoleName: 'worker', Path: '/jobs/', AssumeRolePolicyDocument: TRUST });
  await call(context, 'CreateRole', { RoleName: 'bounded', AssumeRolePolicyDocument: TRUST, PermissionsBoundary: arn });
  await call(context, 'CreateRole', { RoleName: 'unrelated', AssumeRolePolicyDocument: TRUST });
  await call(context, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: arn });
  await call(context, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: arn });
  await call(context, 'AttachRolePolicy', { RoleName: 'worker', PolicyArn: arn });

  const all = await call(context, 'ListEntitiesForPolicy', { PolicyArn: arn });
  assert.deepEqual(all.PolicyGroups, [{ GroupName: 'devs', GroupId: 'AGPAEXAMPLEEXAMPLE123' }]);
  assert.deepEqual(all.PolicyUsers, [{ UserName: 'alice', UserId: 'AIDAEXAMPLEEXAMPLE123' }]);
  assert.deepEqual(
    all.PolicyRoles.map((role: { RoleName: string }) => role.RoleName),
    ['bounded', 'worker'],
  );
  assert.equal(all.IsTruncated, false);
  const roleNames = async (input: Record<string, unknown>) =>
    (await call(context, 'ListEntitiesForPolicy', { PolicyArn: arn, ...input })).PolicyRoles.map((role: { RoleName: string }) => role.RoleName);
  assert.deepEqual(await roleNames({ PolicyUsageFilter: 'PermissionsPolicy' }), ['worker']);
  assert.deepEqual(await roleNames({ PolicyUsageFilter: 'PermissionsBoundary' }), ['bounded']);
  assert.deepEqual(await roleNames({ PathPrefix: '/jobs/' }), ['worker']);
  const onlyRoles = await call(context, 'ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'Role' });
  assert.deepEqual(onlyRoles.PolicyUsers, []);
  assert.deepEqual(onlyRoles.PolicyGroups, []);
  const first = await call(context, 'ListEntitiesForPolicy', { PolicyArn: arn, MaxItems: 2 });
  assert.equal(first.IsTruncated, true);
  const second = await call(context, 'ListEntitiesForPolicy', { PolicyArn: arn, MaxItems: 2, Marker: first.Marker });
  const pagedCount = [first, second].reduce((sum, page) => sum + page.PolicyGroups.length + page.PolicyUsers.length + page.PolicyRoles.length, 0);
  assert.equal(pagedCount, 4);
  assert.equal(second.IsTruncated, false);
  await rejects(
    call(context, 'ListEntitiesForPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/Nope` }),
    'NoSuchEntity',
    `Policy arn:aws:iam::${ACCOUNT}:policy/Nope was not found.`,
  );
});

test('authorize: ListPolicies is on "policy path /", policy actions on the policy ARN', async () => {
  const context = newContext();
  // AWS's denials read "iam:ListPolicies on resource: policy path /": no ARN, so only Resource "*" grants it.
  assert.deepEqual(await operation('ListPolicies').authorize(context, {}), [{ action: 'iam:ListPolicies', resource: 'policy path /' }]);
  assert.deepEqual(await operation('CreatePolicy').authorize(context, { PolicyName: 'P', Path: '/x/', PolicyDocument: allow('s3:*') }), [
    { action: 'iam:CreatePolicy', resource: `arn:aws:iam::${ACCOUNT}:policy/x/P`, context: {} },
  ]);
  assert.deepEqual(await operation('GetPolicyVersion').authorize(context, { PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', VersionId: 'v1' }), [
    { action: 'iam:GetPolicyVersion', resource: 'arn:aws:iam::aws:policy/ReadOnlyAccess', context: {} },
  ]);
});
