// How Principal and NotPrincipal in resource and trust policies match the caller, observed through
// evaluate(). Pages: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// and reference_policies_elements_notprincipal.html.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.js';
import { MalformedPolicyDocumentError } from '../../src/policy/errors.js';
import type { AuthorizationRequest, Decision, EvaluationInput, PolicyInput } from '../../src/policy/types.js';

const PRINCIPAL = 'reference_policies_elements_principal.html';
const NOT_PRINCIPAL = 'reference_policies_elements_notprincipal.html';

const TRUSTED = '111122223333';
const OWNER = '444455556666';
const STRANGER = '777788889999';
const BOB = `arn:aws:iam::${TRUSTED}:user/bob`;
const ALICE = `arn:aws:iam::${TRUSTED}:user/alice`;
const STRANGER_USER = `arn:aws:iam::${STRANGER}:user/bob`;
const ROLE = `arn:aws:iam::${TRUSTED}:role/reader`;
const SESSION = `arn:aws:sts::${TRUSTED}:assumed-role/reader/alpha`;
const OTHER_SESSION = `arn:aws:sts::${TRUSTED}:assumed-role/reader/beta`;
const FEDERATED_USER = `arn:aws:sts::${TRUSTED}:federated-user/carol`;
const OWNER_BUCKET_OBJECT = 'arn:aws:s3:::owner-bucket/data.csv';
const OWNER_BUCKET = ['arn:aws:s3:::owner-bucket', 'arn:aws:s3:::owner-bucket/*'];
const OIDC_PROVIDER = `arn:aws:iam::${TRUSTED}:oidc-provider/oidc.example.com/id/EXAMPLE1`;
const TARGET_ROLE = `arn:aws:iam::${TRUSTED}:role/web-identity`;

function policy(...statements: object[]): PolicyInput {
  return { document: { Version: '2012-10-17', Statement: statements } };
}

const READ_ANYTHING = policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' });

/** A caller from any account reading an object of the owner's bucket, whose policy grants `principal`. */
function readOwnerObject(caller: string, principal: unknown, more: Partial<EvaluationInput> = {}, context: AuthorizationRequest['context'] = {}): Decision {
  return evaluate({
    request: { principal: caller, action: 's3:GetObject', resource: OWNER_BUCKET_OBJECT, resourceAccount: OWNER, context },
    identityPolicies: caller === '*' ? [] : [READ_ANYTHING],
    resourcePolicy: policy({ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: OWNER_BUCKET }),
    ...more,
  }).decision;
}

/** A same-account caller with no identity policies: only the resource policy can allow. */
function sameAccountResourceOnly(caller: string, principal: unknown, context: AuthorizationRequest['context'] = {}): Decision {
  return evaluate({
    request: { principal: caller, action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${TRUSTED}:jobs`, context },
    resourcePolicy: policy({ Effect: 'Allow', Principal: principal, Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${TRUSTED}:jobs` }),
  }).decision;
}

function assumeWith(caller: string, action: string, principal: unknown, context: AuthorizationRequest['context'] = {}): Decision {
  return evaluate({
    request: { principal: caller, action, resource: TARGET_ROLE, context },
    resourcePolicy: policy({ Effect: 'Allow', Principal: principal, Action: action }),
    resourcePolicyKind: 'trust',
  }).decision;
}

// ---------------------------------------------------------------------------------------------------
// AWS account principals
// ---------------------------------------------------------------------------------------------------

test(`account principal as a bare 12-digit id matches callers of that account (${PRINCIPAL}#principal-accounts)`, () => {
  assert.equal(readOwnerObject(BOB, { AWS: TRUSTED }), 'Allow');
});

test(`account principal as the ":root" ARN matches callers of that account (${PRINCIPAL}#principal-accounts)`, () => {
  assert.equal(readOwnerObject(BOB, { AWS: `arn:aws:iam::${TRUSTED}:root` }), 'Allow');
});

