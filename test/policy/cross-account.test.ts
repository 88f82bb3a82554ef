// Cross-account requests: both the caller's account (identity policies, boundary, session policies, SCPs)
// and the resource's account (resource policy, RCPs) must allow.
// Page: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.js';
import type { AuthorizationRequest, Decision, EvaluationInput, PolicyInput } from '../../src/policy/types.js';

const CROSS = 'reference_policies_evaluation-logic-cross-account.html';
const PRINCIPAL = 'reference_policies_elements_principal.html';

const ACCOUNT_A = '111122223333'; // the caller's (trusted) account
const ACCOUNT_B = '444455556666'; // the resource's (trusting) account
const ACCOUNT_C = '777788889999';
const USER_A = `arn:aws:iam::${ACCOUNT_A}:user/ana`;
const ROOT_A = `arn:aws:iam::${ACCOUNT_A}:root`;
const ROLE_A = `arn:aws:iam::${ACCOUNT_A}:role/DeploymentRole`;
const SESSION_A = `arn:aws:sts::${ACCOUNT_A}:assumed-role/DeploymentRole/deploy-42`;
const USER_C = `arn:aws:iam::${ACCOUNT_C}:user/carl`;
const QUEUE_B = `arn:aws:sqs:us-east-1:${ACCOUNT_B}:orders`;
const BUCKET_OBJECT = 'arn:aws:s3:::shared-data/report.csv';
const BUCKET = ['arn:aws:s3:::shared-data', 'arn:aws:s3:::shared-data/*'];
const ROLE_B = `arn:aws:iam::${ACCOUNT_B}:role/CrossAccountRole`;
const KEY_B = `arn:aws:kms:us-east-1:${ACCOUNT_B}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function policy(...statements: object[]): PolicyInput {
  return { document: { Version: '2012-10-17', Statement: statements } };
}

function allowAll(action: string): PolicyInput {
  return policy({ Effect: 'Allow', Action: action, Resource: '*' });
}

// RCPs name every principal and only deny; AWS's RCPFullAWSAccess is the one Allow (orgs_manage_policies_rcps_syntax.html).
const RCP_FULL_AWS_ACCESS = policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });

function queuePolicy(principal: unknown, effect: 'Allow' | 'Deny' = 'Allow'): PolicyInput {
  return policy({ Effect: effect, Principal: principal, Action: 'sqs:SendMessage', Resource: QUEUE_B });
}

function sendToQueueB(principal: string, more: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return { principal, action: 'sqs:SendMessage', resource: QUEUE_B, ...more };
}

function decide(input: EvaluationInput): Decision {
  return evaluate(input).decision;
}

// ---------------------------------------------------------------------------------------------------
// Both sides must allow
// ---------------------------------------------------------------------------------------------------

test(`cross-account: identity allow in A and resource allow in B → Allow (${CROSS})`, () => {
  assert.equal(decide({ request: sendToQueueB(USER_A), identityPolicies: [allowAll('sqs:SendMessage')], resourcePolicy: queuePolicy({ AWS: USER_A }) }), 'Allow');
});

test(`cross-account: an identity allow without a resource policy → ImplicitDeny (${CROSS})`, () => {
  const result = evaluate({ request: sendToQueueB(USER_A), identityPolicies: [allowAll('sqs:*')] }, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.equal(result.explain?.deniedBy, 'resource');
});

test(`cross-account: a resource policy that doesn't name the caller → ImplicitDeny even with an identity allow (${CROSS})`, () => {
  assert.equal(decide({ request: sendToQueueB(USER_A), identityPolicies: [allowAll('sqs:*')], resourcePolicy: queuePolicy({ AWS: USER_C }) }), 'ImplicitDeny');
});

test(`cross-account: a resource allow naming the user without an identity allow → ImplicitDeny (${CROSS})`, () => {
  const result = evaluate({ request: sendToQueueB(USER_A), resourcePolicy: queuePolicy({ AWS: USER_A }) }, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.equal(result.explain?.deniedBy, 'identity');
});

test(`cross-account: an explicit deny in B's resource policy wins over both allows (${CROSS})`, () => {
  const resourcePolicy = policy(
    { Effect: 'Allow', Principal: { AWS: ACCOUNT_A }, Action: 'sqs:*', Resource: QUEUE_B },
    { Effect: 'Deny', Principal: { AWS: USER_A }, Action: 'sqs:SendMessage', Resource: QUEUE_B },
  );
  assert.equal(decide({ request: sendToQueueB(USER_A), identityPolicies: [allowAll('sqs:*')], resourcePolicy }), 'ExplicitDeny');
});

test(`cross-account: an explicit deny in A's identity policy wins over B's grant (${CROSS})`, () => {
  const identity = policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }, { Effect: 'Deny', Action: 'sqs:SendMessage', Resource: '*' });
  assert.equal(decide({ request: sendToQueueB(USER_A), identityPolicies: [identity], resourcePolicy: queuePolicy({ AWS: USER_A }) }), 'ExplicitDeny');
});

