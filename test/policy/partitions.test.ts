// Policies naming another partition match nothing in this one (issue 11): an account of aws-cn is not the
// account with the same digits in aws, and ARNs compare with their partition. Observed through evaluate().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.js';
import type { Decision, PolicyInput } from '../../src/policy/types.js';

const ACCOUNT = '111122223333';
const CN_USER = `arn:aws-cn:iam::${ACCOUNT}:user/alice`;
const CN_SESSION = `arn:aws-cn:sts::${ACCOUNT}:assumed-role/reader/s1`;
const CN_ROLE = `arn:aws-cn:iam::${ACCOUNT}:role/target`;

function policy(...statements: object[]): PolicyInput {
  return { document: { Version: '2012-10-17', Statement: statements } };
}

/** A caller assuming CN_ROLE whose trust policy trusts `principal` (an account grant delegates to identity policies, which allow). */
function assume(caller: string, principal: unknown): Decision {
  return evaluate({
    request: { principal: caller, action: 'sts:AssumeRole', resource: CN_ROLE },
    identityPolicies: [policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })],
    resourcePolicy: policy({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }),
    resourcePolicyKind: 'trust',
  }).decision;
}

test('Principal arn:aws:iam::ACCOUNT:root does not trust the aws-cn account with those digits; arn:aws-cn:...:root does', () => {
  assert.equal(assume(CN_USER, { AWS: `arn:aws:iam::${ACCOUNT}:root` }), 'ImplicitDeny');
  assert.equal(assume(CN_SESSION, { AWS: `arn:aws:iam::${ACCOUNT}:root` }), 'ImplicitDeny');
  assert.equal(assume(CN_USER, { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` }), 'Allow');
  assert.equal(assume(CN_SESSION, { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` }), 'Allow');
  // A bare account id is the policy's own partition's account (IAM stores it as that partition's root ARN).
  assert.equal(assume(CN_USER, { AWS: ACCOUNT }), 'Allow');
});

test('Principal naming the user by its arn:aws: ARN does not match the aws-cn user', () => {
  assert.equal(assume(CN_USER, { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }), 'ImplicitDeny');
  assert.equal(assume(CN_USER, { AWS: CN_USER }), 'Allow');
});

test('Resource arn:aws:... does not match a request for the arn:aws-cn:... resource, nor the reverse', () => {
  const decide = (resource: string, allowed: string) =>
    evaluate({ request: { principal: CN_USER, action: 's3:GetObject', resource }, identityPolicies: [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: allowed })] }).decision;
  assert.equal(decide('arn:aws-cn:s3:::bucket/key', 'arn:aws:s3:::bucket/*'), 'ImplicitDeny');
  assert.equal(decide('arn:aws:s3:::bucket/key', 'arn:aws-cn:s3:::bucket/*'), 'ImplicitDeny');
  assert.equal(decide('arn:aws-cn:s3:::bucket/key', 'arn:aws-cn:s3:::bucket/*'), 'Allow');
  assert.equal(decide('arn:aws-cn:s3:::bucket/key', 'arn:*:s3:::bucket/*'), 'Allow');
});