test(`account principal does not match callers of another account (${PRINCIPAL}#principal-accounts)`, () => {
  assert.equal(readOwnerObject(STRANGER_USER, { AWS: TRUSTED }), 'ImplicitDeny');
  assert.equal(readOwnerObject(STRANGER_USER, { AWS: `arn:aws:iam::${TRUSTED}:root` }), 'ImplicitDeny');
});

test(`account principal matches role sessions of that account (${PRINCIPAL}#principal-accounts)`, () => {
  assert.equal(readOwnerObject(SESSION, { AWS: TRUSTED }), 'Allow');
});

test(`account principal matches federated-user sessions of that account (${PRINCIPAL}#principal-accounts)`, () => {
  const decision = readOwnerObject(FEDERATED_USER, { AWS: TRUSTED }, { sessionPolicies: [READ_ANYTHING] });
  assert.equal(decision, 'Allow');
});

test(`account principal delegates: the account's identity policies must still allow (${PRINCIPAL}#principal-accounts)`, () => {
  assert.equal(readOwnerObject(BOB, { AWS: TRUSTED }, { identityPolicies: [] }), 'ImplicitDeny');
});

test(`a list of account principals matches any of them (${PRINCIPAL}#principal-accounts)`, () => {
  const principal = { AWS: [`arn:aws:iam::${STRANGER}:root`, TRUSTED] };
  assert.equal(readOwnerObject(BOB, principal), 'Allow');
  assert.equal(readOwnerObject(STRANGER_USER, principal), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// IAM users, roles and sessions
// ---------------------------------------------------------------------------------------------------

test(`user principal matches that user (${PRINCIPAL}#principal-users)`, () => {
  assert.equal(sameAccountResourceOnly(BOB, { AWS: BOB }), 'Allow');
});

test(`user principal does not match another user of the same account (${PRINCIPAL}#principal-users)`, () => {
  assert.equal(sameAccountResourceOnly(ALICE, { AWS: BOB }), 'ImplicitDeny');
});

test(`user principal does not match a user of the same name in another account (${PRINCIPAL}#principal-users)`, () => {
  assert.equal(readOwnerObject(STRANGER_USER, { AWS: BOB }), 'ImplicitDeny');
});

test(`user principal with a path matches the user with that path (${PRINCIPAL}#principal-users)`, () => {
  const pathUser = `arn:aws:iam::${TRUSTED}:user/division/dave`;
  assert.equal(sameAccountResourceOnly(pathUser, { AWS: pathUser }), 'Allow');
});

test(`role principal matches sessions of that role (${PRINCIPAL}#principal-roles)`, () => {
  assert.equal(sameAccountResourceOnly(SESSION, { AWS: ROLE }), 'Allow');
  assert.equal(sameAccountResourceOnly(OTHER_SESSION, { AWS: ROLE }), 'Allow');
});

test(`role principal does not match sessions of another role (${PRINCIPAL}#principal-roles)`, () => {
  const writerSession = `arn:aws:sts::${TRUSTED}:assumed-role/writer/alpha`;
  assert.equal(sameAccountResourceOnly(writerSession, { AWS: ROLE }), 'ImplicitDeny');
});

test(`role principal with a path matches sessions whose aws:PrincipalArn carries that path (${PRINCIPAL}#principal-roles)`, () => {
  const pathRole = `arn:aws:iam::${TRUSTED}:role/team/deployer`;
  const session = `arn:aws:sts::${TRUSTED}:assumed-role/deployer/ci`;
  assert.equal(sameAccountResourceOnly(session, { AWS: pathRole }, { 'aws:PrincipalArn': pathRole }), 'Allow');
});

test(`role principal matches cross-account sessions of that role (${PRINCIPAL}#principal-roles)`, () => {
  assert.equal(readOwnerObject(SESSION, { AWS: ROLE }), 'Allow');
});

test(`assumed-role session principal matches only that session (${PRINCIPAL}#principal-role-session)`, () => {
  assert.equal(sameAccountResourceOnly(SESSION, { AWS: SESSION }), 'Allow');
  assert.equal(sameAccountResourceOnly(OTHER_SESSION, { AWS: SESSION }), 'ImplicitDeny');
});

test(`federated-user session principal matches that federated user (${PRINCIPAL}#sts-session-principals)`, () => {
  assert.equal(sameAccountResourceOnly(FEDERATED_USER, { AWS: FEDERATED_USER }), 'Allow');
});

test(`a wildcard cannot match part of a principal ARN ("user/*" does not grant bob) (${PRINCIPAL})`, () => {
  let decision: Decision | 'rejected';
  try {
    decision = sameAccountResourceOnly(BOB, { AWS: `arn:aws:iam::${TRUSTED}:user/*` });
  } catch (error) {
    assert.ok(error instanceof MalformedPolicyDocumentError);
    decision = 'rejected';
  }
  assert.notEqual(decision, 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// Federated and service principals
// ---------------------------------------------------------------------------------------------------

test(`Federated OIDC provider ARN matches AssumeRoleWithWebIdentity from that provider (${PRINCIPAL}#principal-federated-web-identity)`, () => {
  assert.equal(assumeWith(OIDC_PROVIDER, 'sts:AssumeRoleWithWebIdentity', { Federated: OIDC_PROVIDER }), 'Allow');
});

test(`Federated OIDC provider ARN does not match another provider (${PRINCIPAL}#principal-federated-web-identity)`, () => {
  const otherProvider = `arn:aws:iam::${TRUSTED}:oidc-provider/oidc.example.com/id/OTHER`;
  assert.equal(assumeWith(otherProvider, 'sts:AssumeRoleWithWebIdentity', { Federated: OIDC_PROVIDER }), 'ImplicitDeny');
});

test(`Federated "accounts.google.com" matches web identity from Google (${PRINCIPAL}#principal-federated-web-identity)`, () => {
  assert.equal(assumeWith('accounts.google.com', 'sts:AssumeRoleWithWebIdentity', { Federated: 'accounts.google.com' }), 'Allow');
  assert.equal(assumeWith('cognito-identity.amazonaws.com', 'sts:AssumeRoleWithWebIdentity', { Federated: 'accounts.google.com' }), 'ImplicitDeny');
});

test(`Federated SAML provider ARN matches AssumeRoleWithSAML from that provider (${PRINCIPAL}#principal-saml)`, () => {
  const saml = `arn:aws:iam::${TRUSTED}:saml-provider/Okta`;
  assert.equal(assumeWith(saml, 'sts:AssumeRoleWithSAML', { Federated: saml }), 'Allow');
});

test(`Service principal matches that service (${PRINCIPAL}#principal-services)`, () => {
  assert.equal(assumeWith('ec2.amazonaws.com', 'sts:AssumeRole', { Service: 'ec2.amazonaws.com' }), 'Allow');
});

test(`Service principal does not match another service (${PRINCIPAL}#principal-services)`, () => {
  assert.equal(assumeWith('lambda.amazonaws.com', 'sts:AssumeRole', { Service: 'ec2.amazonaws.com' }), 'ImplicitDeny');
});

test(`a list of service principals matches any of them (${PRINCIPAL}#principal-services)`, () => {
  const principal = { Service: ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'] };
  assert.equal(assumeWith('lambda.amazonaws.com', 'sts:AssumeRole', principal), 'Allow');
  assert.equal(assumeWith('ec2.amazonaws.com', 'sts:AssumeRole', principal), 'ImplicitDeny');
});

test(`Service principal does not match an IAM user (${PRINCIPAL}#principal-services)`, () => {
  assert.equal(assumeWith(BOB, 'sts:AssumeRole', { Service: 'ec2.amazonaws.com' }), 'ImplicitDeny');
});

test(`Service principal in a resource policy lets the service act on the resource (${PRINCIPAL}#principal-services)`, () => {
  assert.equal(sameAccountResourceOnly('sns.amazonaws.com', { Service: 'sns.amazonaws.com' }), 'Allow');
});

test(`a principal block mixing AWS and Service entries matches either (${PRINCIPAL})`, () => {
  const principal = { AWS: BOB, Service: 'ec2.amazonaws.com' };
  assert.equal(assumeWith(BOB, 'sts:AssumeRole', principal), 'Allow');
  assert.equal(assumeWith('ec2.amazonaws.com', 'sts:AssumeRole', principal), 'Allow');
  assert.equal(assumeWith(ALICE, 'sts:AssumeRole', principal), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// All principals
// ---------------------------------------------------------------------------------------------------

test(`Principal "*" matches anonymous callers (${PRINCIPAL}#principal-anonymous)`, () => {
  assert.equal(readOwnerObject('*', '*'), 'Allow');
});

test(`Principal {"AWS":"*"} matches anonymous callers too (${PRINCIPAL}#principal-anonymous)`, () => {
  assert.equal(readOwnerObject('*', { AWS: '*' }), 'Allow');
});

test(`Principal "*" matches IAM users of any account (with their identity allow) (${PRINCIPAL}#principal-anonymous)`, () => {
  assert.equal(readOwnerObject(BOB, '*'), 'Allow');
  assert.equal(readOwnerObject(STRANGER_USER, { AWS: '*' }), 'Allow');
});

test(`Principal "*" matches role sessions (${PRINCIPAL}#principal-anonymous)`, () => {
  assert.equal(sameAccountResourceOnly(SESSION, '*'), 'Allow');
});

test(`Principal "*" with a condition on aws:PrincipalAccount narrows who matches (${PRINCIPAL}#principal-anonymous)`, () => {
  const decide = (caller: string) =>
    evaluate({
      request: { principal: caller, action: 's3:GetObject', resource: OWNER_BUCKET_OBJECT, resourceAccount: OWNER },
      identityPolicies: [READ_ANYTHING],
      resourcePolicy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OWNER_BUCKET, Condition: { StringEquals: { 'aws:PrincipalAccount': TRUSTED } } }),
    }).decision;
  assert.equal(decide(BOB), 'Allow');
  assert.equal(decide(STRANGER_USER), 'ImplicitDeny');
});

test(`an account principal does not match anonymous callers (${PRINCIPAL}#principal-anonymous)`, () => {
  assert.equal(readOwnerObject('*', { AWS: TRUSTED }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// NotPrincipal with Deny
// ---------------------------------------------------------------------------------------------------

const OWNER_BOB = `arn:aws:iam::${OWNER}:user/Bob`;
const OWNER_ALICE = `arn:aws:iam::${OWNER}:user/Alice`;
const OWNER_ROOT = `arn:aws:iam::${OWNER}:root`;
const AUDIT_ROLE = `arn:aws:iam::${OWNER}:role/cross-account-read-only-role`;
const AUDIT_SESSION = `arn:aws:sts::${OWNER}:assumed-role/cross-account-read-only-role/cross-account-audit-app`;
const OTHER_AUDIT_SESSION = `arn:aws:sts::${OWNER}:assumed-role/cross-account-read-only-role/someone-else`;

/** Everyone in the owner account may use the bucket by identity policy; the bucket policy denies all but `exempt`. */
function withNotPrincipalDeny(caller: string, exempt: string[], more: Partial<EvaluationInput> = {}): Decision {
  return evaluate({
    request: { principal: caller, action: 's3:GetObject', resource: OWNER_BUCKET_OBJECT },
    identityPolicies: [READ_ANYTHING],
    resourcePolicy: policy({ Effect: 'Deny', NotPrincipal: { AWS: exempt }, Action: 's3:*', Resource: OWNER_BUCKET }),
    ...more,
  }).decision;
}

test(`NotPrincipal with Deny: the listed user (with its account) is not denied (${NOT_PRINCIPAL})`, () => {
  assert.equal(withNotPrincipalDeny(OWNER_BOB, [OWNER_BOB, OWNER_ROOT]), 'Allow');
});

test(`NotPrincipal with Deny: everyone not listed is explicitly denied (${NOT_PRINCIPAL})`, () => {
  assert.equal(withNotPrincipalDeny(OWNER_ALICE, [OWNER_BOB, OWNER_ROOT]), 'ExplicitDeny');
});

test(`NotPrincipal with Deny: listing the user without its account denies the user too (${NOT_PRINCIPAL})`, () => {
  assert.equal(withNotPrincipalDeny(OWNER_BOB, [OWNER_BOB]), 'ExplicitDeny');
});

test(`NotPrincipal with Deny: a session is exempt when the session, its role and its account are listed (${NOT_PRINCIPAL})`, () => {
  assert.equal(withNotPrincipalDeny(AUDIT_SESSION, [AUDIT_SESSION, AUDIT_ROLE, OWNER_ROOT]), 'Allow');
});

test(`NotPrincipal with Deny: another session of the listed role is denied (${NOT_PRINCIPAL})`, () => {
  assert.equal(withNotPrincipalDeny(OTHER_AUDIT_SESSION, [AUDIT_SESSION, AUDIT_ROLE, OWNER_ROOT]), 'ExplicitDeny');
});

test(`NotPrincipal with Deny: a session listed without its account is denied (${NOT_PRINCIPAL})`, () => {
  assert.equal(withNotPrincipalDeny(AUDIT_SESSION, [AUDIT_SESSION, AUDIT_ROLE]), 'ExplicitDeny');
});

test(`NotPrincipal with Deny: a session listed without its role is denied (${NOT_PRINCIPAL})`, () => {
  assert.equal(withNotPrincipalDeny(AUDIT_SESSION, [AUDIT_SESSION, OWNER_ROOT]), 'ExplicitDeny');
});

test(`NotPrincipal with Deny always denies principals that have a permissions boundary (${NOT_PRINCIPAL}; access_policies_boundaries.html)`, () => {
  const boundary = policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
  assert.equal(withNotPrincipalDeny(OWNER_BOB, [OWNER_BOB, OWNER_ROOT], { permissionsBoundary: boundary }), 'ExplicitDeny');
});

test(`NotPrincipal with Deny denies anonymous callers even when another statement allows "*" (${NOT_PRINCIPAL})`, () => {
  const decision = evaluate({
    request: { principal: '*', action: 's3:GetObject', resource: OWNER_BUCKET_OBJECT, resourceAccount: OWNER },
    resourcePolicy: policy(
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OWNER_BUCKET },
      { Effect: 'Deny', NotPrincipal: { AWS: [OWNER_BOB, OWNER_ROOT] }, Action: 's3:*', Resource: OWNER_BUCKET },
    ),
  }).decision;
  assert.equal(decision, 'ExplicitDeny');
});

test(`NotPrincipal with Deny in another account's resource: the listed cross-account user keeps the granted access (${NOT_PRINCIPAL})`, () => {
  const partnerBob = `arn:aws:iam::${TRUSTED}:user/Bob`;
  const decide = (caller: string) =>
    evaluate({
      request: { principal: caller, action: 's3:GetObject', resource: OWNER_BUCKET_OBJECT, resourceAccount: OWNER },
      identityPolicies: [READ_ANYTHING],
      resourcePolicy: policy(
        { Effect: 'Allow', Principal: { AWS: TRUSTED }, Action: 's3:GetObject', Resource: OWNER_BUCKET },
        { Effect: 'Deny', NotPrincipal: { AWS: [partnerBob, `arn:aws:iam::${TRUSTED}:root`] }, Action: 's3:*', Resource: OWNER_BUCKET },
      ),
    }).decision;
  assert.equal(decide(partnerBob), 'Allow');
  assert.equal(decide(ALICE), 'ExplicitDeny');
});
