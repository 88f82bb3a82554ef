/**
 * Condition operators, evaluated end to end through `evaluate()`: every operator of AWS's reference,
 * every `...IfExists` form, missing keys, and how several values, keys and operators combine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCOUNT,
  ALICE_SESSION,
  CONDITION_PAGE,
  GLOBAL_KEYS_PAGE,
  MULTIPLE_VALUES_PAGE,
  OPERATORS_PAGE,
  assertDecidedBy,
  assertMissingKey,
  decisionOfAllowWhen,
  decisionOfDenyWhen,
  evaluateAllowWhen,
  evaluateDenyWhen,
} from './fixtures-conditions.js';
import type { ContextValue } from '../../src/policy/types.js';

// ---------------------------------------------------------------------------------------------------
// Every base operator with a key, a policy value, a request value that satisfies the operator and one
// that does not. Negated operators are "satisfied" by a value that differs.
// ---------------------------------------------------------------------------------------------------

interface OperatorCase {
  operator: string;
  key: string;
  policyValue: string;
  satisfying: ContextValue;
  failing: ContextValue;
  negated: boolean;
}

const NOON = '2024-05-01T12:00:00Z';
const ONE_SECOND_LATER = '2024-05-01T12:00:01Z';
const ONE_SECOND_EARLIER = '2024-05-01T11:59:59Z';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;
const BLOB = 'QmluYXJ5VmFsdWVJbkJhc2U2NA==';

const OPERATOR_CASES: OperatorCase[] = [
  { operator: 'StringEquals', key: 'aws:PrincipalTag/team', policyValue: 'blue', satisfying: 'blue', failing: 'red', negated: false },
  { operator: 'StringNotEquals', key: 'aws:PrincipalTag/team', policyValue: 'blue', satisfying: 'red', failing: 'blue', negated: true },
  { operator: 'StringEqualsIgnoreCase', key: 'aws:PrincipalTag/team', policyValue: 'blue', satisfying: 'BLUE', failing: 'red', negated: false },
  { operator: 'StringNotEqualsIgnoreCase', key: 'aws:PrincipalTag/team', policyValue: 'blue', satisfying: 'red', failing: 'BLUE', negated: true },
  { operator: 'StringLike', key: 'aws:PrincipalTag/team', policyValue: 'bl*', satisfying: 'blue', failing: 'red', negated: false },
  { operator: 'StringNotLike', key: 'aws:PrincipalTag/team', policyValue: 'bl*', satisfying: 'red', failing: 'blue', negated: true },
  { operator: 'NumericEquals', key: 's3:max-keys', policyValue: '10', satisfying: '10', failing: '11', negated: false },
  { operator: 'NumericNotEquals', key: 's3:max-keys', policyValue: '10', satisfying: '11', failing: '10', negated: true },
  { operator: 'NumericLessThan', key: 's3:max-keys', policyValue: '10', satisfying: '9', failing: '10', negated: false },
  { operator: 'NumericLessThanEquals', key: 's3:max-keys', policyValue: '10', satisfying: '10', failing: '11', negated: false },
  { operator: 'NumericGreaterThan', key: 's3:max-keys', policyValue: '10', satisfying: '11', failing: '10', negated: false },
  { operator: 'NumericGreaterThanEquals', key: 's3:max-keys', policyValue: '10', satisfying: '10', failing: '9', negated: false },
  { operator: 'DateEquals', key: 'aws:CurrentTime', policyValue: NOON, satisfying: NOON, failing: ONE_SECOND_LATER, negated: false },
  { operator: 'DateNotEquals', key: 'aws:CurrentTime', policyValue: NOON, satisfying: ONE_SECOND_LATER, failing: NOON, negated: true },
  { operator: 'DateLessThan', key: 'aws:CurrentTime', policyValue: NOON, satisfying: ONE_SECOND_EARLIER, failing: NOON, negated: false },
  { operator: 'DateLessThanEquals', key: 'aws:CurrentTime', policyValue: NOON, satisfying: NOON, failing: ONE_SECOND_LATER, negated: false },
  { operator: 'DateGreaterThan', key: 'aws:CurrentTime', policyValue: NOON, satisfying: ONE_SECOND_LATER, failing: NOON, negated: false },
  { operator: 'DateGreaterThanEquals', key: 'aws:CurrentTime', policyValue: NOON, satisfying: NOON, failing: ONE_SECOND_EARLIER, negated: false },
  { operator: 'Bool', key: 'aws:MultiFactorAuthPresent', policyValue: 'true', satisfying: true, failing: false, negated: false },
  { operator: 'BinaryEquals', key: 'custom:Blob', policyValue: BLOB, satisfying: BLOB, failing: 'T3RoZXJWYWx1ZQ==', negated: false },
  { operator: 'IpAddress', key: 'aws:SourceIp', policyValue: '203.0.113.0/24', satisfying: '203.0.113.5', failing: '198.51.100.5', negated: false },
  { operator: 'NotIpAddress', key: 'aws:SourceIp', policyValue: '203.0.113.0/24', satisfying: '198.51.100.5', failing: '203.0.113.5', negated: true },
  { operator: 'ArnEquals', key: 'aws:SourceArn', policyValue: TOPIC, satisfying: TOPIC, failing: `arn:aws:sns:us-east-1:${ACCOUNT}:other`, negated: false },
  {
    operator: 'ArnLike',
    key: 'aws:SourceArn',
    policyValue: `arn:aws:sns:*:${ACCOUNT}:alert*`,
    satisfying: `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`,
    failing: 'arn:aws:sns:eu-west-1:444455556666:alerts',
    negated: false,
  },
  { operator: 'ArnNotEquals', key: 'aws:SourceArn', policyValue: TOPIC, satisfying: `arn:aws:sns:us-east-1:${ACCOUNT}:other`, failing: TOPIC, negated: true },
  {
    operator: 'ArnNotLike',
    key: 'aws:SourceArn',
    policyValue: `arn:aws:sns:*:${ACCOUNT}:alert*`,
    satisfying: 'arn:aws:sns:eu-west-1:444455556666:alerts',
    failing: `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`,
    negated: true,
  },
];

function conditionOf(operator: string, key: string, value: unknown) {
  return { [operator]: { [key]: value } };
}

for (const c of OPERATOR_CASES) {
  test(`${c.operator}: a request value that satisfies it allows (${OPERATORS_PAGE})`, () => {
    const result = evaluateAllowWhen(conditionOf(c.operator, c.key, c.policyValue), { [c.key]: c.satisfying });
    assert.equal(result.decision, 'Allow');
    assertDecidedBy(result, 0, 'Allow');
  });

  test(`${c.operator}: a request value that does not satisfy it leaves an implicit deny (${OPERATORS_PAGE})`, () => {
    assert.equal(decisionOfAllowWhen(conditionOf(c.operator, c.key, c.policyValue), { [c.key]: c.failing }), 'ImplicitDeny');
  });

  test(`${c.operator}: a missing key makes it ${c.negated ? 'true (negated operator)' : 'false'} (${OPERATORS_PAGE})`, () => {
    const result = evaluateAllowWhen(conditionOf(c.operator, c.key, c.policyValue), {});
    assert.equal(result.decision, c.negated ? 'Allow' : 'ImplicitDeny');
    if (!c.negated) assertMissingKey(result, c.key);
  });

  test(`${c.operator}IfExists: a missing key makes it true (${OPERATORS_PAGE}#Conditions_IfExists)`, () => {
    assert.equal(decisionOfAllowWhen(conditionOf(`${c.operator}IfExists`, c.key, c.policyValue), {}), 'Allow');
  });

  test(`${c.operator}IfExists: a present key that satisfies it allows (${OPERATORS_PAGE}#Conditions_IfExists)`, () => {
    assert.equal(decisionOfAllowWhen(conditionOf(`${c.operator}IfExists`, c.key, c.policyValue), { [c.key]: c.satisfying }), 'Allow');
  });

  test(`${c.operator}IfExists: a present key that fails it is judged as without IfExists (${OPERATORS_PAGE}#Conditions_IfExists)`, () => {
    assert.equal(decisionOfAllowWhen(conditionOf(`${c.operator}IfExists`, c.key, c.policyValue), { [c.key]: c.failing }), 'ImplicitDeny');
  });
}

// ---------------------------------------------------------------------------------------------------
// String operators
// ---------------------------------------------------------------------------------------------------

const S3_PREFIX = 's3:prefix';

test(`StringEquals: matching is case-sensitive, "Blue" is not "blue" (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:PrincipalTag/team': 'blue' } }, { 'aws:PrincipalTag/team': 'Blue' }), 'ImplicitDeny');
});

test(`StringNotEquals: a value differing only in case is not equal (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringNotEquals: { 'aws:PrincipalTag/team': 'blue' } }, { 'aws:PrincipalTag/team': 'BLUE' }), 'Allow');
});

test(`StringEqualsIgnoreCase: mixed case on both sides matches (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(
    decisionOfAllowWhen({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'BlUe-Team' } }, { 'aws:PrincipalTag/team': 'bLuE-tEAM' }),
    'Allow',
  );
});

test(`StringEqualsIgnoreCase: still an exact match, no wildcards (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'bl*' } }, { 'aws:PrincipalTag/team': 'blue' }), 'ImplicitDeny');
});

test(`StringEquals: "*" in the value is a literal character, not a wildcard (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:PrincipalTag/team': 'bl*' } }, { 'aws:PrincipalTag/team': 'blue' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:PrincipalTag/team': 'bl*' } }, { 'aws:PrincipalTag/team': 'bl*' }), 'Allow');
});

test(`StringNotEqualsIgnoreCase: a value differing only in case is equal, so the condition is false (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'Blue' } }, { 'aws:PrincipalTag/team': 'bLUE' }), 'ImplicitDeny');
});

test(`StringLike: "*" matches any run of characters, including "/" (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { [S3_PREFIX]: 'home/*' } }, { [S3_PREFIX]: 'home/alice/docs/2024' }), 'Allow');
});

test(`StringLike: "*" matches an empty run (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { [S3_PREFIX]: 'home/*' } }, { [S3_PREFIX]: 'home/' }), 'Allow');
});

test(`StringLike: "*" may sit in the middle of the value (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { [S3_PREFIX]: 'projects/*/reports' } }, { [S3_PREFIX]: 'projects/blue/reports' }), 'Allow');
  assert.equal(decisionOfAllowWhen({ StringLike: { [S3_PREFIX]: 'projects/*/reports' } }, { [S3_PREFIX]: 'projects/blue/drafts' }), 'ImplicitDeny');
});

