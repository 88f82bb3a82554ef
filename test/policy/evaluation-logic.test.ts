// Decision logic within one account: implicit and explicit deny, the union of identity and resource
// policies, boundaries, session policies, SCPs, RCPs, anonymous and root callers, trust and key policies,
// and what a decision reports about itself (decisive statements, explanation).
// Pages: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html and
// reference_policies_evaluation-logic_policy-eval-denyallow.html unless a test names another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.js';
import type { AuthorizationRequest, EvaluationInput, PolicyInput, StatementRef } from '../../src/policy/types.js';

const ACCOUNT = '111122223333';
const MANAGEMENT_ACCOUNT = '999988887777';
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`;
const FEDERATED_USER = `arn:aws:sts::${ACCOUNT}:federated-user/carol`;
const OBJECT = 'arn:aws:s3:::reports/2024/q1.csv';
const BUCKET_OBJECTS = 'arn:aws:s3:::reports/*';
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`;
const TARGET_ROLE = `arn:aws:iam::${ACCOUNT}:role/target`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const DENY_EVAL = 'reference_policies_evaluation-logic_policy-eval-denyallow.html';
const EVAL = 'reference_policies_evaluation-logic.html';
const BOUNDARIES = 'access_policies_boundaries.html';
const SESSION_POLICIES = 'access_policies.html#policies_session';
const SCP_EVAL = 'orgs_manage_policies_scps_evaluation.html';
const RCP_PAGE = 'orgs_manage_policies_rcps.html';

function policy(...statements: object[]): PolicyInput {
  return { document: { Version: '2012-10-17', Statement: statements } };
}

function namedPolicy(name: string, ...statements: object[]): PolicyInput {
  return { name, document: { Version: '2012-10-17', Statement: statements } };
}

function allow(action: string | string[], resource: string | string[] = '*', extra: object = {}): object {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}

function deny(action: string | string[], resource: string | string[] = '*', extra: object = {}): object {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}

function allowFor(principal: unknown, action: string | string[], resource: string | string[], extra: object = {}): object {
  return { Effect: 'Allow', Principal: principal, Action: action, Resource: resource, ...extra };
}

function denyFor(principal: unknown, action: string | string[], resource: string | string[], extra: object = {}): object {
  return { Effect: 'Deny', Principal: principal, Action: action, Resource: resource, ...extra };
}

const FULL_ACCESS = policy(allow('*'));
// RCPs name every principal and only deny; AWS's RCPFullAWSAccess is the one Allow (orgs_manage_policies_rcps_syntax.html).
const RCP_FULL_AWS_ACCESS = policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });

function rcpDeny(action: string | string[], extra: object = {}): object {
  return { Effect: 'Deny', Principal: '*', Action: action, Resource: '*', ...extra };
}

function request(principal: string, action: string, resource: string, more: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return { principal, action, resource, ...more };
}

function getObject(principal: string, more: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return request(principal, 's3:GetObject', OBJECT, more);
}

function decide(input: EvaluationInput): string {
  return evaluate(input).decision;
}

function hasDecisive(refs: StatementRef[], expected: Partial<StatementRef>): boolean {
  return refs.some((ref) => Object.entries(expected).every(([key, value]) => (ref as unknown as Record<string, unknown>)[key] === value));
}

// ---------------------------------------------------------------------------------------------------
// Default implicit deny and explicit deny in each policy type
// ---------------------------------------------------------------------------------------------------

test(`implicit deny by default: no policy at all → ImplicitDeny with nothing decisive (${DENY_EVAL})`, () => {
  const result = evaluate({ request: getObject(BOB) });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.deepEqual(result.decisive, []);
});

test(`identity policy allow for the action and resource → Allow (${EVAL})`, () => {
  assert.equal(decide({ request: getObject(BOB), identityPolicies: [policy(allow('s3:GetObject', BUCKET_OBJECTS))] }), 'Allow');
});

test(`identity policy allowing another action leaves the request implicitly denied (${DENY_EVAL})`, () => {
  assert.equal(decide({ request: getObject(BOB), identityPolicies: [policy(allow('s3:PutObject', BUCKET_OBJECTS))] }), 'ImplicitDeny');
});

test(`identity policy allowing another resource leaves the request implicitly denied (${DENY_EVAL})`, () => {
  assert.equal(decide({ request: getObject(BOB), identityPolicies: [policy(allow('s3:GetObject', 'arn:aws:s3:::other/*'))] }), 'ImplicitDeny');
});

test(`an Allow whose condition is not met does not apply → ImplicitDeny (${DENY_EVAL})`, () => {
  const statement = allow('s3:GetObject', BUCKET_OBJECTS, { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } });
  const input = { identityPolicies: [policy(statement)] };
  assert.equal(decide({ ...input, request: getObject(BOB, { context: { 'aws:RequestedRegion': 'eu-west-1' } }) }), 'ImplicitDeny');
  assert.equal(decide({ ...input, request: getObject(BOB, { context: { 'aws:RequestedRegion': 'us-east-1' } }) }), 'Allow');
});

test(`explicit deny in an identity policy overrides its allow → ExplicitDeny (${DENY_EVAL})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [policy(allow('s3:*'), deny('s3:GetObject', BUCKET_OBJECTS))] };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`explicit deny in one identity policy overrides an allow in another (${DENY_EVAL})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [policy(allow('*')), policy(deny('s3:Get*'))] };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`statement order does not matter: a Deny written before the Allow still wins (${DENY_EVAL})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [policy(deny('s3:GetObject'), allow('s3:GetObject'))] };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`a matching Deny with no Allow anywhere is an explicit, not implicit, deny (${EVAL}#AccessPolicyLanguage_Interplay)`, () => {
  assert.equal(decide({ request: getObject(BOB), identityPolicies: [policy(deny('s3:*'))] }), 'ExplicitDeny');
});

