// How Action, NotAction, Resource and NotResource match a request, observed through evaluate().
// Pages: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
// reference_policies_elements_notaction.html, reference_policies_elements_resource.html,
// reference_policies_elements_notresource.html.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.js';
import type { Decision } from '../../src/policy/types.js';

const ACTION = 'reference_policies_elements_action.html';
const NOT_ACTION = 'reference_policies_elements_notaction.html';
const RESOURCE = 'reference_policies_elements_resource.html';
const NOT_RESOURCE = 'reference_policies_elements_notresource.html';

const ACCOUNT = '111122223333';
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;

/** The decision for Bob's request under one identity policy made of the given statements. */
function decisionFor(statements: object[], action: string, resource: string): Decision {
  const document = { Version: '2012-10-17', Statement: statements };
  return evaluate({ request: { principal: BOB, action, resource }, identityPolicies: [{ document }] }).decision;
}

function allowsAction(pattern: string | string[], action: string, resource = '*'): boolean {
  return decisionFor([{ Effect: 'Allow', Action: pattern, Resource: '*' }], action, resource) === 'Allow';
}

function allowsResource(pattern: string | string[], resource: string, action = 's3:GetObject'): boolean {
  return decisionFor([{ Effect: 'Allow', Action: '*', Resource: pattern }], action, resource) === 'Allow';
}

/** Whether a Deny on `pattern` hits the resource: explicit denies apply whichever account owns the resource. */
function deniesResource(pattern: string, resource: string, action: string): boolean {
  const statements = [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: pattern },
  ];
  return decisionFor(statements, action, resource) === 'ExplicitDeny';
}

// ---------------------------------------------------------------------------------------------------
// Action
// ---------------------------------------------------------------------------------------------------

test(`Action: an exact action name matches (${ACTION})`, () => {
  assert.equal(allowsAction('s3:GetObject', 's3:GetObject'), true);
});

test(`Action: a different action of the same service does not match (${ACTION})`, () => {
  assert.equal(allowsAction('s3:GetObject', 's3:PutObject'), false);
});

test(`Action: the same action name under another service prefix does not match (${ACTION})`, () => {
  assert.equal(allowsAction('s3:GetObject', 's3express:GetObject'), false);
});

test(`Action: the policy's prefix and name are case-insensitive (${ACTION})`, () => {
  assert.equal(allowsAction('S3:getobject', 's3:GetObject'), true);
  assert.equal(allowsAction('IAM:ListAccessKeys', 'iam:listaccesskeys'), true);
});

test(`Action: the request's action is compared case-insensitively too (${ACTION})`, () => {
  assert.equal(allowsAction('s3:GetObject', 'S3:GETOBJECT'), true);
});

test(`Action: "s3:Get*" matches every s3 action starting with Get (${ACTION})`, () => {
  assert.equal(allowsAction('s3:Get*', 's3:GetObject'), true);
  assert.equal(allowsAction('s3:Get*', 's3:GetBucketPolicy'), true);
  assert.equal(allowsAction('s3:Get*', 's3:GetObjectVersionTagging'), true);
});

test(`Action: "s3:Get*" does not match actions not starting with Get (${ACTION})`, () => {
  assert.equal(allowsAction('s3:Get*', 's3:PutObject'), false);
  assert.equal(allowsAction('s3:Get*', 's3:ListBucket'), false);
});

test(`Action: "s3:Get*" does not match Get actions of another service (${ACTION})`, () => {
  assert.equal(allowsAction('s3:Get*', 'ec2:GetConsoleOutput'), false);
});

test(`Action: a wildcard prefix with case differences still matches ("S3:get*") (${ACTION})`, () => {
  assert.equal(allowsAction('S3:get*', 's3:GetObject'), true);
});

