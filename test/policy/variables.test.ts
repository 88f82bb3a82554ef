/**
 * Policy variables (reference_policies_variables.html), evaluated through `evaluate()`: where they are
 * substituted (Resource after the fifth colon, String and ARN condition values), where they stay literal
 * (older policy versions, Action, other operators), the special `${*}` `${?}` `${$}`, defaults, and what
 * a variable without a value does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.js';
import {
  ACCOUNT,
  ALICE,
  ALICE_SESSION,
  MULTIVALUED_PAGE,
  VARIABLES_PAGE,
  assertDecidedBy,
  assertNotAllowed,
  decisionOfAllowWhen,
  evaluateStatements,
  policyDocument,
  type Context,
  type StatementShape,
} from './fixtures-conditions.js';

const BUCKET = 'arn:aws:s3:::example-bucket';
const HOME = `${BUCKET}/home/\${aws:username}/*`;

function decide(statements: StatementShape[], resource: string, context: Context = {}, principal = ALICE, version: string | null = '2012-10-17') {
  return evaluateStatements(statements, { principal, resource, context }, version).decision;
}

// ---------------------------------------------------------------------------------------------------
// In Resource
// ---------------------------------------------------------------------------------------------------

test(`\${aws:username} in Resource: a user reaches their own home folder (${VARIABLES_PAGE}#policy-vars-resourceelement)`, () => {
  const result = evaluateStatements([{ resource: HOME }], { resource: `${BUCKET}/home/alice/notes.txt` });
  assert.equal(result.decision, 'Allow');
  assertDecidedBy(result, 0, 'Allow');
});

test(`\${aws:username} in Resource: a user does not reach another user's folder (${VARIABLES_PAGE}#policy-vars-resourceelement)`, () => {
  assert.equal(decide([{ resource: HOME }], `${BUCKET}/home/bob/notes.txt`), 'ImplicitDeny');
});

test(`\${aws:username} is the friendly name, without the user's path (${VARIABLES_PAGE}#principaltable)`, () => {
  const withPath = `arn:aws:iam::${ACCOUNT}:user/division_abc/subdivision_xyz/alice`;
  assert.equal(decide([{ resource: HOME }], `${BUCKET}/home/alice/notes.txt`, {}, withPath), 'Allow');
});

test(`\${aws:username} is absent for an assumed-role session, so the Resource matches nothing (${VARIABLES_PAGE}#principaltable)`, () => {
  assert.equal(decide([{ resource: HOME }], `${BUCKET}/home/alice-session/notes.txt`, {}, ALICE_SESSION), 'ImplicitDeny');
  assert.equal(decide([{ resource: HOME }], `${BUCKET}/home/Deployer/notes.txt`, {}, ALICE_SESSION), 'ImplicitDeny');
  assert.equal(decide([{ resource: HOME }], `${BUCKET}/home//notes.txt`, {}, ALICE_SESSION), 'ImplicitDeny');
});

test(`aws:username is absent for an assumed-role session, so StringEquals on it is false (${VARIABLES_PAGE}#principaltable)`, () => {
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:username': 'alice-session' } }, {}, { principal: ALICE_SESSION }), 'ImplicitDeny');
});

test(`aws:username is the user's name for an IAM user (${VARIABLES_PAGE}#principaltable)`, () => {
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:username': 'alice' } }, {}), 'Allow');
});

test(`\${aws:userid} in Resource: the unique ID of an IAM user (${VARIABLES_PAGE}#principaltable)`, () => {
  const context = { 'aws:userid': 'AIDAJQABLZS4A3QDU576Q' };
  const statements = [{ resource: `${BUCKET}/\${aws:userid}/*` }];
  assert.equal(decide(statements, `${BUCKET}/AIDAJQABLZS4A3QDU576Q/a.txt`, context), 'Allow');
  assert.equal(decide(statements, `${BUCKET}/alice/a.txt`, context), 'ImplicitDeny');
});

test(`\${aws:userid} in Resource: role-id:session-name for an assumed-role session (${VARIABLES_PAGE}#principaltable)`, () => {
  const context = { 'aws:userid': 'AROAEXAMPLEROLEID:alice-session' };
  const statements = [{ resource: `${BUCKET}/\${aws:userid}/*` }];
  assert.equal(decide(statements, `${BUCKET}/AROAEXAMPLEROLEID:alice-session/a.txt`, context, ALICE_SESSION), 'Allow');
});

test(`aws:userid of a federated user is account:name, derived from the principal (${VARIABLES_PAGE}#principaltable)`, () => {
  // GetFederationToken credentials carry no permissions without a session policy (API_GetFederationToken.html).
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const decideFor = (userid: string) =>
    evaluate({
      request: { principal: `arn:aws:sts::${ACCOUNT}:federated-user/carol`, action: 's3:GetObject', resource: `${BUCKET}/a.txt` },
      identityPolicies: [{ document: policyDocument([{ condition: { StringEquals: { 'aws:userid': userid } } }]) }],
      sessionPolicies: [{ document: allowAll }],
    }).decision;
  assert.equal(decideFor(`${ACCOUNT}:carol`), 'Allow');
  assert.equal(decideFor('carol'), 'ImplicitDeny');
});

test(`\${aws:PrincipalTag/team} in Resource: the tag value picks the folder (${VARIABLES_PAGE}#policy-vars-tags)`, () => {
  const statements = [{ resource: `${BUCKET}/\${aws:PrincipalTag/team}/*` }];
  const context = { 'aws:PrincipalTag/team': 'blue' };
  assert.equal(decide(statements, `${BUCKET}/blue/plan.txt`, context), 'Allow');
  assert.equal(decide(statements, `${BUCKET}/red/plan.txt`, context), 'ImplicitDeny');
});

test(`\${aws:PrincipalTag/x} works for a role session with session tags (${VARIABLES_PAGE}#policy-vars-tags)`, () => {
  const statements = [{ resource: `${BUCKET}/\${aws:PrincipalTag/team}/*` }];
  assert.equal(decide(statements, `${BUCKET}/blue/plan.txt`, { 'aws:PrincipalTag/team': 'blue' }, ALICE_SESSION), 'Allow');
});

test(`\${aws:SourceIp} in Resource is replaced by the caller's address (${VARIABLES_PAGE}#policy-vars-infotouse)`, () => {
  const statements = [{ resource: `${BUCKET}/uploads/\${aws:SourceIp}/*` }];
  const context = { 'aws:SourceIp': '203.0.113.7' };
  assert.equal(decide(statements, `${BUCKET}/uploads/203.0.113.7/file`, context), 'Allow');
  assert.equal(decide(statements, `${BUCKET}/uploads/203.0.113.8/file`, context), 'ImplicitDeny');
});

test(`A variable in the resource part of a queue ARN, AWS's "\${aws:username}-queue" example (${VARIABLES_PAGE}#policy-vars-resourceelement)`, () => {
  const statements = [{ action: 'sqs:*', resource: 'arn:aws:sqs:us-east-2:*:${aws:username}-queue' }];
  const send = (resource: string) => evaluateStatements(statements, { action: 'sqs:SendMessage', resource }).decision;
  assert.equal(send(`arn:aws:sqs:us-east-2:${ACCOUNT}:alice-queue`), 'Allow');
  assert.equal(send(`arn:aws:sqs:us-east-2:${ACCOUNT}:bob-queue`), 'ImplicitDeny');
});

test(`A variable before the fifth colon of a Resource ARN is not substituted (${VARIABLES_PAGE}#policy-vars-resourceelement)`, () => {
  const statements = [{ action: 'sqs:*', resource: 'arn:aws:sqs:us-east-2:${aws:PrincipalAccount}:orders' }];
  assertNotAllowed(() => evaluateStatements(statements, { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-2:${ACCOUNT}:orders` }));
});

test(`A Resource with several entries: the entry whose variable has no value matches nothing, the others still match (${VARIABLES_PAGE}#policy-vars-no-value)`, () => {
  const statements = [{ resource: [`${BUCKET}/\${aws:PrincipalTag/team}/*`, `${BUCKET}/public/*`] }];
  assert.equal(decide(statements, `${BUCKET}/public/readme.txt`), 'Allow');
  assert.equal(decide(statements, `${BUCKET}//readme.txt`), 'ImplicitDeny');
  assert.equal(decide(statements, `${BUCKET}/\${aws:PrincipalTag/team}/readme.txt`), 'ImplicitDeny');
});

test(`A Deny whose Resource variable has no value does not apply (${VARIABLES_PAGE}#policy-vars-no-value)`, () => {
  const statements: StatementShape[] = [{ resource: `${BUCKET}/*` }, { effect: 'Deny', resource: `${BUCKET}/\${aws:PrincipalTag/team}/*` }];
  assert.equal(decide(statements, `${BUCKET}/blue/plan.txt`), 'Allow');
  assert.equal(decide(statements, `${BUCKET}/blue/plan.txt`, { 'aws:PrincipalTag/team': 'blue' }), 'ExplicitDeny');
});

test(`A variable in NotResource is substituted too (${VARIABLES_PAGE}#policy-vars-wheretouse)`, () => {
  const statements: StatementShape[] = [{ resource: `${BUCKET}/*` }, { effect: 'Deny', notResource: `${BUCKET}/home/\${aws:username}/*` }];
  assert.equal(decide(statements, `${BUCKET}/home/alice/notes.txt`), 'Allow');
  assert.equal(decide(statements, `${BUCKET}/home/bob/notes.txt`), 'ExplicitDeny');
});

test(`A multivalued key cannot serve as a variable: the Resource matches nothing (${MULTIVALUED_PAGE})`, () => {
  const statements = [{ resource: `${BUCKET}/\${aws:TagKeys}/*` }];
  assert.equal(decide(statements, `${BUCKET}/project/plan.txt`, { 'aws:TagKeys': ['project', 'owner'] }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Version
// ---------------------------------------------------------------------------------------------------

test(`Without a Version element, \${aws:username} is literal text in Resource (${VARIABLES_PAGE}#policy-vars-intro)`, () => {
  assert.equal(decide([{ resource: HOME }], `${BUCKET}/home/alice/notes.txt`, {}, ALICE, null), 'ImplicitDeny');
  assert.equal(decide([{ resource: HOME }], `${BUCKET}/home/\${aws:username}/notes.txt`, {}, ALICE, null), 'Allow');
});

test(`With Version 2008-10-17, \${aws:username} is literal text in Resource (${VARIABLES_PAGE}#policy-vars-intro)`, () => {
  assert.equal(decide([{ resource: HOME }], `${BUCKET}/home/alice/notes.txt`, {}, ALICE, '2008-10-17'), 'ImplicitDeny');
  assert.equal(decide([{ resource: HOME }], `${BUCKET}/home/\${aws:username}/notes.txt`, {}, ALICE, '2008-10-17'), 'Allow');
});

test(`With Version 2008-10-17, a variable in a condition value is literal text (${VARIABLES_PAGE}#policy-vars-intro)`, () => {
  const statements = [{ condition: { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } } }];
  const run = (owner: string) =>
    evaluateStatements(statements, { context: { 'aws:ResourceTag/owner': owner } }, '2008-10-17').decision;
  assert.equal(run('alice'), 'ImplicitDeny');
  assert.equal(run('${aws:username}'), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// In condition values
// ---------------------------------------------------------------------------------------------------

test(`StringEquals with \${aws:username}: the resource's owner tag must be the caller (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  const condition = { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/owner': 'alice' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/owner': 'bob' }), 'ImplicitDeny');
});

test(`StringLike with a variable and a wildcard: the s3:prefix home-folder example (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  const condition = { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/*'] } };
  const list = { action: 's3:ListBucket', resource: BUCKET };
  assert.equal(decisionOfAllowWhen(condition, { 's3:prefix': 'home/alice/photos/' }, list), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 's3:prefix': 'home/' }, list), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 's3:prefix': 'home/bob/' }, list), 'ImplicitDeny');
});

test(`StringNotEquals with a variable: true when the values differ (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  const condition = { StringNotEquals: { 'aws:ResourceTag/owner': '${aws:username}' } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/owner': 'bob' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/owner': 'alice' }), 'ImplicitDeny');
});

test(`StringEqualsIgnoreCase with a variable (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  assert.equal(decisionOfAllowWhen({ StringEqualsIgnoreCase: { 'aws:ResourceTag/owner': '${aws:username}' } }, { 'aws:ResourceTag/owner': 'ALICE' }), 'Allow');
});

test(`StringEquals comparing two tags: s3:ExistingObjectTag/team must equal \${aws:PrincipalTag/team} (${VARIABLES_PAGE}#policy-vars-no-value)`, () => {
  const condition = { StringEquals: { 's3:ExistingObjectTag/team': '${aws:PrincipalTag/team}' } };
  assert.equal(decisionOfAllowWhen(condition, { 's3:ExistingObjectTag/team': 'blue', 'aws:PrincipalTag/team': 'blue' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 's3:ExistingObjectTag/team': 'blue', 'aws:PrincipalTag/team': 'red' }), 'ImplicitDeny');
});

test(`ArnEquals with a variable in the resource part of the ARN (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  const condition = { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:\${aws:username}-topic` } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:alice-topic` }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:bob-topic` }), 'ImplicitDeny');
});

test(`ArnLike with a variable and a wildcard (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  const condition = { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:${aws:PrincipalTag/team}-*' } };
  const context = { 'aws:PrincipalTag/team': 'blue' };
  assert.equal(decisionOfAllowWhen(condition, { ...context, 'aws:SourceArn': `arn:aws:sns:eu-west-1:${ACCOUNT}:blue-alerts` }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { ...context, 'aws:SourceArn': `arn:aws:sns:eu-west-1:${ACCOUNT}:red-alerts` }), 'ImplicitDeny');
});

test(`Numeric operators take no variables: "\${aws:PrincipalTag/max}" is not replaced (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  assertNotAllowed(() =>
    evaluateStatements([{ condition: { NumericEquals: { 's3:max-keys': '${aws:PrincipalTag/max}' } } }], {
      context: { 's3:max-keys': '10', 'aws:PrincipalTag/max': '10' },
    }),
  );
});

test(`Date operators take no variables (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  assertNotAllowed(() =>
    evaluateStatements([{ condition: { DateLessThan: { 'aws:CurrentTime': '${aws:PrincipalTag/expiry}' } } }], {
      context: { 'aws:CurrentTime': '2024-05-01T12:00:00Z', 'aws:PrincipalTag/expiry': '2030-01-01T00:00:00Z' },
    }),
  );
});

test(`IP address operators take no variables (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  assertNotAllowed(() =>
    evaluateStatements([{ condition: { IpAddress: { 'aws:SourceIp': '${aws:PrincipalTag/office}' } } }], {
      context: { 'aws:SourceIp': '203.0.113.7', 'aws:PrincipalTag/office': '203.0.113.0/24' },
    }),
  );
});

test(`BinaryEquals takes no variables (${VARIABLES_PAGE}#policy-vars-conditionelement)`, () => {
  assertNotAllowed(() =>
    evaluateStatements([{ condition: { BinaryEquals: { 'custom:Blob': '${aws:PrincipalTag/blob}' } } }], {
      context: { 'custom:Blob': 'QmluYXJ5', 'aws:PrincipalTag/blob': 'QmluYXJ5' },
    }),
  );
});

// ---------------------------------------------------------------------------------------------------
// Special characters
// ---------------------------------------------------------------------------------------------------

test(`\${*} is a literal asterisk in a StringLike value, not a wildcard (${VARIABLES_PAGE}#policy-vars-specialchars)`, () => {
  const condition = { StringLike: { 's3:prefix': 'reports/${*}' } };
  assert.equal(decisionOfAllowWhen(condition, { 's3:prefix': 'reports/*' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 's3:prefix': 'reports/q1' }), 'ImplicitDeny');
});

test(`\${?} is a literal question mark in a StringLike value (${VARIABLES_PAGE}#policy-vars-specialchars)`, () => {
  const condition = { StringLike: { 's3:prefix': 'what${?}' } };
  assert.equal(decisionOfAllowWhen(condition, { 's3:prefix': 'what?' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 's3:prefix': 'whatx' }), 'ImplicitDeny');
});

test(`\${$} is a literal dollar sign (${VARIABLES_PAGE}#policy-vars-specialchars)`, () => {
  const condition = { StringEquals: { 'aws:ResourceTag/price': 'price${$}' } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/price': 'price$' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/price': 'price${$}' }), 'ImplicitDeny');
});

test(`\${*} in Resource matches only an object literally named "*" (${VARIABLES_PAGE}#policy-vars-specialchars)`, () => {
  const statements = [{ resource: `${BUCKET}/\${*}` }];
  assert.equal(decide(statements, `${BUCKET}/*`), 'Allow');
  assert.equal(decide(statements, `${BUCKET}/report.txt`), 'ImplicitDeny');
});

test(`\${*} next to a real wildcard: "\${*}*" matches names starting with "*" (${VARIABLES_PAGE}#policy-vars-specialchars)`, () => {
  const condition = { StringLike: { 's3:prefix': '${*}*' } };
  assert.equal(decisionOfAllowWhen(condition, { 's3:prefix': '*starred' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 's3:prefix': 'plain' }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Default values
// ---------------------------------------------------------------------------------------------------

const TEAM_OR_DEFAULT = `${BUCKET}/\${aws:PrincipalTag/team, 'company-wide'}/*`;

test(`A default value is used when the key has no value (${VARIABLES_PAGE}#policy-vars-default-values)`, () => {
  assert.equal(decide([{ resource: TEAM_OR_DEFAULT }], `${BUCKET}/company-wide/handbook.pdf`), 'Allow');
  assert.equal(decide([{ resource: TEAM_OR_DEFAULT }], `${BUCKET}/blue/handbook.pdf`), 'ImplicitDeny');
});

test(`A default value is ignored when the key has a value (${VARIABLES_PAGE}#policy-vars-default-values)`, () => {
  const context = { 'aws:PrincipalTag/team': 'blue' };
  assert.equal(decide([{ resource: TEAM_OR_DEFAULT }], `${BUCKET}/blue/handbook.pdf`, context), 'Allow');
  assert.equal(decide([{ resource: TEAM_OR_DEFAULT }], `${BUCKET}/company-wide/handbook.pdf`, context), 'ImplicitDeny');
});

test(`A default value in a condition value (${VARIABLES_PAGE}#policy-vars-default-values)`, () => {
  const condition = { StringEquals: { 'aws:ResourceTag/team': "${aws:PrincipalTag/team, 'company-wide'}" } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/team': 'company-wide' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/team': 'company-wide', 'aws:PrincipalTag/team': 'blue' }), 'ImplicitDeny');
});

test(`A default for aws:userid, AWS's "\${aws:userid, 'anonymous'}" example, on a session without the key (${VARIABLES_PAGE}#policy-vars-default-values)`, () => {
  const condition = { StringEquals: { 'aws:ResourceTag/owner': "${aws:userid, 'anonymous'}" } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/owner': 'AIDAEXAMPLE', 'aws:userid': 'AIDAEXAMPLE' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/owner': 'anonymous', 'aws:userid': 'AIDAEXAMPLE' }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Variables without a value
// ---------------------------------------------------------------------------------------------------

test(`A variable with no value makes StringEquals false (${VARIABLES_PAGE}#policy-vars-no-value)`, () => {
  const condition = { StringEquals: { 's3:ExistingObjectTag/team': '${aws:PrincipalTag/team}' } };
  assert.equal(decisionOfAllowWhen(condition, { 's3:ExistingObjectTag/team': 'blue' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { 's3:ExistingObjectTag/team': '' }), 'ImplicitDeny');
});

test(`A variable with no value makes StringLike false (${VARIABLES_PAGE}#policy-vars-no-value)`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { 's3:prefix': 'home/${aws:PrincipalTag/team}/*' } }, { 's3:prefix': 'home//x' }), 'ImplicitDeny');
});

test(`A variable with no value makes StringNotEquals true (${VARIABLES_PAGE}#policy-vars-no-value)`, () => {
  const condition = { StringNotEquals: { 's3:ExistingObjectTag/team': '${aws:PrincipalTag/team}' } };
  assert.equal(decisionOfAllowWhen(condition, { 's3:ExistingObjectTag/team': 'blue' }), 'Allow');
});

test(`A variable with no value makes StringNotLike true (${VARIABLES_PAGE}#policy-vars-no-value)`, () => {
  assert.equal(decisionOfAllowWhen({ StringNotLike: { 's3:prefix': 'home/${aws:PrincipalTag/team}/*' } }, { 's3:prefix': 'home/blue/x' }), 'Allow');
});

test(`A Deny with StringNotEquals against an unset principal tag denies explicitly (${VARIABLES_PAGE}#policy-vars-no-value)`, () => {
  const statements: StatementShape[] = [
    { condition: { StringEquals: { 's3:ExistingObjectTag/team': '${aws:PrincipalTag/team}' } } },
    { effect: 'Deny', condition: { StringNotEquals: { 's3:ExistingObjectTag/team': '${aws:PrincipalTag/team}' } } },
  ];
  const run = (context: Context) => evaluateStatements(statements, { context });
  const untagged = run({ 's3:ExistingObjectTag/team': 'blue' });
  assert.equal(untagged.decision, 'ExplicitDeny');
  assertDecidedBy(untagged, 1, 'Deny');
  assert.equal(run({ 's3:ExistingObjectTag/team': 'blue', 'aws:PrincipalTag/team': 'blue' }).decision, 'Allow');
});

test(`aws:username as a variable for a role session has no value, so StringEquals on it is false (${VARIABLES_PAGE}#principaltable)`, () => {
  const condition = { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/owner': 'alice-session' }, { principal: ALICE_SESSION }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Names, and where variables are not allowed
// ---------------------------------------------------------------------------------------------------

test(`Variable names are case-insensitive: \${AWS:UserName} (${VARIABLES_PAGE}#policy-vars-infoallreqs)`, () => {
  assert.equal(decide([{ resource: `${BUCKET}/home/\${AWS:UserName}/*` }], `${BUCKET}/home/alice/notes.txt`), 'Allow');
});

test(`Variable names are case-insensitive for tag keys: \${aws:principaltag/TEAM} (${VARIABLES_PAGE}#policy-vars-infoallreqs)`, () => {
  const statements = [{ resource: `${BUCKET}/\${aws:principaltag/TEAM}/*` }];
  assert.equal(decide(statements, `${BUCKET}/blue/plan.txt`, { 'aws:PrincipalTag/team': 'blue' }), 'Allow');
});

test(`The substituted value keeps its case: a tag "Blue" does not reach folder "blue" (${VARIABLES_PAGE}#policy-vars-tags)`, () => {
  const statements = [{ resource: `${BUCKET}/\${aws:PrincipalTag/team}/*` }];
  assert.equal(decide(statements, `${BUCKET}/blue/plan.txt`, { 'aws:PrincipalTag/team': 'Blue' }), 'ImplicitDeny');
});

test(`Variables are not allowed in Action: "s3:\${aws:username}" is never substituted (${VARIABLES_PAGE}#policy-vars-wheretouse)`, () => {
  const getObjectUser = `arn:aws:iam::${ACCOUNT}:user/GetObject`;
  assertNotAllowed(() => evaluateStatements([{ action: 's3:${aws:username}' }], { principal: getObjectUser, action: 's3:GetObject' }));
});

test(`"If AWS cannot resolve a variable, this might cause the entire statement to be invalid": a NotResource whose variable has no value makes its statement not apply (${VARIABLES_PAGE}#policy-vars-no-value)`, () => {
  const allowOutsideHome: StatementShape[] = [{ notResource: `${BUCKET}/team/\${aws:PrincipalTag/team}/*` }];
  assert.equal(decide(allowOutsideHome, `${BUCKET}/shared/notes.txt`, { 'aws:PrincipalTag/team': 'blue' }), 'Allow');
  assert.equal(decide(allowOutsideHome, `${BUCKET}/shared/notes.txt`), 'ImplicitDeny', 'not "everything but an unresolvable path"');
  const denyOutsideHome: StatementShape[] = [{ resource: `${BUCKET}/*` }, { effect: 'Deny', notResource: `${BUCKET}/team/\${aws:PrincipalTag/team}/*` }];
  assert.equal(decide(denyOutsideHome, `${BUCKET}/shared/notes.txt`), 'Allow', 'the Deny does not apply either');
});
