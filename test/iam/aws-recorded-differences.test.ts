// The IAM answers issue 11 lists from AWS-recorded responses, each with AWS's text: the invalid path
// sentence, ListPolicyTags' order, `Tags: []` in GetPolicy and GetInstanceProfile, the
// InstanceSessionsPerInstanceProfile quota, more than 5 OIDC thumbprints, `ValidationError: Invalid
// Marker.`, and AWS's default password policy for an account that has set none
// (id_credentials_passwords_account-policy.html#default-policy-details).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, newContext, rejects } from './fixtures.js';

const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const INVALID_PATH = 'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.';

test('an invalid path: "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."', async () => {
  const root = newContext();
  await rejects(call(root, 'CreateRole', { RoleName: 'r', Path: 'no-slashes', AssumeRolePolicyDocument: EC2_TRUST }), 'ValidationError', INVALID_PATH);
  await rejects(call(root, 'CreateUser', { UserName: 'u', Path: '/unterminated' }), 'ValidationError', INVALID_PATH);
  await rejects(call(root, 'CreatePolicy', { PolicyName: 'p', Path: 'bad', PolicyDocument: POLICY }), 'ValidationError', INVALID_PATH);
  // With other violations the model's list stands.
  await rejects(
    call(root, 'CreateUser', { UserName: 'bad name', Path: 'x' }),
    'ValidationError',
    "2 validation errors detected: Value 'x' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); " +
      "Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
});

test('ListPolicyTags answers shortest keys first, then by key with upper case first ("a, b, z, abc"; "A" before "a")', async () => {
  const root = newContext();
  const { Policy } = await call(root, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: POLICY, Tags: ['abc', 'z', 'b', 'a'].map((Key) => ({ Key, Value: 'v' })) });
  assert.deepEqual((await call(root, 'ListPolicyTags', { PolicyArn: Policy.Arn })).Tags.map((tag: { Key: string }) => tag.Key), ['a', 'b', 'z', 'abc']);
  const other = await call(root, 'CreatePolicy', { PolicyName: 'q', PolicyDocument: POLICY, Tags: ['b', 'A', 'Ba', 'aa'].map((Key) => ({ Key, Value: 'v' })) });
  const first = await call(root, 'ListPolicyTags', { PolicyArn: other.Policy.Arn, MaxItems: 2 });
  assert.deepEqual(first.Tags.map((tag: { Key: string }) => tag.Key), ['A', 'b']);
  const rest = await call(root, 'ListPolicyTags', { PolicyArn: other.Policy.Arn, Marker: first.Marker });
  assert.deepEqual(rest.Tags.map((tag: { Key: string }) => tag.Key), ['Ba', 'aa'], 'pages follow the same order');
});

test('GetPolicy and GetInstanceProfile answer "Tags: []" when there are none', async () => {
  const root = newContext();
  const { Policy } = await call(root, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: POLICY });
  assert.equal('Tags' in Policy, false, 'CreatePolicy leaves them out');
  assert.deepEqual((await call(root, 'GetPolicy', { PolicyArn: Policy.Arn })).Policy.Tags, []);
  await call(root, 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
  assert.deepEqual((await call(root, 'GetInstanceProfile', { InstanceProfileName: 'ip' })).InstanceProfile.Tags, []);
});

test('AddRoleToInstanceProfile over the quota: "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"', async () => {
  const root = newContext();
  await call(root, 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
  for (const name of ['r1', 'r2']) await call(root, 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: EC2_TRUST });
  await call(root, 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'r1' });
  await rejects(call(root, 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'r2' }), 'LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
});

test('more than 5 OIDC thumbprints: "InvalidInput: Thumbprint list must contain fewer than 5 entries."', async () => {
  const root = newContext();
  const thumbprints = Array.from({ length: 6 }, (_, i) => String(i).repeat(40));
  await rejects(call(root, 'CreateOpenIDConnectProvider', { Url: 'https://oidc.example.test', ThumbprintList: thumbprints }), 'InvalidInput', 'Thumbprint list must contain fewer than 5 entries.');
});

test('an invalid pagination marker: "ValidationError: Invalid Marker."', async () => {
  const root = newContext();
  for (const operation of ['ListRoles', 'ListUsers', 'ListPolicies']) {
    await rejects(call(root, operation, { Marker: '!!not-a-marker' }), 'ValidationError', 'Invalid Marker.');
  }
});

test('with no password policy set, AWS\'s default applies: 8 to 128 characters and three of upper case, lower case, numbers and symbols', async () => {
  const root = newContext();
  await call(root, 'CreateUser', { UserName: 'alice' });
  for (const weak of ['123', 'Ab1!xyz', 'alllowercase1', 'ALLUPPER!!!']) {
    await rejects(call(root, 'CreateLoginProfile', { UserName: 'alice', Password: weak }), 'PasswordPolicyViolation', 'Password does not conform to the account password policy.');
  }
  await call(root, 'CreateLoginProfile', { UserName: 'alice', Password: 'lower-and-1digit' });
  // A policy the account sets replaces the default, however lax.
  await call(root, 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 6 });
  await call(root, 'UpdateLoginProfile', { UserName: 'alice', Password: 'simple' });
});
