// The kind of resource policy defaults from the request as AWS decides it from the resource: an sts:
// action on a role ARN is judged by the trust policy, a kms: action on a key ARN by the key policy, and
// neither is allowed by identity policies alone — "Unless the key policy explicitly allows it, you cannot
// use IAM policies to allow access to a KMS key" (kms/latest/developerguide/key-policies.html;
// STS API_AssumeRole.html). A request that names the kind keeps it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, resourcePolicyKindOf } from '../../src/policy/evaluate.js';

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const ROLE = 'arn:aws:iam::111111111111:role/deploy';
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ADMIN = { name: 'admin', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
const delegating = (action: string) => ({ name: 'policy', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: action, Resource: '*' }] } });

function decide(action: string, resource: string, more: Record<string, unknown> = {}) {
  return evaluate({ request: { principal: ALICE, action, resource }, identityPolicies: [ADMIN], ...more }).decision;
}

test('an sts: action on a role ARN is judged by the trust policy: an identity allow alone is not enough', () => {
  assert.equal(resourcePolicyKindOf({ request: { principal: ALICE, action: 'sts:AssumeRole', resource: ROLE } }), 'trust');
  assert.equal(decide('sts:AssumeRole', ROLE), 'ImplicitDeny');
  assert.equal(decide('sts:AssumeRole', ROLE, { resourcePolicy: { name: 'trust', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' }] } } }), 'Allow');
});

test('a kms: action on a key ARN is judged by the key policy: with no key policy the identity policies allow nothing', () => {
  assert.equal(resourcePolicyKindOf({ request: { principal: ALICE, action: 'kms:Decrypt', resource: KEY } }), 'key');
  assert.equal(decide('kms:Decrypt', KEY), 'ImplicitDeny');
  assert.equal(decide('kms:Decrypt', KEY, { resourcePolicy: delegating('kms:*') }), 'Allow', 'the key policy delegates to the account');
});

test('other requests keep the resource kind, and a request that names the kind keeps it', () => {
  assert.equal(resourcePolicyKindOf({ request: { principal: ALICE, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' } }), 'resource');
  assert.equal(resourcePolicyKindOf({ request: { principal: ALICE, action: 'iam:GetRole', resource: ROLE } }), 'resource');
  assert.equal(resourcePolicyKindOf({ request: { principal: ALICE, action: 'kms:ListKeys', resource: '*' } }), 'resource');
  assert.equal(decide('sts:AssumeRole', ROLE, { resourcePolicyKind: 'resource' }), 'Allow');
  assert.equal(decide('kms:Decrypt', KEY, { resourcePolicyKind: 'resource' }), 'Allow');
});
