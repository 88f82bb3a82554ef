// GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy over a real (in-memory) SQLite store,
// with entities created through the IAM operations; each test names the AWS page whose behaviour it checks
// (API_GetContextKeysForCustomPolicy.html, API_GetContextKeysForPrincipalPolicy.html,
// reference_policies_variables.html, iam_example_iam_GetContextKeysForCustomPolicy_section.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, CONTEXT_KEYS_EXAMPLE, call, newContext, operation, rejects } from './fixtures.js';

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

async function customKeys(...policies: string[]): Promise<string[]> {
  return (await call(newContext(), 'GetContextKeysForCustomPolicy', { PolicyInputList: policies })).ContextKeyNames;
}

const AWS_EXAMPLE = JSON.stringify(CONTEXT_KEYS_EXAMPLE);

test("GetContextKeysForCustomPolicy (AWS's example): the Resource variable and the condition key, as written", async () => {
  assert.deepEqual(await customKeys(AWS_EXAMPLE), ['aws:username', 'aws:CurrentTime']);
});

test('GetContextKeysForCustomPolicy: each key once across statements and policies, ignoring case, in the order met', async () => {
  const first = policy(
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringLike: { 's3:prefix': ['home/'] }, Bool: { 'aws:SecureTransport': 'true' } } },
    { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { BoolIfExists: { 'AWS:SecureTransport': 'false' } } },
  );
  const second = policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] }, Null: { 'S3:Prefix': 'false' } } });
  assert.deepEqual(await customKeys(first, second), ['s3:prefix', 'aws:SecureTransport', 'aws:TagKeys']);
});