test(`a Deny for another action does not affect an allowed request (${DENY_EVAL})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [policy(allow('s3:*'), deny('s3:DeleteObject'))] };
  assert.equal(decide(input), 'Allow');
});

test(`a Deny whose condition is not met does not apply (${DENY_EVAL})`, () => {
  const denyOutsideOffice = deny('s3:*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } });
  const input = { identityPolicies: [policy(allow('s3:*'), denyOutsideOffice)] };
  assert.equal(decide({ ...input, request: getObject(BOB, { context: { 'aws:SourceIp': '203.0.113.7' } }) }), 'Allow');
  assert.equal(decide({ ...input, request: getObject(BOB, { context: { 'aws:SourceIp': '198.51.100.7' } }) }), 'ExplicitDeny');
});

test(`explicit deny in the permissions boundary overrides identity allows (${BOUNDARIES})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [FULL_ACCESS],
    permissionsBoundary: policy(allow('*'), deny('s3:GetObject')),
  };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`explicit deny in a session policy overrides the role's allows (${SESSION_POLICIES})`, () => {
  const input = { request: getObject(SESSION), identityPolicies: [FULL_ACCESS], sessionPolicies: [policy(allow('*'), deny('s3:*'))] };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`explicit deny in the resource policy overrides an identity allow (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [FULL_ACCESS],
    resourcePolicy: policy(denyFor({ AWS: BOB }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`explicit deny in the resource policy overrides an allow in the same resource policy (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    resourcePolicy: policy(allowFor({ AWS: BOB }, 's3:*', BUCKET_OBJECTS), denyFor('*', 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`explicit deny in an SCP overrides every allow (${SCP_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [FULL_ACCESS],
    serviceControlPolicies: [[policy(allow('*'), deny('s3:GetObject'))]],
  };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`explicit deny in an SCP attached to an OU (middle level) overrides every allow (${SCP_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [FULL_ACCESS],
    serviceControlPolicies: [[FULL_ACCESS], [FULL_ACCESS, policy(deny('s3:*'))], [FULL_ACCESS]],
  };
  const result = evaluate(input);
  assert.equal(result.decision, 'ExplicitDeny');
  assert.ok(hasDecisive(result.decisive, { policyType: 'scp', level: 1, effect: 'Deny' }));
});

test(`explicit deny in an RCP overrides identity and resource allows (${RCP_PAGE})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [FULL_ACCESS],
    resourcePolicy: policy(allowFor({ AWS: BOB }, 's3:*', BUCKET_OBJECTS)),
    resourceControlPolicies: [[RCP_FULL_AWS_ACCESS, policy(rcpDeny('s3:GetObject'))]],
  };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`explicit deny in an identity policy still applies when the resource policy grants the session ARN (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(SESSION),
    identityPolicies: [policy(deny('s3:GetObject'))],
    resourcePolicy: policy(allowFor({ AWS: SESSION }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`explicit deny in the boundary still applies when the resource policy grants the user ARN (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    permissionsBoundary: policy(allow('*'), deny('s3:*')),
    resourcePolicy: policy(allowFor({ AWS: BOB }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'ExplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Same account: identity OR resource policy
// ---------------------------------------------------------------------------------------------------

test(`same account: a resource policy naming the user allows without any identity policy (${EVAL}#policy-eval-basics-id-rdp)`, () => {
  const input = { request: getObject(BOB), resourcePolicy: policy(allowFor({ AWS: BOB }, 's3:GetObject', BUCKET_OBJECTS)) };
  assert.equal(decide(input), 'Allow');
});

test(`same account: an identity allow suffices when the resource policy does not mention the caller (${EVAL}#policy-eval-basics-id-rdp)`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [policy(allow('s3:GetObject', BUCKET_OBJECTS))],
    resourcePolicy: policy(allowFor({ AWS: ALICE }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'Allow');
});

test(`same account: identity and resource allows together → Allow (Carlos example, ${EVAL}#policies_evaluation_example)`, () => {
  const carlos = `arn:aws:iam::${ACCOUNT}:user/carlossalazar`;
  const identity = policy(
    { Sid: 'AllowS3Self', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] },
    { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
  );
  const bucketPolicy = policy(allowFor({ AWS: carlos }, 's3:*', ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar']));
  const put = (resource: string) => request(carlos, 's3:PutObject', resource);
  assert.equal(decide({ request: put('arn:aws:s3:::carlossalazar/notes.txt'), identityPolicies: [identity], resourcePolicy: bucketPolicy }), 'Allow');
  assert.equal(decide({ request: put('arn:aws:s3:::carlossalazar-logs/notes.txt'), identityPolicies: [identity], resourcePolicy: bucketPolicy }), 'ExplicitDeny');
});

test(`same account: neither the identity policy nor the resource policy allows → ImplicitDeny (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [policy(allow('s3:PutObject'))],
    resourcePolicy: policy(allowFor({ AWS: ALICE }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`same account: a resource policy statement for another resource does not allow (${DENY_EVAL})`, () => {
  const input = { request: getObject(BOB), resourcePolicy: policy(allowFor({ AWS: BOB }, 's3:GetObject', 'arn:aws:s3:::archive/*')) };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`same account: a resource policy allowing Principal "*" allows the user without identity policy (${EVAL}#policy-eval-basics-id-rdp)`, () => {
  const input = { request: getObject(BOB), resourcePolicy: policy(allowFor('*', 's3:GetObject', BUCKET_OBJECTS)) };
  assert.equal(decide(input), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// Permissions boundaries
// ---------------------------------------------------------------------------------------------------

test(`boundary: identity allow inside the boundary → Allow (${BOUNDARIES})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [FULL_ACCESS], permissionsBoundary: policy(allow('s3:*')) };
  assert.equal(decide(input), 'Allow');
});

test(`boundary: identity allow outside the boundary → ImplicitDeny decided by the boundary (${BOUNDARIES})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [FULL_ACCESS], permissionsBoundary: policy(allow('ec2:*')) };
  const result = evaluate(input, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.equal(result.explain?.deniedBy, 'boundary');
});

test(`boundary never grants: boundary allows but no identity policy does → ImplicitDeny (${BOUNDARIES})`, () => {
  const input = { request: getObject(BOB), permissionsBoundary: policy(allow('*')) };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`boundary: effective permissions are the intersection of identity policies and boundary (${BOUNDARIES})`, () => {
  const base = { identityPolicies: [policy(allow(['s3:*', 'ec2:*']))], permissionsBoundary: policy(allow(['s3:*', 'iam:*'])) };
  assert.equal(decide({ ...base, request: getObject(BOB) }), 'Allow');
  assert.equal(decide({ ...base, request: request(BOB, 'ec2:RunInstances', '*') }), 'ImplicitDeny');
  assert.equal(decide({ ...base, request: request(BOB, 'iam:CreateUser', '*') }), 'ImplicitDeny');
});

test(`boundary: a boundary statement with an unmet condition does not allow (${BOUNDARIES})`, () => {
  const boundary = policy(allow('s3:*', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }));
  const base = { identityPolicies: [FULL_ACCESS], permissionsBoundary: boundary };
  assert.equal(decide({ ...base, request: getObject(BOB, { context: { 'aws:RequestedRegion': 'us-east-1' } }) }), 'Allow');
  assert.equal(decide({ ...base, request: getObject(BOB) }), 'ImplicitDeny');
});

test(`boundary on a role limits its sessions (${BOUNDARIES})`, () => {
  const input = { request: getObject(SESSION), identityPolicies: [FULL_ACCESS], permissionsBoundary: policy(allow('sqs:*')) };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`resource policy granting the IAM user ARN is not limited by an implicit deny in the user's boundary (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    permissionsBoundary: policy(allow('ec2:*')),
    resourcePolicy: policy(allowFor({ AWS: BOB }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'Allow');
});

test(`resource policy granting the IAM user ARN is not limited by an implicit deny in the identity policy (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [policy(allow('ec2:*'))],
    resourcePolicy: policy(allowFor({ AWS: BOB }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'Allow');
});

test(`resource policy granting the role ARN is limited by an implicit deny in the role's boundary (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(SESSION),
    permissionsBoundary: policy(allow('ec2:*')),
    resourcePolicy: policy(allowFor({ AWS: ROLE }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`resource policy granting the role ARN is not limited by an implicit deny in the role's identity policy (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(SESSION),
    identityPolicies: [policy(allow('ec2:*'))],
    resourcePolicy: policy(allowFor({ AWS: ROLE }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'Allow');
});

test(`resource policy granting the role ARN allows its session when the boundary allows the action (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(SESSION),
    permissionsBoundary: policy(allow('s3:*')),
    resourcePolicy: policy(allowFor({ AWS: ROLE }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'Allow');
});

test(`resource policy granting the role-session ARN is not limited by an implicit deny in the boundary (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(SESSION),
    permissionsBoundary: policy(allow('ec2:*')),
    resourcePolicy: policy(allowFor({ AWS: SESSION }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'Allow');
});

test(`resource policy with Principal "*" and an aws:PrincipalArn condition is not limited by the boundary's implicit deny (${DENY_EVAL}; reference_policies_elements_principal.html)`, () => {
  const statement = allowFor('*', 's3:GetObject', BUCKET_OBJECTS, { Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE } } });
  const input = { request: getObject(SESSION), permissionsBoundary: policy(allow('ec2:*')), resourcePolicy: policy(statement) };
  assert.equal(decide(input), 'Allow');
});

test(`resource policy with Principal "*" and an aws:PrincipalArn condition for another role does not allow (${DENY_EVAL})`, () => {
  const other = `arn:aws:iam::${ACCOUNT}:role/other`;
  const statement = allowFor('*', 's3:GetObject', BUCKET_OBJECTS, { Condition: { ArnEquals: { 'aws:PrincipalArn': other } } });
  assert.equal(decide({ request: getObject(SESSION), resourcePolicy: policy(statement) }), 'ImplicitDeny');
});

test(`same account: a resource policy naming the account delegates to identity policies, which must allow (reference_policies_elements_principal.html#principal-accounts)`, () => {
  const bucketPolicy = policy(allowFor({ AWS: ROOT }, 's3:GetObject', BUCKET_OBJECTS));
  assert.equal(decide({ request: getObject(BOB), resourcePolicy: bucketPolicy }), 'ImplicitDeny');
  assert.equal(decide({ request: getObject(BOB), resourcePolicy: bucketPolicy, identityPolicies: [policy(allow('s3:GetObject'))] }), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// Session policies
// ---------------------------------------------------------------------------------------------------

test(`role session without session policies: the role's identity allow decides → Allow (${DENY_EVAL})`, () => {
  assert.equal(decide({ request: getObject(SESSION), identityPolicies: [policy(allow('s3:GetObject'))] }), 'Allow');
});

test(`session policy present that does not allow the action → ImplicitDeny decided by the session policy (${DENY_EVAL})`, () => {
  const input = { request: getObject(SESSION), identityPolicies: [FULL_ACCESS], sessionPolicies: [policy(allow('ec2:*'))] };
  const result = evaluate(input, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.equal(result.explain?.deniedBy, 'session');
});

test(`session policy that allows, with an identity allow → Allow (${SESSION_POLICIES})`, () => {
  const input = { request: getObject(SESSION), identityPolicies: [FULL_ACCESS], sessionPolicies: [policy(allow('s3:GetObject', BUCKET_OBJECTS))] };
  assert.equal(decide(input), 'Allow');
});

test(`session policy cannot grant beyond the role's identity policies (${SESSION_POLICIES})`, () => {
  const input = { request: getObject(SESSION), identityPolicies: [policy(allow('ec2:*'))], sessionPolicies: [FULL_ACCESS] };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`several session policies (inline + managed) combine as a union (${SESSION_POLICIES})`, () => {
  const base = {
    identityPolicies: [FULL_ACCESS],
    sessionPolicies: [policy(allow('s3:GetObject')), policy(allow('s3:PutObject'))],
  };
  assert.equal(decide({ ...base, request: getObject(SESSION) }), 'Allow');
  assert.equal(decide({ ...base, request: request(SESSION, 's3:PutObject', OBJECT) }), 'Allow');
  assert.equal(decide({ ...base, request: request(SESSION, 's3:DeleteObject', OBJECT) }), 'ImplicitDeny');
});

test(`session permissions = session ∩ identity ∩ boundary: boundary missing the action → ImplicitDeny (${SESSION_POLICIES})`, () => {
  const input = {
    request: getObject(SESSION),
    identityPolicies: [FULL_ACCESS],
    sessionPolicies: [FULL_ACCESS],
    permissionsBoundary: policy(allow('ec2:*')),
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`resource policy granting the role ARN is limited by an implicit deny in the session policy (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(SESSION),
    sessionPolicies: [policy(allow('ec2:*'))],
    resourcePolicy: policy(allowFor({ AWS: ROLE }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`resource policy granting the role-session ARN is not limited by an implicit deny in the session policy (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(SESSION),
    sessionPolicies: [policy(allow('ec2:*'))],
    resourcePolicy: policy(allowFor({ AWS: SESSION }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'Allow');
});

test(`resource policy with Principal "*" and aws:PrincipalArn is not limited by an implicit deny in the session policy (${DENY_EVAL})`, () => {
  const statement = allowFor('*', 's3:GetObject', BUCKET_OBJECTS, { Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app` } } });
  const input = { request: getObject(SESSION), sessionPolicies: [policy(allow('ec2:*'))], resourcePolicy: policy(statement) };
  assert.equal(decide(input), 'Allow');
});

test(`federated user session (GetFederationToken) without a session policy → ImplicitDeny even with identity allows (${DENY_EVAL})`, () => {
  assert.equal(decide({ request: getObject(FEDERATED_USER), identityPolicies: [FULL_ACCESS] }), 'ImplicitDeny');
});

test(`federated user session with a session policy that allows, and identity allows → Allow (${DENY_EVAL})`, () => {
  const input = { request: getObject(FEDERATED_USER), identityPolicies: [FULL_ACCESS], sessionPolicies: [policy(allow('s3:GetObject'))] };
  assert.equal(decide(input), 'Allow');
});

test(`resource policy granting the federated-user session ARN is not limited by its session policy (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(FEDERATED_USER),
    sessionPolicies: [policy(allow('ec2:*'))],
    resourcePolicy: policy(allowFor({ AWS: FEDERATED_USER }, 's3:GetObject', BUCKET_OBJECTS)),
  };
  assert.equal(decide(input), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// Service control policies
// ---------------------------------------------------------------------------------------------------

test(`SCPs: FullAWSAccess at root, OU and account → the identity allow stands (${SCP_EVAL})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [FULL_ACCESS], serviceControlPolicies: [[FULL_ACCESS], [FULL_ACCESS], [FULL_ACCESS]] };
  assert.equal(decide(input), 'Allow');
});

test(`SCPs: a level that does not allow the action → ImplicitDeny decided by the SCP (${SCP_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [FULL_ACCESS],
    serviceControlPolicies: [[FULL_ACCESS], [policy(allow('ec2:*'))], [FULL_ACCESS]],
  };
  const result = evaluate(input, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.equal(result.explain?.deniedBy, 'scp');
});

test(`SCPs: the account level must allow too, even when root and OU allow (${SCP_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [FULL_ACCESS],
    serviceControlPolicies: [[FULL_ACCESS], [FULL_ACCESS], [policy(allow('ec2:*'))]],
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`SCPs: one allowing SCP among several at a level is enough for that level (${SCP_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [FULL_ACCESS],
    serviceControlPolicies: [[FULL_ACCESS], [policy(allow('ec2:*')), policy(allow('s3:*'))]],
  };
  assert.equal(decide(input), 'Allow');
});

test(`SCPs: an empty level has no allow, so everything is implicitly denied (${SCP_EVAL})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [FULL_ACCESS], serviceControlPolicies: [[FULL_ACCESS], []] };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`SCPs never grant: FullAWSAccess without an identity or resource allow → ImplicitDeny (${SCP_EVAL})`, () => {
  assert.equal(decide({ request: getObject(BOB), serviceControlPolicies: [[FULL_ACCESS]] }), 'ImplicitDeny');
});

test(`SCPs: an SCP allow restricted to some resources does not allow others (${SCP_EVAL})`, () => {
  const base = { identityPolicies: [FULL_ACCESS], serviceControlPolicies: [[policy(allow('s3:*', 'arn:aws:s3:::reports/*'))]] };
  assert.equal(decide({ ...base, request: getObject(BOB) }), 'Allow');
  assert.equal(decide({ ...base, request: request(BOB, 's3:GetObject', 'arn:aws:s3:::archive/x') }), 'ImplicitDeny');
});

test(`SCPs limit member principals even when a resource policy grants them (${EVAL}#policy-eval-basics)`, () => {
  const input = {
    request: getObject(BOB),
    resourcePolicy: policy(allowFor({ AWS: BOB }, 's3:GetObject', BUCKET_OBJECTS)),
    serviceControlPolicies: [[policy(allow('ec2:*'))]],
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`SCPs don't apply to principals of the management account (${SCP_EVAL})`, () => {
  const admin = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:user/admin`;
  const input = {
    request: request(admin, 's3:GetObject', OBJECT),
    identityPolicies: [FULL_ACCESS],
    serviceControlPolicies: [[policy(deny('*'))], []],
    managementAccount: MANAGEMENT_ACCOUNT,
  };
  assert.equal(decide(input), 'Allow');
});

test(`SCPs still apply to a member account when managementAccount names another account (${SCP_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [FULL_ACCESS],
    serviceControlPolicies: [[policy(allow('*'), deny('s3:*'))]],
    managementAccount: MANAGEMENT_ACCOUNT,
  };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`SCPs don't apply to service-linked roles (path /aws-service-role/) (${SCP_EVAL})`, () => {
  const slrArn = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`;
  const slrSession = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSServiceRoleForECS/ecs-service`;
  const input = {
    request: request(slrSession, 'ec2:DescribeInstances', '*', { context: { 'aws:PrincipalArn': slrArn } }),
    identityPolicies: [policy(allow('ec2:Describe*'))],
    serviceControlPolicies: [[policy(deny('*'))]],
  };
  assert.equal(decide(input), 'Allow');
});

test(`SCPs bind the root user of a member account: allowed only what the SCPs allow (${SCP_EVAL})`, () => {
  const base = { serviceControlPolicies: [[policy(allow('s3:*'))]] };
  assert.equal(decide({ ...base, request: getObject(ROOT) }), 'Allow');
  assert.equal(decide({ ...base, request: request(ROOT, 'ec2:RunInstances', '*') }), 'ImplicitDeny');
});

test(`SCPs bind the root user of a member account: an SCP Deny is an explicit deny for root (${SCP_EVAL})`, () => {
  const input = { request: request(ROOT, 'organizations:LeaveOrganization', '*'), serviceControlPolicies: [[policy(allow('*'), deny('organizations:LeaveOrganization'))]] };
  assert.equal(decide(input), 'ExplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Resource control policies
// ---------------------------------------------------------------------------------------------------

test(`RCPs: RCPFullAWSAccess at every level leaves the decision to the other policies (${RCP_PAGE})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [FULL_ACCESS], resourceControlPolicies: [[RCP_FULL_AWS_ACCESS], [RCP_FULL_AWS_ACCESS]] };
  assert.equal(decide(input), 'Allow');
});

test(`RCPs: a level without RCPFullAWSAccess (only a deny for other actions) → ImplicitDeny decided by the RCP (${RCP_PAGE})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [FULL_ACCESS], resourceControlPolicies: [[RCP_FULL_AWS_ACCESS], [policy(rcpDeny('sqs:*'))]] };
  const result = evaluate(input, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.equal(result.explain?.deniedBy, 'rcp');
});

test(`RCPs: an empty level denies (${RCP_PAGE})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [FULL_ACCESS], resourceControlPolicies: [[]] };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`RCPs never grant: RCPFullAWSAccess alone → ImplicitDeny (${RCP_PAGE})`, () => {
  assert.equal(decide({ request: getObject(BOB), resourceControlPolicies: [[RCP_FULL_AWS_ACCESS]] }), 'ImplicitDeny');
});

test(`RCPs don't apply to resources of the management account (${RCP_PAGE})`, () => {
  const admin = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:user/admin`;
  const input = {
    request: request(admin, 's3:GetObject', OBJECT, { resourceAccount: MANAGEMENT_ACCOUNT }),
    identityPolicies: [FULL_ACCESS],
    resourceControlPolicies: [[policy(rcpDeny('s3:*'))]],
    managementAccount: MANAGEMENT_ACCOUNT,
  };
  assert.equal(decide(input), 'Allow');
});

test(`RCPs bind requests by a member account's root user (${RCP_PAGE})`, () => {
  const input = { request: getObject(ROOT), resourceControlPolicies: [[RCP_FULL_AWS_ACCESS, policy(rcpDeny('s3:GetObject'))]] };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`RCPs bind anonymous requests: a public bucket policy can't override an RCP deny (${RCP_PAGE})`, () => {
  const rcp = policy(rcpDeny('s3:*', { Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }));
  const input = {
    request: getObject('*'),
    resourcePolicy: policy(allowFor('*', 's3:GetObject', BUCKET_OBJECTS)),
    resourceControlPolicies: [[RCP_FULL_AWS_ACCESS, rcp]],
  };
  assert.equal(decide(input), 'ExplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Anonymous and root callers
// ---------------------------------------------------------------------------------------------------

test(`anonymous request: a resource policy allowing Principal "*" → Allow (reference_policies_elements_principal.html#principal-anonymous)`, () => {
  assert.equal(decide({ request: getObject('*'), resourcePolicy: policy(allowFor('*', 's3:GetObject', BUCKET_OBJECTS)) }), 'Allow');
});

test(`anonymous request: {"AWS":"*"} is the same as "*" and allows anonymous callers (reference_policies_elements_principal.html#principal-anonymous)`, () => {
  assert.equal(decide({ request: getObject('*'), resourcePolicy: policy(allowFor({ AWS: '*' }, 's3:GetObject', BUCKET_OBJECTS)) }), 'Allow');
});

test(`anonymous request without a resource policy → ImplicitDeny (${DENY_EVAL})`, () => {
  assert.equal(decide({ request: getObject('*') }), 'ImplicitDeny');
});

test(`anonymous request: a resource policy naming an account does not allow anonymous callers (reference_policies_elements_principal.html)`, () => {
  assert.equal(decide({ request: getObject('*'), resourcePolicy: policy(allowFor({ AWS: ACCOUNT }, 's3:GetObject', BUCKET_OBJECTS)) }), 'ImplicitDeny');
});

test(`anonymous request: a Deny to "*" in the resource policy wins over the public allow (${DENY_EVAL})`, () => {
  const bucketPolicy = policy(
    allowFor('*', 's3:GetObject', BUCKET_OBJECTS),
    denyFor('*', 's3:GetObject', BUCKET_OBJECTS, { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
  );
  assert.equal(decide({ request: getObject('*', { context: { 'aws:SecureTransport': false } }), resourcePolicy: bucketPolicy }), 'ExplicitDeny');
  assert.equal(decide({ request: getObject('*', { context: { 'aws:SecureTransport': true } }), resourcePolicy: bucketPolicy }), 'Allow');
});

test(`root user with no policies at all in its own account → Allow (root has full access, ${DENY_EVAL})`, () => {
  assert.equal(decide({ request: request(ROOT, 'sqs:DeleteQueue', QUEUE) }), 'Allow');
});

test(`root user is still bound by an explicit deny in a resource policy (${DENY_EVAL})`, () => {
  const input = { request: request(ROOT, 'sqs:DeleteQueue', QUEUE), resourcePolicy: policy(denyFor('*', 'sqs:DeleteQueue', QUEUE)) };
  assert.equal(decide(input), 'ExplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Role trust policies and KMS key policies must allow the principal
// ---------------------------------------------------------------------------------------------------

function trustPolicy(principal: unknown, action = 'sts:AssumeRole', extra: object = {}): PolicyInput {
  return policy({ Effect: 'Allow', Principal: principal, Action: action, ...extra });
}

function assumeTarget(principal: string, more: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return request(principal, 'sts:AssumeRole', TARGET_ROLE, more);
}

test(`trust policy naming the caller's user ARN: no identity policy needed (${EVAL}; API_AssumeRole.html)`, () => {
  const input: EvaluationInput = { request: assumeTarget(BOB), resourcePolicy: trustPolicy({ AWS: BOB }), resourcePolicyKind: 'trust' };
  assert.equal(decide(input), 'Allow');
});

test(`trust policy naming the account: the caller's identity policy must allow sts:AssumeRole (API_AssumeRole.html)`, () => {
  const base: EvaluationInput = { request: assumeTarget(BOB), resourcePolicy: trustPolicy({ AWS: ROOT }), resourcePolicyKind: 'trust' };
  assert.equal(decide(base), 'ImplicitDeny');
  assert.equal(decide({ ...base, identityPolicies: [policy(allow('sts:AssumeRole', TARGET_ROLE))] }), 'Allow');
});

test(`trust policy that doesn't name the caller: an identity allow alone is not enough (${EVAL}; id_roles_compare-resource-policies.html)`, () => {
  const input: EvaluationInput = {
    request: assumeTarget(BOB),
    identityPolicies: [policy(allow('sts:AssumeRole', '*'))],
    resourcePolicy: trustPolicy({ AWS: ALICE }),
    resourcePolicyKind: 'trust',
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`trust kind with no trust policy given: identity allow alone is not enough (${EVAL})`, () => {
  const input: EvaluationInput = { request: assumeTarget(BOB), identityPolicies: [FULL_ACCESS], resourcePolicy: null, resourcePolicyKind: 'trust' };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`trust policy naming a role ARN lets that role's session assume the target (role chaining, reference_policies_elements_principal.html#principal-roles)`, () => {
  const input: EvaluationInput = { request: assumeTarget(SESSION), resourcePolicy: trustPolicy({ AWS: ROLE }), resourcePolicyKind: 'trust' };
  assert.equal(decide(input), 'Allow');
});

test(`trust policy with an explicit Deny for the caller → ExplicitDeny (${DENY_EVAL})`, () => {
  const trust = policy(
    { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' },
    { Effect: 'Deny', Principal: { AWS: BOB }, Action: 'sts:AssumeRole' },
  );
  const input: EvaluationInput = { request: assumeTarget(BOB), identityPolicies: [FULL_ACCESS], resourcePolicy: trust, resourcePolicyKind: 'trust' };
  assert.equal(decide(input), 'ExplicitDeny');
});

test(`trust policy granting the user ARN is not limited by an implicit deny in the user's boundary (${DENY_EVAL})`, () => {
  const input: EvaluationInput = {
    request: assumeTarget(BOB),
    permissionsBoundary: policy(allow('s3:*')),
    resourcePolicy: trustPolicy({ AWS: BOB }),
    resourcePolicyKind: 'trust',
  };
  assert.equal(decide(input), 'Allow');
});

test(`trust policy allowing another action (sts:TagSession only) does not allow sts:AssumeRole (id_roles_compare-resource-policies.html)`, () => {
  const input: EvaluationInput = { request: assumeTarget(BOB), resourcePolicy: trustPolicy({ AWS: BOB }, 'sts:TagSession'), resourcePolicyKind: 'trust' };
  assert.equal(decide(input), 'ImplicitDeny');
});

function keyPolicy(principal: unknown, action: string | string[] = 'kms:*'): PolicyInput {
  return policy(allowFor(principal, action, '*'));
}

test(`key policy naming the account: IAM policies must allow the use (kms key-policies.html#key-policy-default-allow-root-enable-iam)`, () => {
  const base: EvaluationInput = { request: request(BOB, 'kms:Decrypt', KEY), resourcePolicy: keyPolicy({ AWS: ROOT }), resourcePolicyKind: 'key' };
  assert.equal(decide(base), 'ImplicitDeny');
  assert.equal(decide({ ...base, identityPolicies: [policy(allow('kms:Decrypt', KEY))] }), 'Allow');
});

test(`key policy naming the user: allowed without an identity policy (kms key-policies.html)`, () => {
  const input: EvaluationInput = { request: request(BOB, 'kms:Decrypt', KEY), resourcePolicy: keyPolicy({ AWS: BOB }, 'kms:Decrypt'), resourcePolicyKind: 'key' };
  assert.equal(decide(input), 'Allow');
});

test(`key policy that doesn't mention the caller or its account: an identity allow is not enough (${EVAL}; kms key-policies.html)`, () => {
  const input: EvaluationInput = {
    request: request(BOB, 'kms:Decrypt', KEY),
    identityPolicies: [policy(allow('kms:*'))],
    resourcePolicy: keyPolicy({ AWS: ALICE }),
    resourcePolicyKind: 'key',
  };
  assert.equal(decide(input), 'ImplicitDeny');
});

test(`ordinary resource kind (default) for comparison: an identity allow alone suffices in the same account (${EVAL})`, () => {
  const input: EvaluationInput = {
    request: request(BOB, 'sqs:SendMessage', QUEUE),
    identityPolicies: [policy(allow('sqs:*'))],
    resourcePolicy: policy(allowFor({ AWS: ALICE }, 'sqs:*', QUEUE)),
  };
  assert.equal(decide(input), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// What the decision reports: decisive statements and explanations
// ---------------------------------------------------------------------------------------------------

test(`decisive: an explicit deny reports the denying identity statement with its sid and policy name (${DENY_EVAL})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [
      namedPolicy('ReadAll', { Sid: 'ReadEverything', ...allow('s3:Get*') }),
      namedPolicy('Guardrails', { Sid: 'AllowSqs', ...allow('sqs:*') }, { Sid: 'NoReports', ...deny('s3:GetObject', BUCKET_OBJECTS) }),
    ],
  };
  const result = evaluate(input);
  assert.equal(result.decision, 'ExplicitDeny');
  assert.ok(hasDecisive(result.decisive, { policyType: 'identity', policyName: 'Guardrails', policyIndex: 1, statementIndex: 1, sid: 'NoReports', effect: 'Deny' }));
  assert.ok(!hasDecisive(result.decisive, { effect: 'Allow' }), 'an allow does not decide an explicit deny');
});

test(`decisive: an identity allow reports the allowing statement (${DENY_EVAL})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [namedPolicy('S3Read', { Sid: 'Other', ...allow('ec2:*') }, { Sid: 'Read', ...allow('s3:GetObject') })] };
  const result = evaluate(input);
  assert.equal(result.decision, 'Allow');
  assert.ok(hasDecisive(result.decisive, { policyType: 'identity', policyName: 'S3Read', statementIndex: 1, sid: 'Read', effect: 'Allow' }));
  assert.ok(!hasDecisive(result.decisive, { sid: 'Other' }));
});

test(`decisive: with a boundary, the allowing statements of both identity and boundary are reported (${BOUNDARIES})`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [policy({ Sid: 'IdentityRead', ...allow('s3:*') })],
    permissionsBoundary: policy({ Sid: 'BoundaryS3', ...allow('s3:*') }),
  };
  const result = evaluate(input);
  assert.equal(result.decision, 'Allow');
  assert.ok(hasDecisive(result.decisive, { policyType: 'identity', sid: 'IdentityRead' }));
  assert.ok(hasDecisive(result.decisive, { policyType: 'boundary', sid: 'BoundaryS3' }));
});

test(`decisive: an allow granted by the resource policy reports the resource statement (${EVAL}#policy-eval-basics-id-rdp)`, () => {
  const input = { request: getObject(BOB), resourcePolicy: policy({ Sid: 'BobReads', ...allowFor({ AWS: BOB }, 's3:GetObject', BUCKET_OBJECTS) }) };
  const result = evaluate(input);
  assert.equal(result.decision, 'Allow');
  assert.ok(hasDecisive(result.decisive, { policyType: 'resource', sid: 'BobReads', effect: 'Allow' }));
});

test(`decisive: a session-policy deny is reported as policyType "session" (${SESSION_POLICIES})`, () => {
  const input = { request: getObject(SESSION), identityPolicies: [FULL_ACCESS], sessionPolicies: [policy(allow('*')), policy({ Sid: 'NoS3', ...deny('s3:*') })] };
  const result = evaluate(input);
  assert.equal(result.decision, 'ExplicitDeny');
  assert.ok(hasDecisive(result.decisive, { policyType: 'session', policyIndex: 1, sid: 'NoS3', effect: 'Deny' }));
});

test(`decisive: an RCP deny is reported as policyType "rcp" with its level (${RCP_PAGE})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [FULL_ACCESS], resourceControlPolicies: [[RCP_FULL_AWS_ACCESS], [RCP_FULL_AWS_ACCESS, policy({ Sid: 'Perimeter', ...rcpDeny('s3:*') })]] };
  const result = evaluate(input);
  assert.equal(result.decision, 'ExplicitDeny');
  assert.ok(hasDecisive(result.decisive, { policyType: 'rcp', level: 1, policyIndex: 1, sid: 'Perimeter', effect: 'Deny' }));
});

test(`explain is only produced on request (${EVAL})`, () => {
  const result = evaluate({ request: getObject(BOB), identityPolicies: [FULL_ACCESS] });
  assert.equal(result.explain, undefined);
});

test(`explain: an explicit identity deny has a summary, deniedBy "identity" and the deny statement marked as applying (${DENY_EVAL})`, () => {
  const input = { request: getObject(BOB), identityPolicies: [policy({ Sid: 'All', ...allow('*') }, { Sid: 'NoGet', ...deny('s3:GetObject') })] };
  const result = evaluate(input, { explain: true });
  assert.equal(result.decision, 'ExplicitDeny');
  const explain = result.explain;
  assert.ok(explain);
  assert.equal(typeof explain.summary, 'string');
  assert.ok(explain.summary.length > 0);
  assert.equal(explain.deniedBy, 'identity');
  const noGet = explain.statements.find((s) => s.sid === 'NoGet');
  assert.ok(noGet);
  assert.equal(noGet.applies, true);
  assert.equal(noGet.effect, 'Deny');
  assert.equal(noGet.action.matched, true);
  assert.equal(noGet.resource.matched, true);
});

test(`explain: an Allow has no deniedBy (${EVAL})`, () => {
  const result = evaluate({ request: getObject(BOB), identityPolicies: [FULL_ACCESS] }, { explain: true });
  assert.equal(result.decision, 'Allow');
  assert.ok(result.explain);
  assert.equal(result.explain.deniedBy, undefined);
  assert.ok(result.explain.summary.length > 0);
});

test(`explain: no identity statement allows → deniedBy "identity" (${DENY_EVAL})`, () => {
  const result = evaluate({ request: getObject(BOB), identityPolicies: [policy(allow('ec2:*'))] }, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.equal(result.explain?.deniedBy, 'identity');
});

test(`explain: an empty SCP level → deniedBy "scp" (${SCP_EVAL})`, () => {
  const result = evaluate({ request: getObject(BOB), identityPolicies: [FULL_ACCESS], serviceControlPolicies: [[FULL_ACCESS], []] }, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.equal(result.explain?.deniedBy, 'scp');
});

test(`explain: per-statement action and resource matches say which element failed (reference_policies_elements_action.html, _resource.html)`, () => {
  const input = {
    request: getObject(BOB),
    identityPolicies: [policy({ Sid: 'WrongAction', ...allow('s3:PutObject', BUCKET_OBJECTS) }, { Sid: 'WrongResource', ...allow('s3:GetObject', 'arn:aws:s3:::archive/*') })],
  };
  const result = evaluate(input, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  const statements = result.explain?.statements ?? [];
  const wrongAction = statements.find((s) => s.sid === 'WrongAction');
  const wrongResource = statements.find((s) => s.sid === 'WrongResource');
  assert.ok(wrongAction && wrongResource);
  assert.equal(wrongAction.applies, false);
  assert.equal(wrongAction.action.matched, false);
  assert.equal(typeof wrongAction.action.detail, 'string');
  assert.equal(wrongAction.resource.matched, true);
  assert.equal(wrongResource.applies, false);
  assert.equal(wrongResource.action.matched, true);
  assert.equal(wrongResource.resource.matched, false);
  assert.equal(wrongResource.policyType, 'identity');
});

test(`explain: condition entries show the operator, key and a missing request key (reference_policies_elements_condition.html)`, () => {
  const statement = { Sid: 'MfaOnly', ...allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }) };
  const result = evaluate({ request: getObject(BOB), identityPolicies: [policy(statement)] }, { explain: true });
  assert.equal(result.decision, 'ImplicitDeny');
  const mfa = result.explain?.statements.find((s) => s.sid === 'MfaOnly');
  assert.ok(mfa?.condition);
  assert.equal(mfa.condition.matched, false);
  const entry = mfa.condition.entries.find((e) => e.key.toLowerCase() === 'aws:multifactorauthpresent');
  assert.ok(entry);
  assert.equal(entry.operator, 'Bool');
  assert.deepEqual(entry.values, ['true']);
  assert.equal(entry.matched, false);
  assert.equal(entry.missing, true);
  assert.ok(result.missingContextKeys.some((k) => k.toLowerCase() === 'aws:multifactorauthpresent'));
});

test(`explain: condition entries carry the request values when present (reference_policies_elements_condition.html)`, () => {
  const statement = { Sid: 'Region', ...allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] } } }) };
  const result = evaluate({ request: getObject(BOB, { context: { 'aws:RequestedRegion': 'us-west-2' } }), identityPolicies: [policy(statement)] }, { explain: true });
  assert.equal(result.decision, 'Allow');
  const region = result.explain?.statements.find((s) => s.sid === 'Region');
  assert.ok(region?.condition);
  assert.equal(region.condition.matched, true);
  assert.deepEqual(region.condition.entries[0]?.requestValues, ['us-west-2']);
  assert.equal(region.condition.entries[0]?.matched, true);
});

test(`explain: resource-policy statements report whether the principal matched (reference_policies_elements_principal.html)`, () => {
  const input = {
    request: getObject(BOB),
    resourcePolicy: policy({ Sid: 'ForAlice', ...allowFor({ AWS: ALICE }, 's3:GetObject', BUCKET_OBJECTS) }, { Sid: 'ForBob', ...allowFor({ AWS: BOB }, 's3:GetObject', BUCKET_OBJECTS) }),
  };
  const result = evaluate(input, { explain: true });
  assert.equal(result.decision, 'Allow');
  const forAlice = result.explain?.statements.find((s) => s.sid === 'ForAlice');
  const forBob = result.explain?.statements.find((s) => s.sid === 'ForBob');
  assert.equal(forAlice?.policyType, 'resource');
  assert.equal(forAlice?.principal?.matched, false);
  assert.equal(forAlice?.applies, false);
  assert.equal(forBob?.principal?.matched, true);
  assert.equal(forBob?.applies, true);
});

test(`missingContextKeys: keys asked by conditions of otherwise-applicable statements and absent from the request (reference_policies_elements_condition.html)`, () => {
  const statement = allow('s3:GetObject', '*', { Condition: { StringEquals: { 's3:ExistingObjectTag/team': 'data' } } });
  const result = evaluate({ request: getObject(BOB), identityPolicies: [policy(statement)] });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.ok(result.missingContextKeys.some((k) => k.toLowerCase() === 's3:existingobjecttag/team'));
});

test(`missingContextKeys is empty when the request supplies every key the conditions ask for (reference_policies_elements_condition.html)`, () => {
  const statement = allow('s3:GetObject', '*', { Condition: { StringEquals: { 's3:ExistingObjectTag/team': 'data' } } });
  const result = evaluate({ request: getObject(BOB, { context: { 's3:ExistingObjectTag/team': 'data' } }), identityPolicies: [policy(statement)] });
  assert.equal(result.decision, 'Allow');
  assert.deepEqual(result.missingContextKeys, []);
});