test(`Action: "s3:*Object" matches actions ending with Object (${ACTION})`, () => {
  assert.equal(allowsAction('s3:*Object', 's3:GetObject'), true);
  assert.equal(allowsAction('s3:*Object', 's3:PutObject'), true);
  assert.equal(allowsAction('s3:*Object', 's3:DeleteObject'), true);
});

test(`Action: "s3:*Object" does not match actions that merely contain Object (${ACTION})`, () => {
  assert.equal(allowsAction('s3:*Object', 's3:GetObjectAcl'), false);
  assert.equal(allowsAction('s3:*Object', 's3:ListBucket'), false);
});

test(`Action: "iam:*Report" matches report actions only (${ACTION}; reference_policies_evaluation-logic.html example)`, () => {
  assert.equal(allowsAction('iam:*Report', 'iam:GenerateCredentialReport'), true);
  assert.equal(allowsAction('iam:*Report', 'iam:GetCredentialReport'), true);
  assert.equal(allowsAction('iam:*Report', 'iam:GetUser'), false);
});

test(`Action: "iam:*" matches every IAM action and nothing outside IAM (${ACTION})`, () => {
  assert.equal(allowsAction('iam:*', 'iam:CreateRole'), true);
  assert.equal(allowsAction('iam:*', 'iam:PassRole'), true);
  assert.equal(allowsAction('iam:*', 'sts:AssumeRole'), false);
});

test(`Action: "*" matches every action of every service (${ACTION})`, () => {
  assert.equal(allowsAction('*', 'ec2:RunInstances'), true);
  assert.equal(allowsAction('*', 'kms:Decrypt'), true);
});

test(`Action: "?" matches exactly one character (${ACTION})`, () => {
  assert.equal(allowsAction('s3:Get?bject', 's3:GetObject'), true);
  assert.equal(allowsAction('s3:Get?bject', 's3:Getbject'), false);
  assert.equal(allowsAction('s3:Get?bject', 's3:GetXXbject'), false);
});

test(`Action: a list of actions matches when any one matches (${ACTION})`, () => {
  const actions = ['sqs:SendMessage', 's3:ListBucket', 'dynamodb:GetItem'];
  assert.equal(allowsAction(actions, 'dynamodb:GetItem'), true);
  assert.equal(allowsAction(actions, 'dynamodb:PutItem'), false);
});

test(`Action: a wildcard matches the whole name, not a substring ("s3:Get" is not "s3:GetObject") (${ACTION})`, () => {
  assert.equal(allowsAction('s3:Get', 's3:GetObject'), false);
});