test('GetContextKeysForCustomPolicy: a policy without conditions or variables refers to no key', async () => {
  assert.deepEqual(await customKeys(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' })), []);
});

test('reference_policies_variables.html: variables in condition values and in the resource part count; defaults name their key; ${*} is no key', async () => {
  const document = policy(
    {
      Effect: 'Allow',
      Action: 's3:*',
      Resource: ["arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/${*}"],
      Condition: { StringEquals: { 's3:prefix': '${aws:userid}/' }, ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:${aws:PrincipalAccount}-topic' } },
    },
    { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::bucket/${aws:PrincipalOrgID}/*' },
  );
  assert.deepEqual(await customKeys(document), ['aws:PrincipalTag/team', 's3:prefix', 'aws:userid', 'aws:SourceArn', 'aws:PrincipalAccount', 'aws:PrincipalOrgID']);
});

test('reference_policies_variables.html: a 2008-10-17 document takes ${...} literally, so it names no variable key', async () => {
  const document = JSON.stringify({
    Version: '2008-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::bucket/${aws:username}', Condition: { StringEquals: { 's3:prefix': '${aws:userid}' } } }],
  });
  assert.deepEqual(await customKeys(document), ['s3:prefix']);
});

test('API_GetContextKeysForCustomPolicy.html: an invalid policy is InvalidInput (the only error the model declares), with the validator message', async () => {
  await rejects(call(newContext(), 'GetContextKeysForCustomPolicy', { PolicyInputList: [AWS_EXAMPLE, '{"Version":"2012-10-17"}'] }), 'InvalidInput', 'Syntax errors in policy.');
  const withPrincipal = policy({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' });
  await rejects(call(newContext(), 'GetContextKeysForCustomPolicy', { PolicyInputList: [withPrincipal] }), 'InvalidInput', 'Policy document should not specify a principal.');
});

// ---------------------------------------------------------------------------------------------------
// GetContextKeysForPrincipalPolicy

const USER_INLINE = policy({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' });
const USER_MANAGED = policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:Region': 'eu-west-1' } } });
const GROUP_INLINE = policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } });
const GROUP_MANAGED = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } });
const BOUNDARY = policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } });

async function userWithGroup() {
  const context = newContext();
  await call(context, 'CreateUser', { UserName: 'alice', Path: '/staff/' });
  await call(context, 'PutUserPolicy', { UserName: 'alice', PolicyName: 'home', PolicyDocument: USER_INLINE });
  const managed = (await call(context, 'CreatePolicy', { PolicyName: 'ec2-eu', PolicyDocument: USER_MANAGED })).Policy.Arn;
  await call(context, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: managed });
  const boundary = (await call(context, 'CreatePolicy', { PolicyName: 'boundary', PolicyDocument: BOUNDARY })).Policy.Arn;
  await call(context, 'PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: boundary });
  await call(context, 'CreateGroup', { GroupName: 'ops' });
  await call(context, 'PutGroupPolicy', { GroupName: 'ops', PolicyName: 'queues', PolicyDocument: GROUP_INLINE });
  const mfa = (await call(context, 'CreatePolicy', { PolicyName: 'require-mfa', PolicyDocument: GROUP_MANAGED })).Policy.Arn;
  await call(context, 'AttachGroupPolicy', { GroupName: 'ops', PolicyArn: mfa });
  await call(context, 'AddUserToGroup', { GroupName: 'ops', UserName: 'alice' });
  return context;
}

test("API_GetContextKeysForPrincipalPolicy.html: a user's inline and attached policies, then its groups' (not its boundary)", async () => {
  const context = await userWithGroup();
  const answer = await call(context, 'GetContextKeysForPrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/staff/alice` });
  assert.deepEqual(answer.ContextKeyNames, ['aws:username', 'ec2:Region', 'aws:SourceIp', 'aws:MultiFactorAuthPresent']);
});

test('API_GetContextKeysForPrincipalPolicy.html: a group gives only its own policies; the optional PolicyInputList adds to them', async () => {
  const context = await userWithGroup();
  const answer = await call(context, 'GetContextKeysForPrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:group/ops`, PolicyInputList: [AWS_EXAMPLE] });
  assert.deepEqual(answer.ContextKeyNames, ['aws:SourceIp', 'aws:MultiFactorAuthPresent', 'aws:username', 'aws:CurrentTime']);
});

test("API_GetContextKeysForPrincipalPolicy.html: a role's inline and attached policies, AWS managed ones included", async () => {
  const context = newContext();
  const trust = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trust });
  await call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'tags', PolicyDocument: policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }) });
  await call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  const answer = await call(context, 'GetContextKeysForPrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/app` });
  // Inline policies come first, then attached ones: ReadOnlyAccess's current document tests s3express:SessionMode.
  assert.deepEqual(answer.ContextKeyNames, ['aws:ResourceTag/team', 'aws:PrincipalTag/team', 's3express:SessionMode']);
});

test('API_GetContextKeysForPrincipalPolicy.html: NoSuchEntity for a missing entity, InvalidInput for an ARN that names none or another account', async () => {
  const context = newContext();
  await rejects(
    call(context, 'GetContextKeysForPrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/ghost` }),
    'NoSuchEntity',
    'The user with name ghost cannot be found.',
  );
  const session = `arn:aws:sts::${ACCOUNT}:assumed-role/app/session`;
  await rejects(
    call(context, 'GetContextKeysForPrincipalPolicy', { PolicySourceArn: session }),
    'InvalidInput',
    `Invalid Entity Arn: ${session} does not clearly define entity type and name.`,
  );
  await rejects(
    call(context, 'GetContextKeysForPrincipalPolicy', { PolicySourceArn: 'arn:aws:iam::210987654321:role/app' }),
    'InvalidInput',
    `Invalid Policy Source Arn: caller's account ${ACCOUNT} does not have access to policies in account 210987654321`,
  );
});

test('Service Authorization Reference: iam:GetContextKeysForCustomPolicy on "*", iam:GetContextKeysForPrincipalPolicy on the principal', async () => {
  const context = newContext();
  assert.deepEqual(await operation('GetContextKeysForCustomPolicy').authorize(context, { PolicyInputList: [AWS_EXAMPLE] }), [
    { action: 'iam:GetContextKeysForCustomPolicy', resource: '*' },
  ]);
  const arn = `arn:aws:iam::${ACCOUNT}:user/staff/alice`;
  assert.deepEqual(await operation('GetContextKeysForPrincipalPolicy').authorize(context, { PolicySourceArn: arn }), [
    { action: 'iam:GetContextKeysForPrincipalPolicy', resource: arn },
  ]);
});
