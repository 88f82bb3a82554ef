// A user's or role's unique id as an "AWS" principal. AWS (reference_policies_elements_principal.html):
// a trust policy's user or role ARN "transforms to the role's unique principal ID when you save the
// policy"; when the entity is deleted the policy shows that id (e.g. "AWS": "AROADBQP57FF2AEXAMPLE") and a
// re-created namesake, which has a new unique id, is not trusted. The engine must accept such a stored
// policy and match the id against the caller's aws:userid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.js';
import { validatePolicy } from '../../src/policy/validate.js';
import type { ContextValue } from '../../src/policy/types.js';

const ACCOUNT = '111122223333';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ALICE_ID = 'AIDAJQABLZS4A3QDU576Q';
const NEW_ALICE_ID = 'AIDAZZZZZZZZZZZZZZZZZ';
const ROLE_ID = 'AROADBQP57FF2AEXAMPLE';
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/reader/alpha`;
const TARGET = `arn:aws:iam::${ACCOUNT}:role/target`;

function trust(aws: string | string[], effect = 'Allow'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Principal: { AWS: aws }, Action: 'sts:AssumeRole' }] });
}

function assume(principal: string, userId: string | undefined, trustPolicy: string): string {
  const context: Record<string, ContextValue> = userId === undefined ? {} : { 'aws:userid': userId };
  return evaluate({
    request: { principal, action: 'sts:AssumeRole', resource: TARGET, resourceAccount: ACCOUNT, context },
    identityPolicies: [],
    resourcePolicy: { document: trustPolicy },
    resourcePolicyKind: 'trust',
  }).decision;
}

test('a unique user or role id is a valid "AWS" principal of a trust policy (reference_policies_elements_principal.html: a deleted principal shows as its unique ID)', () => {
  for (const id of [ALICE_ID, ROLE_ID]) assert.deepEqual(validatePolicy(trust(id), 'trust'), { valid: true }, id);
  assert.deepEqual(validatePolicy(trust([ALICE, ROLE_ID]), 'trust'), { valid: true });
  const bucketPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE_ID }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
  assert.deepEqual(validatePolicy(bucketPolicy, 'resource'), { valid: true });
});

test('only the unique-id format (AIDA or AROA and 17 upper-case letters or digits) is accepted: others are "Invalid principal in policy" (reference_identifiers.html#identifiers-unique-ids)', () => {
  for (const bad of ['AIDAJQABLZS4A3QDU576', 'AIDAJQABLZS4A3QDU576QX', 'aidajqablzs4a3qdu576q', 'AGPAJQABLZS4A3QDU576Q', 'ANPAJQABLZS4A3QDU576Q', 'AIDA*']) {
    assert.deepEqual(
      validatePolicy(trust(bad), 'trust'),
      { valid: false, error: { code: 'MalformedPolicyDocument', message: `Invalid principal in policy: "AWS":"${bad}"` } },
      bad,
    );
  }
});

test("a trust policy naming a user's unique id trusts the user whose aws:userid it is (reference_policies_elements_principal.html)", () => {
  assert.equal(assume(ALICE, ALICE_ID, trust(ALICE_ID)), 'Allow');
});

test('a re-created user with the same name has a new unique id and is not trusted by the old id (reference_policies_elements_principal.html)', () => {
  assert.equal(assume(ALICE, NEW_ALICE_ID, trust(ALICE_ID)), 'ImplicitDeny');
  // Without its aws:userid the caller cannot be named by an id at all.
  assert.equal(assume(ALICE, undefined, trust(ALICE_ID)), 'ImplicitDeny');
});

test("a role's unique id names the role's sessions (aws:userid AROA…:session) as the role ARN does (reference_policies_elements_principal.html#principal-roles)", () => {
  assert.equal(assume(SESSION, `${ROLE_ID}:alpha`, trust(ROLE_ID)), 'Allow');
  assert.equal(assume(SESSION, 'AROAOTHERROLEEXAMPLE1:alpha', trust(ROLE_ID)), 'ImplicitDeny');
});

test('an AIDA id names only a user and an AROA id only a role session (reference_identifiers.html#identifiers-unique-ids)', () => {
  // A session whose aws:userid were a user id is not named by it, nor is a user by a role id.
  assert.equal(assume(SESSION, `${ALICE_ID}:alpha`, trust(ALICE_ID)), 'ImplicitDeny');
  assert.equal(assume(ALICE, ROLE_ID, trust(ROLE_ID)), 'ImplicitDeny');
});

test('an explicit Deny naming a unique id denies that principal (policy_evaluation-logic.html: an explicit deny overrides)', () => {
  const document = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', Principal: { AWS: ALICE_ID }, Action: 'sts:AssumeRole' },
    ],
  });
  const identity = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
  const decide = (userId: string): string =>
    evaluate({
      request: { principal: ALICE, action: 'sts:AssumeRole', resource: TARGET, resourceAccount: ACCOUNT, context: { 'aws:userid': userId } },
      identityPolicies: [{ document: identity }],
      resourcePolicy: { document },
      resourcePolicyKind: 'trust',
    }).decision;
  assert.equal(decide(ALICE_ID), 'ExplicitDeny');
  assert.equal(decide(NEW_ALICE_ID), 'Allow');
});