test(`Action: Deny "s3:Delete*" explicitly denies deletes while s3:* is allowed (${ACTION})`, () => {
  const statements = [
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
  ];
  assert.equal(decisionFor(statements, 's3:DeleteBucket', 'arn:aws:s3:::b'), 'ExplicitDeny');
  assert.equal(decisionFor(statements, 's3:DeleteObjectVersion', 'arn:aws:s3:::b/k'), 'ExplicitDeny');
  assert.equal(decisionFor(statements, 's3:PutObject', 'arn:aws:s3:::b/k'), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// NotAction
// ---------------------------------------------------------------------------------------------------

test(`NotAction with Allow grants every action except those listed (${NOT_ACTION})`, () => {
  const statements = [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }];
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::b/k'), 'Allow');
  assert.equal(decisionFor(statements, 'ec2:RunInstances', '*'), 'Allow');
});

test(`NotAction with Allow leaves the listed actions implicitly denied, not explicitly (${NOT_ACTION})`, () => {
  const statements = [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }];
  assert.equal(decisionFor(statements, 'iam:CreateUser', '*'), 'ImplicitDeny');
});

test(`NotAction with Allow only grants within its Resource (${NOT_ACTION})`, () => {
  const statements = [{ Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::reports' }];
  assert.equal(decisionFor(statements, 's3:ListBucket', 'arn:aws:s3:::reports'), 'Allow');
  assert.equal(decisionFor(statements, 's3:ListBucket', 'arn:aws:s3:::archive'), 'ImplicitDeny');
});

test(`NotAction with Deny denies every action except those listed (${NOT_ACTION})`, () => {
  const statements = [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*' },
  ];
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::b/k'), 'ExplicitDeny');
  assert.equal(decisionFor(statements, 'iam:GetUser', '*'), 'Allow');
  assert.equal(decisionFor(statements, 'sts:GetSessionToken', '*'), 'Allow');
});

test(`NotAction with Deny does not grant the excluded actions by itself (${NOT_ACTION})`, () => {
  const statements = [{ Effect: 'Deny', NotAction: 'iam:*', Resource: '*' }];
  assert.equal(decisionFor(statements, 'iam:GetUser', '*'), 'ImplicitDeny');
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::b/k'), 'ExplicitDeny');
});

test(`NotAction accepts wildcards and matches case-insensitively (${NOT_ACTION})`, () => {
  const statements = [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', NotAction: 'S3:get*', Resource: '*' },
  ];
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::b/k'), 'Allow');
  assert.equal(decisionFor(statements, 's3:PutObject', 'arn:aws:s3:::b/k'), 'ExplicitDeny');
});

test(`NotAction with Deny and a condition denies only when the condition holds (${NOT_ACTION} MFA example)`, () => {
  const statements = [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
  ];
  const ask = (mfa?: boolean) =>
    evaluate({
      request: { principal: BOB, action: 'ec2:RunInstances', resource: '*', ...(mfa === undefined ? {} : { context: { 'aws:MultiFactorAuthPresent': mfa } }) },
      identityPolicies: [{ document: { Version: '2012-10-17', Statement: statements } }],
    }).decision;
  assert.equal(ask(true), 'Allow');
  assert.equal(ask(false), 'ExplicitDeny');
  assert.equal(ask(undefined), 'ExplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Resource
// ---------------------------------------------------------------------------------------------------

test(`Resource: an exact ARN matches (${RESOURCE})`, () => {
  assert.equal(allowsResource(`arn:aws:sqs:us-east-2:${ACCOUNT}:queue1`, `arn:aws:sqs:us-east-2:${ACCOUNT}:queue1`, 'sqs:SendMessage'), true);
});

test(`Resource: another resource of the same type does not match (${RESOURCE})`, () => {
  assert.equal(allowsResource(`arn:aws:sqs:us-east-2:${ACCOUNT}:queue1`, `arn:aws:sqs:us-east-2:${ACCOUNT}:queue2`, 'sqs:SendMessage'), false);
});

test(`Resource: "*" matches any resource, and requests on "*" (${RESOURCE})`, () => {
  assert.equal(allowsResource('*', 'arn:aws:s3:::any/key'), true);
  assert.equal(allowsResource('*', '*', 'ec2:DescribeInstances'), true);
});

test(`Resource: a specific ARN does not match a request whose resource is "*" (${RESOURCE})`, () => {
  assert.equal(allowsResource('arn:aws:s3:::reports/*', '*', 's3:ListAllMyBuckets'), false);
});

test(`Resource: "*" in the resource part spans "/" (every object of a bucket, ${RESOURCE})`, () => {
  assert.equal(allowsResource('arn:aws:s3:::my_corporate_bucket/*', 'arn:aws:s3:::my_corporate_bucket/a/b/c.txt'), true);
});

test(`Resource: "bucket/*" matches objects, not the bucket itself (${RESOURCE})`, () => {
  assert.equal(allowsResource('arn:aws:s3:::reports/*', 'arn:aws:s3:::reports', 's3:ListBucket'), false);
});

test(`Resource: a trailing "*" in a bucket name matches longer bucket names (${RESOURCE})`, () => {
  assert.equal(allowsResource('arn:aws:s3:::reports*', 'arn:aws:s3:::reports-2024'), true);
  assert.equal(allowsResource('arn:aws:s3:::reports*', 'arn:aws:s3:::reports-2024/key'), true);
  assert.equal(allowsResource('arn:aws:s3:::reports*', 'arn:aws:s3:::archive'), false);
});

test(`Resource: "*" in the middle of a path (${RESOURCE})`, () => {
  assert.equal(allowsResource('arn:aws:s3:::reports/*/summary.csv', 'arn:aws:s3:::reports/2024/q1/summary.csv'), true);
  assert.equal(allowsResource('arn:aws:s3:::reports/*/summary.csv', 'arn:aws:s3:::reports/2024/q1/detail.csv'), false);
});

test(`Resource: IAM path wildcards ("user/accounting/*") (${RESOURCE})`, () => {
  assert.equal(allowsResource(`arn:aws:iam::${ACCOUNT}:user/accounting/*`, `arn:aws:iam::${ACCOUNT}:user/accounting/alice`, 'iam:GetUser'), true);
  assert.equal(allowsResource(`arn:aws:iam::${ACCOUNT}:user/accounting/*`, `arn:aws:iam::${ACCOUNT}:user/engineering/bob`, 'iam:GetUser'), false);
});

test(`Resource: "*" inside the resource part spans ":" (log streams of a log group, ${RESOURCE})`, () => {
  const pattern = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:app:*`;
  assert.equal(allowsResource(pattern, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:app:log-stream:web-1`, 'logs:PutLogEvents'), true);
  assert.equal(allowsResource(pattern, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:other:log-stream:web-1`, 'logs:PutLogEvents'), false);
});

test(`Resource: "*" in the region and account segments matches any region and account (${RESOURCE})`, () => {
  const pattern = 'arn:aws:dynamodb:*:*:table/e2e-*';
  assert.equal(allowsResource(pattern, `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/e2e-users`, 'dynamodb:GetItem'), true);
  assert.equal(allowsResource(pattern, `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/e2e-orders`, 'dynamodb:GetItem'), true);
  assert.equal(deniesResource(pattern, 'arn:aws:dynamodb:eu-west-1:444455556666:table/e2e-orders', 'dynamodb:GetItem'), true);
  assert.equal(allowsResource(pattern, `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/prod-users`, 'dynamodb:GetItem'), false);
});

test(`Resource: a partial wildcard in the region segment ("us-*") (${RESOURCE})`, () => {
  const pattern = `arn:aws:sqs:us-*:${ACCOUNT}:jobs`;
  assert.equal(allowsResource(pattern, `arn:aws:sqs:us-west-2:${ACCOUNT}:jobs`, 'sqs:SendMessage'), true);
  assert.equal(allowsResource(pattern, `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`, 'sqs:SendMessage'), false);
});

test(`Resource: the account segment must match when it is given (${RESOURCE})`, () => {
  const pattern = `arn:aws:ec2:*:${ACCOUNT}:instance/*`;
  assert.equal(deniesResource(pattern, `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0abc`, 'ec2:StartInstances'), true);
  assert.equal(deniesResource(pattern, 'arn:aws:ec2:us-east-1:444455556666:instance/i-0abc', 'ec2:StartInstances'), false);
});

test(`Resource: the service segment must match (an s3 pattern does not match an sqs ARN) (${RESOURCE})`, () => {
  assert.equal(allowsResource('arn:aws:s3:::*', `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`, 'sqs:SendMessage'), false);
});

test(`Resource: the partition segment must match (${RESOURCE})`, () => {
  assert.equal(allowsResource('arn:aws-cn:s3:::reports/*', 'arn:aws:s3:::reports/q1.csv'), false);
});

test(`Resource: "?" matches exactly one character (${RESOURCE})`, () => {
  assert.equal(allowsResource('arn:aws:s3:::reports/file?.txt', 'arn:aws:s3:::reports/file1.txt'), true);
  assert.equal(allowsResource('arn:aws:s3:::reports/file?.txt', 'arn:aws:s3:::reports/file10.txt'), false);
  assert.equal(allowsResource('arn:aws:s3:::reports/file?.txt', 'arn:aws:s3:::reports/file.txt'), false);
});

test(`Resource: ARNs are case-sensitive (${RESOURCE})`, () => {
  assert.equal(allowsResource('arn:aws:s3:::Reports/*', 'arn:aws:s3:::reports/q1.csv'), false);
  assert.equal(allowsResource(`arn:aws:iam::${ACCOUNT}:user/Bob`, `arn:aws:iam::${ACCOUNT}:user/bob`, 'iam:GetUser'), false);
});

test(`Resource: a list matches when any entry matches (${RESOURCE})`, () => {
  const tables = [`arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/books_table`, `arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/magazines_table`];
  assert.equal(allowsResource(tables, `arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/magazines_table`, 'dynamodb:GetItem'), true);
  assert.equal(allowsResource(tables, `arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/comics_table`, 'dynamodb:GetItem'), false);
});

test(`Resource: a bucket and its objects listed together (${RESOURCE})`, () => {
  const both = ['arn:aws:s3:::my-app-bucket', 'arn:aws:s3:::my-app-bucket/*'];
  assert.equal(allowsResource(both, 'arn:aws:s3:::my-app-bucket', 's3:ListBucket'), true);
  assert.equal(allowsResource(both, 'arn:aws:s3:::my-app-bucket/config.json'), true);
  assert.equal(allowsResource(both, 'arn:aws:s3:::my-app-bucket-2/config.json'), false);
});

test(`Resource: a Deny with a wildcard resource pattern denies matching resources only (${RESOURCE})`, () => {
  const statements = [
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
  ];
  assert.equal(decisionFor(statements, 's3:PutObject', 'arn:aws:s3:::app-logs/x'), 'ExplicitDeny');
  assert.equal(decisionFor(statements, 's3:PutObject', 'arn:aws:s3:::app-data/x'), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// NotResource
// ---------------------------------------------------------------------------------------------------

test(`NotResource with Allow grants every resource except those listed (${NOT_RESOURCE})`, () => {
  const statements = [{ Effect: 'Allow', Action: 's3:*', NotResource: ['arn:aws:s3:::secrets', 'arn:aws:s3:::secrets/*'] }];
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::reports/q1.csv'), 'Allow');
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::secrets/key.pem'), 'ImplicitDeny');
});

test(`NotResource with Allow still only covers the statement's actions (${NOT_RESOURCE})`, () => {
  const statements = [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secrets/*' }];
  assert.equal(decisionFor(statements, 's3:PutObject', 'arn:aws:s3:::reports/q1.csv'), 'ImplicitDeny');
});

test(`NotResource with Deny denies every resource except those listed (${NOT_RESOURCE})`, () => {
  const statements = [
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::reports', 'arn:aws:s3:::reports/*'] },
  ];
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::reports/q1.csv'), 'Allow');
  assert.equal(decisionFor(statements, 's3:ListBucket', 'arn:aws:s3:::reports'), 'Allow');
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::archive/q1.csv'), 'ExplicitDeny');
});

test(`NotResource with Deny and NotAction together: deny everything outside the listed actions and resources (${NOT_RESOURCE})`, () => {
  const statements = [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', NotAction: 'iam:*', NotResource: `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs` },
  ];
  assert.equal(decisionFor(statements, 'sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`), 'Allow');
  assert.equal(decisionFor(statements, 'sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:other`), 'ExplicitDeny');
  assert.equal(decisionFor(statements, 'iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/bob`), 'Allow');
});

test(`NotResource patterns use the same wildcards and case-sensitivity as Resource (${NOT_RESOURCE})`, () => {
  const statements = [
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::Public-*' },
  ];
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::Public-site/index.html'), 'Allow');
  assert.equal(decisionFor(statements, 's3:GetObject', 'arn:aws:s3:::public-site/index.html'), 'ExplicitDeny');
});