test(`StringLike: "?" matches exactly one character (${OPERATORS_PAGE}#Conditions_String)`, () => {
  const condition = { StringLike: { 'ec2:InstanceType': 't?.micro' } };
  assert.equal(decisionOfAllowWhen(condition, { 'ec2:InstanceType': 't2.micro' }), 'Allow');
});

test(`StringLike: "?" does not match zero characters (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { 'ec2:InstanceType': 't?.micro' } }, { 'ec2:InstanceType': 't.micro' }), 'ImplicitDeny');
});

test(`StringLike: "?" does not match two characters (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { 'ec2:InstanceType': 't?.micro' } }, { 'ec2:InstanceType': 't3a.micro' }), 'ImplicitDeny');
});

test(`StringLike: matching is case-sensitive (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { [S3_PREFIX]: 'Home/*' } }, { [S3_PREFIX]: 'home/alice' }), 'ImplicitDeny');
});

test(`StringLike: without a wildcard only the whole string matches, no partial match (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { [S3_PREFIX]: 'home' } }, { [S3_PREFIX]: 'home/alice' }), 'ImplicitDeny');
});

test(`StringLike: the empty string value matches an empty request value, as in the s3:prefix example (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { [S3_PREFIX]: ['', 'home/'] } }, { [S3_PREFIX]: '' }), 'Allow');
});

test(`StringLike: the instance-type example allows t2.* and refuses m5.* (${OPERATORS_PAGE}#Conditions_IfExists)`, () => {
  const condition = { StringLike: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } };
  assert.equal(decisionOfAllowWhen(condition, { 'ec2:InstanceType': 't2.large' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'ec2:InstanceType': 'm5.large' }), 'ImplicitDeny');
});