test(`cross-account: the caller's permissions boundary still limits its identity allow (${CROSS}; access_policies_boundaries.html)`, () => {
  const input = {
    request: sendToQueueB(USER_A),
    identityPolicies: [allowAll('sqs:*')],
    permissionsBoundary: allowAll('s3:*'),
    resourcePolicy: queuePolicy({ AWS: USER_A }),
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`cross-account: the caller's session policy limits a role session (${CROSS}; access_policies.html#policies_session)`, () => {
  const base = { request: sendToQueueB(SESSION_A), identityPolicies: [allowAll('sqs:*')], resourcePolicy: queuePolicy({ AWS: ROLE_A }) };
  assert.equal(decide(base), 'Allow');
  assert.equal(decide({ ...base, sessionPolicies: [allowAll('s3:*')] }), 'ImplicitDeny');
});

test(`cross-account: a grant to the session ARN still needs the caller's identity allow (${CROSS})`, () => {
  assert.equal(decide({ request: sendToQueueB(SESSION_A), resourcePolicy: queuePolicy({ AWS: SESSION_A }) }), 'ImplicitDeny');
});

test(`cross-account: SCPs of the caller's account apply (${CROSS}; orgs_manage_policies_scps_evaluation.html)`, () => {
  const base = { request: sendToQueueB(USER_A), identityPolicies: [allowAll('sqs:*')], resourcePolicy: queuePolicy({ AWS: USER_A }) };
  assert.equal(decide({ ...base, serviceControlPolicies: [[allowAll('*')]] }), 'Allow');
  assert.equal(decide({ ...base, serviceControlPolicies: [[allowAll('s3:*')]] }), 'ImplicitDeny');
});

test(`cross-account: RCPs of the resource's account apply to outside callers (${CROSS}; orgs_manage_policies_rcps.html)`, () => {
  const base = { request: sendToQueueB(USER_A), identityPolicies: [allowAll('sqs:*')], resourcePolicy: queuePolicy({ AWS: USER_A }) };
  const perimeter = policy({ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-exampleorg' } } });
  const levels = [[RCP_FULL_AWS_ACCESS, perimeter]];
  assert.equal(decide({ ...base, resourceControlPolicies: levels }), 'ExplicitDeny');
  assert.equal(decide({ ...base, request: sendToQueueB(USER_A, { context: { 'aws:PrincipalOrgID': 'o-exampleorg' } }), resourceControlPolicies: levels }), 'Allow');
});

test(`cross-account: the management account's principals escape SCPs but not the resource account's RCPs (orgs_manage_policies_scps_evaluation.html; orgs_manage_policies_rcps.html)`, () => {
  const input = {
    request: sendToQueueB(USER_A),
    identityPolicies: [allowAll('sqs:*')],
    resourcePolicy: queuePolicy({ AWS: USER_A }),
    serviceControlPolicies: [[allowAll('s3:*')]],
    managementAccount: ACCOUNT_A,
  };
  assert.equal(decide(input), 'Allow');
  const denySqs = policy({ Effect: 'Deny', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' });
  assert.equal(decide({ ...input, resourceControlPolicies: [[RCP_FULL_AWS_ACCESS, denySqs]] }), 'ExplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Account principals delegate to the trusted account
// ---------------------------------------------------------------------------------------------------

test(`account principal (":root") in B's policy plus an identity allow in A → Allow (${PRINCIPAL}#principal-accounts)`, () => {
  assert.equal(decide({ request: sendToQueueB(USER_A), identityPolicies: [allowAll('sqs:SendMessage')], resourcePolicy: queuePolicy({ AWS: ROOT_A }) }), 'Allow');
});

test(`account principal (bare id) in B's policy plus an identity allow in A → Allow (${PRINCIPAL}#principal-accounts)`, () => {
  assert.equal(decide({ request: sendToQueueB(SESSION_A), identityPolicies: [allowAll('sqs:SendMessage')], resourcePolicy: queuePolicy({ AWS: ACCOUNT_A }) }), 'Allow');
});

test(`account principal delegates: without an identity allow in A the request is implicitly denied (${PRINCIPAL}#principal-accounts)`, () => {
  assert.equal(decide({ request: sendToQueueB(USER_A), identityPolicies: [allowAll('s3:*')], resourcePolicy: queuePolicy({ AWS: ROOT_A }) }), 'ImplicitDeny');
});

test(`account principal names one account only: a caller from a third account is not trusted (${PRINCIPAL}#principal-accounts)`, () => {
  assert.equal(decide({ request: sendToQueueB(USER_C), identityPolicies: [allowAll('sqs:*')], resourcePolicy: queuePolicy({ AWS: ROOT_A }) }), 'ImplicitDeny');
});

test(`cross-account root user: B's grant to account A lets A's root in, with no identity policy (root is not limited by identity policies, ${CROSS})`, () => {
  assert.equal(decide({ request: sendToQueueB(ROOT_A), resourcePolicy: queuePolicy({ AWS: ACCOUNT_A }) }), 'Allow');
});

test(`cross-account root user: no grant in B → ImplicitDeny (root's full access stops at its own account, ${CROSS})`, () => {
  assert.equal(decide({ request: sendToQueueB(ROOT_A) }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Role trust and key policies across accounts
// ---------------------------------------------------------------------------------------------------

function assumeRoleB(principal: string, context: AuthorizationRequest['context'] = {}): AuthorizationRequest {
  return { principal, action: 'sts:AssumeRole', resource: ROLE_B, context };
}

test(`cross-account AssumeRole: trust naming account A plus A's identity allow → Allow (${CROSS}; id_roles_common-scenarios_aws-accounts.html)`, () => {
  const input: EvaluationInput = {
    request: assumeRoleB(USER_A),
    identityPolicies: [policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE_B })],
    resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: ROOT_A }, Action: 'sts:AssumeRole' }),
    resourcePolicyKind: 'trust',
  };
  assert.equal(decide(input), 'Allow');
});

test(`cross-account AssumeRole: trust naming the user directly still needs the user's identity allow (${CROSS}; API_AssumeRole.html)`, () => {
  const input: EvaluationInput = {
    request: assumeRoleB(USER_A),
    resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: USER_A }, Action: 'sts:AssumeRole' }),
    resourcePolicyKind: 'trust',
  };
  assert.equal(decide(input), 'ImplicitDeny');
  assert.equal(decide({ ...input, identityPolicies: [allowAll('sts:AssumeRole')] }), 'Allow');
});

test(`cross-account AssumeRole: an identity allow with no trust for A → ImplicitDeny (${CROSS})`, () => {
  const input: EvaluationInput = {
    request: assumeRoleB(USER_A),
    identityPolicies: [allowAll('sts:AssumeRole')],
    resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_C}:root` }, Action: 'sts:AssumeRole' }),
    resourcePolicyKind: 'trust',
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`cross-account KMS: key policy naming account A plus A's identity allow → Allow (kms key-policy-modifying-external-accounts.html)`, () => {
  const input: EvaluationInput = {
    request: { principal: USER_A, action: 'kms:Decrypt', resource: KEY_B },
    identityPolicies: [policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_B })],
    resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: ROOT_A }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }),
    resourcePolicyKind: 'key',
  };
  assert.equal(decide(input), 'Allow');
  assert.equal(decide({ ...input, identityPolicies: [] }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Which account owns the resource
// ---------------------------------------------------------------------------------------------------

test(`resourceAccount defaults to the account in the resource ARN: another account's queue needs its policy (${CROSS})`, () => {
  assert.equal(decide({ request: sendToQueueB(USER_A), identityPolicies: [allowAll('sqs:*')] }), 'ImplicitDeny');
});

test(`resourceAccount defaults to the caller's account when the ARN has none (S3): identity allow suffices (${CROSS})`, () => {
  const request = { principal: USER_A, action: 's3:GetObject', resource: BUCKET_OBJECT };
  assert.equal(decide({ request, identityPolicies: [allowAll('s3:GetObject')] }), 'Allow');
});

test(`resourceAccount defaults to the caller's account for resource "*" (${CROSS})`, () => {
  const request = { principal: USER_A, action: 'ec2:DescribeInstances', resource: '*' };
  assert.equal(decide({ request, identityPolicies: [allowAll('ec2:Describe*')] }), 'Allow');
});

test(`an explicit resourceAccount makes an S3 request cross-account: the bucket policy must allow too (${CROSS})`, () => {
  const request = { principal: USER_A, action: 's3:GetObject', resource: BUCKET_OBJECT, resourceAccount: ACCOUNT_B };
  const identityPolicies = [allowAll('s3:GetObject')];
  assert.equal(decide({ request, identityPolicies }), 'ImplicitDeny');
  const bucketPolicy = policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT_A }, Action: 's3:GetObject', Resource: BUCKET });
  assert.equal(decide({ request, identityPolicies, resourcePolicy: bucketPolicy }), 'Allow');
});

test(`an explicit resourceAccount equal to the caller's makes it same-account: the resource grant alone suffices (${CROSS})`, () => {
  const request = { principal: USER_A, action: 's3:GetObject', resource: BUCKET_OBJECT, resourceAccount: ACCOUNT_A };
  const bucketPolicy = policy({ Effect: 'Allow', Principal: { AWS: USER_A }, Action: 's3:GetObject', Resource: BUCKET });
  assert.equal(decide({ request, resourcePolicy: bucketPolicy }), 'Allow');
});

test(`an explicit resourceAccount overrides the ARN's account (${CROSS})`, () => {
  const request = sendToQueueB(USER_A, { resourceAccount: ACCOUNT_A });
  assert.equal(decide({ request, identityPolicies: [allowAll('sqs:*')] }), 'Allow');
});
