// IAM operations of an account in aws-cn: every ARN they make names aws-cn, AWS managed policies are the
// partition's, and ARNs or policies naming another partition are refused with AWS's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationContext } from '../../src/iam/operation.js';
import type { Account } from '../../src/model/entities.js';
import { ACCOUNT, call, newContext, NOW, rejects } from './fixtures.js';

/** The root user of ACCOUNT calling from an account bound to aws-cn (as its first cn-north-1 request binds it). */
async function chinaContext(): Promise<OperationContext> {
  const context = newContext();
  await context.store.write((writer) => writer.insert<Account>('account', '', ACCOUNT, { AccountId: ACCOUNT, Name: 'default', CreateDate: NOW.toISOString(), Partition: 'aws-cn' }));
  return { ...context, caller: { ...context.caller, arn: `arn:aws-cn:iam::${ACCOUNT}:root` }, region: 'cn-north-1' };
}

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

test('entities created in an aws-cn account get arn:aws-cn ARNs (reference_identifiers.html: the partition is part of every ARN)', async () => {
  const context = await chinaContext();
  assert.equal((await call(context, 'CreateRole', { RoleName: 'app', Path: '/x/', AssumeRolePolicyDocument: TRUST })).Role.Arn, `arn:aws-cn:iam::${ACCOUNT}:role/x/app`);
  assert.equal((await call(context, 'CreateUser', { UserName: 'alice' })).User.Arn, `arn:aws-cn:iam::${ACCOUNT}:user/alice`);
  assert.equal((await call(context, 'CreateGroup', { GroupName: 'devs' })).Group.Arn, `arn:aws-cn:iam::${ACCOUNT}:group/devs`);
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws-cn:s3:::bucket/*' }] });
  assert.equal((await call(context, 'CreatePolicy', { PolicyName: 'read', PolicyDocument: policy })).Policy.Arn, `arn:aws-cn:iam::${ACCOUNT}:policy/read`);
  assert.equal((await call(context, 'CreateInstanceProfile', { InstanceProfileName: 'web' })).InstanceProfile.Arn, `arn:aws-cn:iam::${ACCOUNT}:instance-profile/web`);
  assert.equal((await call(context, 'GetUser', {})).User.Arn, `arn:aws-cn:iam::${ACCOUNT}:root`);
});

test('AWS managed policies of aws-cn: arn:aws-cn:iam::aws:policy/NAME, with the documents\' arn:aws: resources in aws-cn', async () => {
  const context = await chinaContext();
  const got = (await call(context, 'GetPolicy', { PolicyArn: 'arn:aws-cn:iam::aws:policy/IAMUserChangePassword' })).Policy;
  assert.equal(got.Arn, 'arn:aws-cn:iam::aws:policy/IAMUserChangePassword');
  const version = (await call(context, 'GetPolicyVersion', { PolicyArn: got.Arn, VersionId: got.DefaultVersionId })).PolicyVersion;
  const document = decodeURIComponent(version.Document);
  assert.ok(document.includes('"arn:aws-cn:iam::*:user/${aws:username}"'), document);
  assert.ok(!document.includes('"arn:aws:'), document);
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess' });
  const attached = await call(context, 'ListAttachedRolePolicies', { RoleName: 'app' });
  assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess' }]);
});

test('IAM: "The partition name must match the partition of the AWS account" — ValidationError Invalid ARN partition', async () => {
  const context = await chinaContext();
  await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await rejects(call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }), 'ValidationError', 'Invalid ARN partition');
  await rejects(call(context, 'GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/read` }), 'ValidationError', 'Invalid ARN partition');
  // The default partition is unchanged: an aws account refuses aws-cn ARNs the same way.
  const commercial = newContext();
  await call(commercial, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST });
  await rejects(call(commercial, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess' }), 'ValidationError', 'Invalid ARN partition');
});

test('IAM refuses a stored policy naming another partition: MalformedPolicyDocument Partition "aws" is not valid for resource', async () => {
  const context = await chinaContext();
  await call(context, 'CreateUser', { UserName: 'alice' });
  const foreign = (resource: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: resource }] });
  await rejects(
    call(context, 'PutUserPolicy', { UserName: 'alice', PolicyName: 'p', PolicyDocument: foreign(['arn:aws-cn:ec2:*:123456789012:vpc/*', 'arn:aws:ec2:*:123456789012:subnet/*']) }),
    'MalformedPolicyDocument',
    'Partition "aws" is not valid for resource "arn:aws:ec2:*:123456789012:subnet/*".',
  );
  await rejects(
    call(context, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws-us-gov:s3:::b' }] }) }),
    'MalformedPolicyDocument',
    'Partition "aws-us-gov" is not valid for resource "arn:aws-us-gov:s3:::b".',
  );
  // A wildcard partition names no one partition; `*` is no ARN.
  await call(context, 'PutUserPolicy', { UserName: 'alice', PolicyName: 'any', PolicyDocument: foreign(['arn:*:ec2:*:123456789012:subnet/*', '*']) });
});