test(`StringNotLike: a value matching the pattern makes the condition false (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringNotLike: { [S3_PREFIX]: 'secret/*' } }, { [S3_PREFIX]: 'secret/plans' }), 'ImplicitDeny');
});

test(`StringNotLike: matching is case-sensitive, so "Secret/x" is not like "secret/*" (${OPERATORS_PAGE}#Conditions_String)`, () => {
  assert.equal(decisionOfAllowWhen({ StringNotLike: { [S3_PREFIX]: 'secret/*' } }, { [S3_PREFIX]: 'Secret/plans' }), 'Allow');
});

test(`StringNotLike with Deny: requests outside the pattern are explicitly denied (${OPERATORS_PAGE}#Conditions_String)`, () => {
  const condition = { StringNotLike: { [S3_PREFIX]: 'public/*' } };
  const denied = evaluateDenyWhen(condition, { [S3_PREFIX]: 'private/x' });
  assert.equal(denied.decision, 'ExplicitDeny');
  assertDecidedBy(denied, 1, 'Deny');
  assert.equal(decisionOfDenyWhen(condition, { [S3_PREFIX]: 'public/x' }), 'Allow');
});

test(`String operators: a JSON number in the policy compares as its string form (${CONDITION_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:PrincipalTag/level': 5 } }, { 'aws:PrincipalTag/level': '5' }), 'Allow');
});

test(`String operators: a numeric request value compares as its string form (${CONDITION_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:PrincipalTag/level': '5' } }, { 'aws:PrincipalTag/level': 5 }), 'Allow');
});

test(`StringEquals: the job-category example denies a user without the tag (${OPERATORS_PAGE}#Conditions_String)`, () => {
  const condition = { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } };
  const request = { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/bob` };
  const untagged = evaluateAllowWhen(condition, {}, request);
  assert.equal(untagged.decision, 'ImplicitDeny');
  assertMissingKey(untagged, 'aws:PrincipalTag/job-category');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/job-category': 'iamuser-admin' }, request), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/job-category': 'developer' }, request), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Numeric operators
// ---------------------------------------------------------------------------------------------------

test(`NumericEquals: decimals compare by value, "1.5" equals "1.50" (${OPERATORS_PAGE}#Conditions_Numeric)`, () => {
  assert.equal(decisionOfAllowWhen({ NumericEquals: { 'custom:Ratio': '1.5' } }, { 'custom:Ratio': '1.50' }), 'Allow');
});

test(`NumericEquals: an integer equals the same decimal, "10" and "10.0" (${OPERATORS_PAGE}#Conditions_Numeric)`, () => {
  assert.equal(decisionOfAllowWhen({ NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '10.0' }), 'Allow');
});

test(`NumericLessThan: compares numbers, not text ("9" < "10") (${OPERATORS_PAGE}#Conditions_Numeric)`, () => {
  assert.equal(decisionOfAllowWhen({ NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': '9' }), 'Allow');
  assert.equal(decisionOfAllowWhen({ NumericGreaterThan: { 's3:max-keys': '9' } }, { 's3:max-keys': '10' }), 'Allow');
});

test(`NumericLessThan: decimals on both sides (${OPERATORS_PAGE}#Conditions_Numeric)`, () => {
  assert.equal(decisionOfAllowWhen({ NumericLessThan: { 'custom:Ratio': '2.5' } }, { 'custom:Ratio': '2.49' }), 'Allow');
  assert.equal(decisionOfAllowWhen({ NumericLessThan: { 'custom:Ratio': '2.5' } }, { 'custom:Ratio': '2.51' }), 'ImplicitDeny');
});

test(`NumericGreaterThan: negative numbers (${OPERATORS_PAGE}#Conditions_Numeric)`, () => {
  assert.equal(decisionOfAllowWhen({ NumericGreaterThan: { 'custom:Offset': '-1' } }, { 'custom:Offset': '0' }), 'Allow');
  assert.equal(decisionOfAllowWhen({ NumericGreaterThan: { 'custom:Offset': '-1' } }, { 'custom:Offset': '-2' }), 'ImplicitDeny');
});

test(`NumericLessThanEquals: the s3:max-keys example allows up to 10 keys (${OPERATORS_PAGE}#Conditions_Numeric)`, () => {
  const condition = { NumericLessThanEquals: { 's3:max-keys': '10' } };
  const request = { action: 's3:ListBucket', resource: 'arn:aws:s3:::example_bucket' };
  assert.equal(decisionOfAllowWhen(condition, { 's3:max-keys': 10 }, request), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 's3:max-keys': 1000 }, request), 'ImplicitDeny');
});

test(`Numeric operators: a JSON number in the policy works like its string form (${OPERATORS_PAGE}#Conditions_Numeric)`, () => {
  assert.equal(decisionOfAllowWhen({ NumericLessThanEquals: { 's3:max-keys': 10 } }, { 's3:max-keys': '7' }), 'Allow');
});

test(`Numeric operators: a non-numeric request value matches no positive numeric operator (${OPERATORS_PAGE}#Conditions_Numeric)`, () => {
  for (const operator of ['NumericEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals']) {
    assert.equal(decisionOfAllowWhen({ [operator]: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' }), 'ImplicitDeny', operator);
  }
});

// ---------------------------------------------------------------------------------------------------
// Date operators
// ---------------------------------------------------------------------------------------------------

const NOW = { 'aws:CurrentTime': '2024-05-01T12:00:00Z' };

test(`DateGreaterThan: aws:CurrentTime after the policy date allows (${OPERATORS_PAGE}#Conditions_Date)`, () => {
  assert.equal(decisionOfAllowWhen({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:01Z' } }, NOW), 'Allow');
});

test(`DateLessThan: aws:CurrentTime after the policy date refuses (${OPERATORS_PAGE}#Conditions_Date)`, () => {
  assert.equal(decisionOfAllowWhen({ DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:01Z' } }, NOW), 'ImplicitDeny');
});

test(`Date operators: the same instant written with another offset is equal (W3C ISO 8601, ${OPERATORS_PAGE}#Conditions_Date)`, () => {
  assert.equal(decisionOfAllowWhen({ DateEquals: { 'aws:CurrentTime': '2024-05-01T14:00:00+02:00' } }, NOW), 'Allow');
});

test(`Date operators: fractional seconds are accepted (W3C ISO 8601, ${OPERATORS_PAGE}#Conditions_Date)`, () => {
  assert.equal(decisionOfAllowWhen({ DateEquals: { 'aws:CurrentTime': '2024-05-01T12:00:00.000Z' } }, NOW), 'Allow');
  assert.equal(decisionOfAllowWhen({ DateGreaterThan: { 'aws:CurrentTime': '2024-05-01T11:59:59.5Z' } }, NOW), 'Allow');
});

test(`Date operators: hours and minutes without seconds (W3C ISO 8601, ${OPERATORS_PAGE}#Conditions_Date)`, () => {
  assert.equal(decisionOfAllowWhen({ DateEquals: { 'aws:CurrentTime': '2024-05-01T12:00Z' } }, NOW), 'Allow');
});

test(`Date operators: a date alone means midnight UTC of that day (W3C ISO 8601, ${OPERATORS_PAGE}#Conditions_Date)`, () => {
  assert.equal(decisionOfAllowWhen({ DateGreaterThanEquals: { 'aws:CurrentTime': '2024-05-01' } }, NOW), 'Allow');
  assert.equal(decisionOfAllowWhen({ DateLessThan: { 'aws:CurrentTime': '2024-05-02' } }, NOW), 'Allow');
  assert.equal(decisionOfAllowWhen({ DateLessThan: { 'aws:CurrentTime': '2024-05-01' } }, NOW), 'ImplicitDeny');
});

test(`Date operators: year-month and year forms (W3C ISO 8601, ${OPERATORS_PAGE}#Conditions_Date)`, () => {
  assert.equal(decisionOfAllowWhen({ DateGreaterThan: { 'aws:CurrentTime': '2024-04' } }, NOW), 'Allow');
  assert.equal(decisionOfAllowWhen({ DateLessThan: { 'aws:CurrentTime': '2025' } }, NOW), 'Allow');
  assert.equal(decisionOfAllowWhen({ DateLessThan: { 'aws:CurrentTime': '2024' } }, NOW), 'ImplicitDeny');
});

test(`Date operators: epoch seconds with aws:EpochTime (${OPERATORS_PAGE}#Conditions_Date, ${GLOBAL_KEYS_PAGE})`, () => {
  const epoch = { 'aws:EpochTime': 1714564800 };
  assert.equal(decisionOfAllowWhen({ DateGreaterThan: { 'aws:EpochTime': '1700000000' } }, epoch), 'Allow');
  assert.equal(decisionOfAllowWhen({ DateLessThan: { 'aws:EpochTime': '1700000000' } }, epoch), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen({ DateEquals: { 'aws:EpochTime': '1714564800' } }, epoch), 'Allow');
});

test(`Date operators: an epoch policy value compares with an ISO 8601 request time (${OPERATORS_PAGE}#Conditions_Date)`, () => {
  // 1714564800 is 2024-05-01T12:00:00Z.
  assert.equal(decisionOfAllowWhen({ DateEquals: { 'aws:CurrentTime': '1714564800' } }, NOW), 'Allow');
  assert.equal(decisionOfAllowWhen({ DateLessThan: { 'aws:CurrentTime': '1893456000' } }, NOW), 'Allow');
});

test(`Date operators: an ISO 8601 policy value compares with an epoch request time (${OPERATORS_PAGE}#Conditions_Date)`, () => {
  assert.equal(decisionOfAllowWhen({ DateEquals: { 'aws:EpochTime': '2024-05-01T12:00:00Z' } }, { 'aws:EpochTime': '1714564800' }), 'Allow');
});

test(`Date operators: the aws:TokenIssueTime example refuses long-term credentials, where the key is absent (${OPERATORS_PAGE}#Conditions_Date)`, () => {
  const condition = { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } };
  const result = evaluateAllowWhen(condition, {});
  assert.equal(result.decision, 'ImplicitDeny');
  assertMissingKey(result, 'aws:TokenIssueTime');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:TokenIssueTime': '2024-04-30T08:00:00Z' }, { principal: ALICE_SESSION }), 'Allow');
});

test(`Date operators: a request value that is not a date matches no positive date operator (${OPERATORS_PAGE}#Conditions_Date)`, () => {
  assert.equal(decisionOfAllowWhen({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, { 'aws:CurrentTime': 'yesterday' }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Bool
// ---------------------------------------------------------------------------------------------------

test(`Bool: aws:SecureTransport "true" matches a boolean true in the request (${OPERATORS_PAGE}#Conditions_Boolean)`, () => {
  assert.equal(decisionOfAllowWhen({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true }), 'Allow');
});

test(`Bool: aws:SecureTransport "true" matches the string "true" in the request (${OPERATORS_PAGE}#Conditions_Boolean)`, () => {
  assert.equal(decisionOfAllowWhen({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'true' }), 'Allow');
});

test(`Bool: "true" does not match false (${OPERATORS_PAGE}#Conditions_Boolean)`, () => {
  assert.equal(decisionOfAllowWhen({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': false }), 'ImplicitDeny');
});

test(`Bool: a JSON boolean in the policy works like its string form (${OPERATORS_PAGE}#Conditions_Boolean)`, () => {
  assert.equal(decisionOfAllowWhen({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'true' }), 'Allow');
  assert.equal(decisionOfAllowWhen({ Bool: { 'aws:SecureTransport': false } }, { 'aws:SecureTransport': true }), 'ImplicitDeny');
});

test(`Bool: "true"/"false" compare without regard to case (${OPERATORS_PAGE}#Conditions_Boolean)`, () => {
  assert.equal(decisionOfAllowWhen({ Bool: { 'aws:SecureTransport': 'TRUE' } }, { 'aws:SecureTransport': 'true' }), 'Allow');
  assert.equal(decisionOfAllowWhen({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'False' }), 'Allow');
});

test(`Bool: the BooleanExample denies requests not sent over TLS (${OPERATORS_PAGE}#Conditions_Boolean)`, () => {
  const condition = { Bool: { 'aws:SecureTransport': 'false' } };
  const denied = evaluateDenyWhen(condition, { 'aws:SecureTransport': false });
  assert.equal(denied.decision, 'ExplicitDeny');
  assertDecidedBy(denied, 1, 'Deny');
  assert.equal(decisionOfDenyWhen(condition, { 'aws:SecureTransport': true }), 'Allow');
});

test(`Bool: aws:MultiFactorAuthPresent "true" refuses a request without the key (long-term keys) (${GLOBAL_KEYS_PAGE}#condition-keys-multifactorauthpresent)`, () => {
  const result = evaluateAllowWhen({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, {});
  assert.equal(result.decision, 'ImplicitDeny');
  assertMissingKey(result, 'aws:MultiFactorAuthPresent');
});

test(`Bool: a Deny on aws:MultiFactorAuthPresent "false" does not apply when the key is absent (${GLOBAL_KEYS_PAGE}#condition-keys-multifactorauthpresent)`, () => {
  assert.equal(decisionOfDenyWhen({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, {}), 'Allow');
});

test(`BoolIfExists: a Deny on aws:MultiFactorAuthPresent "false" applies when the key is absent or false (${GLOBAL_KEYS_PAGE}#condition-keys-multifactorauthpresent)`, () => {
  const condition = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } };
  assert.equal(decisionOfDenyWhen(condition, {}), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen(condition, { 'aws:MultiFactorAuthPresent': false }), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen(condition, { 'aws:MultiFactorAuthPresent': true }), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// BinaryEquals
// ---------------------------------------------------------------------------------------------------

test(`BinaryEquals: compares base64 values byte for byte (${OPERATORS_PAGE}#Conditions_BinaryEquals)`, () => {
  assert.equal(decisionOfAllowWhen({ BinaryEquals: { 'custom:Blob': BLOB } }, { 'custom:Blob': BLOB }), 'Allow');
  // Base64 letters are case-significant: a different case is different bytes.
  assert.equal(decisionOfAllowWhen({ BinaryEquals: { 'custom:Blob': BLOB } }, { 'custom:Blob': BLOB.toLowerCase() }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// IP address operators
// ---------------------------------------------------------------------------------------------------

const SOURCE_IP = 'aws:SourceIp';

test(`IpAddress: both ends of a /24 are inside it (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  const condition = { IpAddress: { [SOURCE_IP]: '203.0.113.0/24' } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '203.0.113.0' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '203.0.113.255' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '203.0.114.0' }), 'ImplicitDeny');
});

test(`IpAddress: a /32 matches one address only (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  const condition = { IpAddress: { [SOURCE_IP]: '192.0.2.10/32' } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '192.0.2.10' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '192.0.2.11' }), 'ImplicitDeny');
});

test(`IpAddress: an address without a prefix is taken as /32 (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  const condition = { IpAddress: { [SOURCE_IP]: '192.0.2.10' } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '192.0.2.10' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '192.0.2.11' }), 'ImplicitDeny');
});

test(`IpAddress: a prefix that does not fall on an octet boundary, /20 (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  const condition = { IpAddress: { [SOURCE_IP]: '10.1.16.0/20' } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '10.1.31.255' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '10.1.32.0' }), 'ImplicitDeny');
});

test(`IpAddress: 0.0.0.0/0 contains every IPv4 address (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  assert.equal(decisionOfAllowWhen({ IpAddress: { [SOURCE_IP]: '0.0.0.0/0' } }, { [SOURCE_IP]: '198.51.100.77' }), 'Allow');
});

test(`IpAddress: an IPv6 /64 written in upper case matches a lower-case address (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  const condition = { IpAddress: { [SOURCE_IP]: '2001:DB8:1234:5678::/64' } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '2001:db8:1234:5678:abcd::1' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '2001:db8:1234:5679::1' }), 'ImplicitDeny');
});

test(`IpAddress: IPv6 "::" compression and full form are the same address (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  const condition = { IpAddress: { [SOURCE_IP]: '2001:db8::/32' } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '2001:0db8:0000:0000:0000:0000:0000:0001' }), 'Allow');
});

test(`IpAddress: an IPv4 request address is not inside an IPv6 range (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  assert.equal(decisionOfAllowWhen({ IpAddress: { [SOURCE_IP]: '2001:DB8:1234:5678::/64' } }, { [SOURCE_IP]: '203.0.113.5' }), 'ImplicitDeny');
});

test(`IpAddress: IPv4 and IPv6 ranges mixed in one list, as in AWS's example (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  const condition = { IpAddress: { [SOURCE_IP]: ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '2001:db8:1234:5678::42' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '203.0.113.42' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '192.0.2.1' }), 'ImplicitDeny');
});

test(`IpAddress: aws:SourceIp absent (request through a VPC endpoint) makes the condition false (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  const result = evaluateAllowWhen({ IpAddress: { [SOURCE_IP]: '203.0.113.0/24' } }, {});
  assert.equal(result.decision, 'ImplicitDeny');
  assertMissingKey(result, SOURCE_IP);
});

test(`NotIpAddress with Deny: requests from outside the corporate range are denied (${OPERATORS_PAGE}#Conditions_IPAddress)`, () => {
  const condition = { NotIpAddress: { [SOURCE_IP]: ['192.0.2.0/24', '203.0.113.0/24'] } };
  assert.equal(decisionOfDenyWhen(condition, { [SOURCE_IP]: '198.51.100.9' }), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen(condition, { [SOURCE_IP]: '192.0.2.9' }), 'Allow');
  assert.equal(decisionOfDenyWhen(condition, { [SOURCE_IP]: '203.0.113.9' }), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// ARN operators
// ---------------------------------------------------------------------------------------------------

const SOURCE_ARN = 'aws:SourceArn';

test(`ArnLike: "*" matches within one part only, while StringLike crosses colons (AWS's finance example, ${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  const pattern = `arn:aws:someservice:*:${ACCOUNT}:finance/*`;
  const value = `arn:aws:someservice:us-east-2:999999999999:store/abc:${ACCOUNT}:finance/document.txt`;
  assert.equal(decisionOfAllowWhen({ StringLike: { [SOURCE_ARN]: pattern } }, { [SOURCE_ARN]: value }), 'Allow');
  assert.equal(decisionOfAllowWhen({ ArnLike: { [SOURCE_ARN]: pattern } }, { [SOURCE_ARN]: value }), 'ImplicitDeny');
});

test(`ArnEquals: takes wildcards like ArnLike, the two behave identically (${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  const condition = { ArnEquals: { [SOURCE_ARN]: `arn:aws:sns:us-east-1:${ACCOUNT}:*` } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_ARN]: TOPIC }), 'Allow');
});

test(`ArnLike: a "*" region part matches any region (${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  const condition = { ArnLike: { [SOURCE_ARN]: `arn:aws:sns:*:${ACCOUNT}:alerts` } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_ARN]: `arn:aws:sns:ap-southeast-2:${ACCOUNT}:alerts` }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_ARN]: `arn:aws:sqs:ap-southeast-2:${ACCOUNT}:alerts` }), 'ImplicitDeny');
});

test(`ArnLike: "?" matches one character inside a part (${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  const condition = { ArnLike: { [SOURCE_ARN]: 'arn:aws:sns:us-east-1:11112222333?:alerts' } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_ARN]: TOPIC }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_ARN]: 'arn:aws:sns:us-east-1:1111222233334:alerts' }), 'ImplicitDeny');
});

test(`ArnLike: matching is case-sensitive (${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  assert.equal(
    decisionOfAllowWhen({ ArnLike: { [SOURCE_ARN]: `arn:aws:sns:us-east-1:${ACCOUNT}:Alerts` } }, { [SOURCE_ARN]: TOPIC }),
    'ImplicitDeny',
  );
});

test(`ArnLike: the resource part is everything after the fifth colon, colons included (${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  const condition = { ArnLike: { [SOURCE_ARN]: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*` } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_ARN]: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:app:log-stream:web` }), 'Allow');
});

test(`ArnLike: "*" in the resource part spans "/" (${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  const condition = { ArnLike: { [SOURCE_ARN]: `arn:aws:iam::${ACCOUNT}:role/*` } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_ARN]: `arn:aws:iam::${ACCOUNT}:role/team/app/Builder` }), 'Allow');
});

test(`ArnLike: a request value that is not an ARN does not match (${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  assert.equal(decisionOfAllowWhen({ ArnLike: { [SOURCE_ARN]: 'arn:aws:sns:*:*:*' } }, { [SOURCE_ARN]: 'alerts' }), 'ImplicitDeny');
});

test(`ArnEquals: the SQS example refuses a direct call, where aws:SourceArn is absent (${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  const condition = { ArnEquals: { [SOURCE_ARN]: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts` } };
  const request = { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue` };
  const result = evaluateAllowWhen(condition, {}, request);
  assert.equal(result.decision, 'ImplicitDeny');
  assertMissingKey(result, SOURCE_ARN);
});

test(`ArnNotLike: a value matching the wildcard pattern makes it false (${OPERATORS_PAGE}#Conditions_ARN)`, () => {
  const condition = { ArnNotLike: { [SOURCE_ARN]: `arn:aws:sns:*:${ACCOUNT}:*` } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_ARN]: TOPIC }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_ARN]: 'arn:aws:sns:us-east-1:444455556666:alerts' }), 'Allow');
});

test(`ArnLike: aws:PrincipalArn is derived from an IAM user principal (${GLOBAL_KEYS_PAGE}#condition-keys-principalarn)`, () => {
  assert.equal(decisionOfAllowWhen({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/*` } }, {}), 'Allow');
  assert.equal(decisionOfAllowWhen({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } }, {}), 'ImplicitDeny');
});

test(`ArnEquals: aws:PrincipalArn of a role session is the role's ARN (${GLOBAL_KEYS_PAGE}#condition-keys-principalarn)`, () => {
  const condition = { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/Deployer` } };
  assert.equal(decisionOfAllowWhen(condition, {}, { principal: ALICE_SESSION }), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// Null
// ---------------------------------------------------------------------------------------------------

test(`Null "true": allows when the key is absent (${OPERATORS_PAGE}#Conditions_Null)`, () => {
  assert.equal(decisionOfAllowWhen({ Null: { 'aws:TokenIssueTime': 'true' } }, {}), 'Allow');
});

test(`Null "true": refuses when the key is present (temporary credentials) (${OPERATORS_PAGE}#Conditions_Null)`, () => {
  assert.equal(
    decisionOfAllowWhen({ Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2024-05-01T08:00:00Z' }, { principal: ALICE_SESSION }),
    'ImplicitDeny',
  );
});

test(`Null "false": allows when the key is present (${OPERATORS_PAGE}#Conditions_Null)`, () => {
  assert.equal(decisionOfAllowWhen({ Null: { 'aws:PrincipalTag/team': 'false' } }, { 'aws:PrincipalTag/team': 'blue' }), 'Allow');
});

test(`Null "false": refuses when the key is absent (${OPERATORS_PAGE}#Conditions_Null)`, () => {
  assert.equal(decisionOfAllowWhen({ Null: { 'aws:PrincipalTag/team': 'false' } }, {}), 'ImplicitDeny');
});

test(`Null: a JSON boolean value works like its string form (${OPERATORS_PAGE}#Conditions_Null)`, () => {
  assert.equal(decisionOfAllowWhen({ Null: { 'aws:PrincipalTag/team': true } }, {}), 'Allow');
  assert.equal(decisionOfAllowWhen({ Null: { 'aws:PrincipalTag/team': false } }, {}), 'ImplicitDeny');
});

test(`Null with Deny: denies requests that lack a required tag (${OPERATORS_PAGE}#Conditions_Null)`, () => {
  const condition = { Null: { 'aws:RequestTag/project': 'true' } };
  assert.equal(decisionOfDenyWhen(condition, {}), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen(condition, { 'aws:RequestTag/project': 'apollo' }), 'Allow');
});

test(`Null: the key name is found without regard to case (${CONDITION_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen({ Null: { 'AWS:PrincipalTag/Team': 'false' } }, { 'aws:principaltag/team': 'blue' }), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// IfExists and negated operators beyond the table
// ---------------------------------------------------------------------------------------------------

test(`StringLikeIfExists: the RunInstances example allows resources without ec2:InstanceType (${OPERATORS_PAGE}#Conditions_IfExists)`, () => {
  const condition = { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } };
  const image = { action: 'ec2:RunInstances', resource: 'arn:aws:ec2:us-east-1::image/ami-12345678' };
  const instance = { action: 'ec2:RunInstances', resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*` };
  assert.equal(decisionOfAllowWhen(condition, {}, image), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'ec2:InstanceType': 't2.micro' }, instance), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'ec2:InstanceType': 'c5.large' }, instance), 'ImplicitDeny');
});

test(`StringLike without IfExists: the same statement refuses the image, which has no ec2:InstanceType (${OPERATORS_PAGE}#Conditions_IfExists)`, () => {
  const condition = { StringLike: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } };
  const image = { action: 'ec2:RunInstances', resource: 'arn:aws:ec2:us-east-1::image/ami-12345678' };
  assert.equal(decisionOfAllowWhen(condition, {}, image), 'ImplicitDeny');
});

test(`StringNotEqualsIfExists with Deny: a missing tag is still denied (${OPERATORS_PAGE}#Conditions_IfExists)`, () => {
  const condition = { StringNotEqualsIfExists: { 'aws:PrincipalTag/department': 'engineering' } };
  assert.equal(decisionOfDenyWhen(condition, {}), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen(condition, { 'aws:PrincipalTag/department': 'sales' }), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen(condition, { 'aws:PrincipalTag/department': 'engineering' }), 'Allow');
});

test(`Negated operators with Deny: a missing key makes the Deny apply (${OPERATORS_PAGE})`, () => {
  assert.equal(decisionOfDenyWhen({ StringNotEquals: { 'aws:PrincipalTag/department': 'engineering' } }, {}), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, {}), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {}), 'ExplicitDeny');
});

test(`Positive operators with Deny: a missing key keeps the Deny from applying (${OPERATORS_PAGE})`, () => {
  assert.equal(decisionOfDenyWhen({ StringEquals: { 'aws:PrincipalTag/department': 'contractors' } }, {}), 'Allow');
  assert.equal(decisionOfDenyWhen({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {}), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// Several values, keys and operators
// ---------------------------------------------------------------------------------------------------

test(`Several values for one key are ORed (${MULTIPLE_VALUES_PAGE})`, () => {
  const condition = { StringEquals: { 'aws:PrincipalTag/team': ['blue', 'green'] } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/team': 'green' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/team': 'blue' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/team': 'red' }), 'ImplicitDeny');
});

test(`Several values under a negated operator must all differ (logical AND) (${MULTIPLE_VALUES_PAGE})`, () => {
  const condition = { StringNotEquals: { 'aws:PrincipalTag/role': ['audit', 'security'] } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/role': 'security' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/role': 'audit' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/role': 'developer' }), 'Allow');
});

test(`Several values under NotIpAddress must all exclude the address (${MULTIPLE_VALUES_PAGE})`, () => {
  const condition = { NotIpAddress: { [SOURCE_IP]: ['192.0.2.0/24', '203.0.113.0/24'] } };
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '203.0.113.1' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { [SOURCE_IP]: '198.51.100.1' }), 'Allow');
});

test(`Several values under DateNotEquals must all differ (${MULTIPLE_VALUES_PAGE})`, () => {
  const condition = { DateNotEquals: { 'aws:CurrentTime': ['2024-05-01T12:00:00Z', '2024-12-25T00:00:00Z'] } };
  assert.equal(decisionOfAllowWhen(condition, NOW), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:CurrentTime': '2024-06-01T00:00:00Z' }), 'Allow');
});

test(`Several keys under one operator are ANDed (${MULTIPLE_VALUES_PAGE})`, () => {
  const condition = { StringEquals: { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'eu-west-1' } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'eu-west-1' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'us-east-1' }), 'ImplicitDeny');
  const oneMissing = evaluateAllowWhen(condition, { 'aws:PrincipalTag/team': 'blue' });
  assert.equal(oneMissing.decision, 'ImplicitDeny');
  assertMissingKey(oneMissing, 'aws:RequestedRegion');
});

test(`Several operators in one Condition block are ANDed (${MULTIPLE_VALUES_PAGE})`, () => {
  const condition = {
    StringEquals: { 'aws:PrincipalTag/team': 'blue' },
    IpAddress: { [SOURCE_IP]: '203.0.113.0/24' },
    Bool: { 'aws:SecureTransport': 'true' },
  };
  const all = { 'aws:PrincipalTag/team': 'blue', [SOURCE_IP]: '203.0.113.8', 'aws:SecureTransport': true };
  assert.equal(decisionOfAllowWhen(condition, all), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { ...all, [SOURCE_IP]: '198.51.100.8' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { ...all, 'aws:SecureTransport': false }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { ...all, 'aws:PrincipalTag/team': 'red' }), 'ImplicitDeny');
});

test(`The same key under two operators: both must hold, a numeric range (${MULTIPLE_VALUES_PAGE})`, () => {
  const condition = { NumericGreaterThan: { 's3:max-keys': '5' }, NumericLessThan: { 's3:max-keys': '10' } };
  assert.equal(decisionOfAllowWhen(condition, { 's3:max-keys': '7' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 's3:max-keys': '12' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { 's3:max-keys': '3' }), 'ImplicitDeny');
});

test(`A time window: DateGreaterThan and DateLessThan on aws:CurrentTime (${OPERATORS_PAGE}#Conditions_Date)`, () => {
  const condition = {
    DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' },
    DateLessThan: { 'aws:CurrentTime': '2024-12-31T23:59:59Z' },
  };
  assert.equal(decisionOfAllowWhen(condition, NOW), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:CurrentTime': '2025-01-02T00:00:00Z' }), 'ImplicitDeny');
});

test(`The single-valued example: aws:RequestTag/project present and aws:ResourceTag/environment not production (${MULTIPLE_VALUES_PAGE})`, () => {
  const condition = {
    StringLike: { 'aws:RequestTag/project': '*' },
    StringNotEquals: { 'aws:ResourceTag/environment': 'production' },
  };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:RequestTag/project': 'apollo', 'aws:ResourceTag/environment': 'dev' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:RequestTag/project': 'apollo' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:RequestTag/project': 'apollo', 'aws:ResourceTag/environment': 'production' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:ResourceTag/environment': 'dev' }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// Key names are case-insensitive; values follow the operator
// ---------------------------------------------------------------------------------------------------

test(`Condition key names are case-insensitive: aws:SourceIp vs AWS:SOURCEIP (${CONDITION_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen({ IpAddress: { 'AWS:SOURCEIP': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.1' }), 'Allow');
  assert.equal(decisionOfAllowWhen({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:sourceip': '203.0.113.1' }), 'Allow');
});

test(`Tag keys in condition keys are case-insensitive: aws:PrincipalTag/Team finds the tag "team" (${CONDITION_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:PrincipalTag/Team': 'blue' } }, { 'aws:PrincipalTag/team': 'blue' }), 'Allow');
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:PrincipalTag/team': 'blue' } }, { 'aws:PrincipalTag/TEAM': 'blue' }), 'Allow');
});

test(`Tag values keep their case under StringEquals even when the key name's case differs (${CONDITION_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen({ StringEquals: { 'aws:PrincipalTag/Team': 'Blue' } }, { 'aws:PrincipalTag/team': 'blue' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/Team': 'Blue' } }, { 'aws:PrincipalTag/team': 'blue' }), 'Allow');
});

test(`Condition key names are case-insensitive for service keys too: S3:Prefix (${CONDITION_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen({ StringLike: { 'S3:Prefix': 'home/*' } }, { 's3:prefix': 'home/alice' }), 'Allow');
});

test(`A missing key is reported among missingContextKeys only when it decided a statement's condition (${OPERATORS_PAGE})`, () => {
  const result = evaluateAllowWhen({ StringEquals: { 'aws:PrincipalTag/team': 'blue' } }, {});
  assertMissingKey(result, 'aws:PrincipalTag/team');
  const present = evaluateAllowWhen({ StringEquals: { 'aws:PrincipalTag/team': 'blue' } }, { 'aws:PrincipalTag/team': 'blue' });
  assert.deepEqual(present.missingContextKeys, []);
});
