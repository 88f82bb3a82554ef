/**
 * The set operators ForAllValues and ForAnyValue over multivalued context keys, evaluated through
 * `evaluate()`: each operator family, missing and empty keys, negated operators and IfExists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCOUNT,
  MULTIVALUED_EXAMPLES_PAGE,
  MULTIVALUED_PAGE,
  SET_OPERATORS_PAGE,
  assertDecidedBy,
  decisionOfAllowWhen,
  decisionOfDenyWhen,
  evaluateDenyWhen,
} from './fixtures-conditions.js';

const TAG_KEYS = 'aws:TagKeys';
const ATTRIBUTES = 'dynamodb:Attributes';

// ---------------------------------------------------------------------------------------------------
// ForAllValues
// ---------------------------------------------------------------------------------------------------

const ALLOWED_TAG_KEYS = { 'ForAllValues:StringEquals': { [TAG_KEYS]: ['environment', 'cost-center'] } };

test(`ForAllValues:StringEquals: true when every request value is in the policy set (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ALLOWED_TAG_KEYS, { [TAG_KEYS]: ['environment', 'cost-center'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(ALLOWED_TAG_KEYS, { [TAG_KEYS]: ['cost-center'] }), 'Allow');
});

test(`ForAllValues:StringEquals: false when one request value is outside the policy set (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ALLOWED_TAG_KEYS, { [TAG_KEYS]: ['environment', 'owner'] }), 'ImplicitDeny');
});

test(`ForAllValues: true when the key is missing from the request (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ALLOWED_TAG_KEYS, {}), 'Allow');
});

test(`ForAllValues: true when the key's value set is empty (${SET_OPERATORS_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ALLOWED_TAG_KEYS, { [TAG_KEYS]: [] }), 'Allow');
});

test(`ForAllValues: a Null "false" guard stops a missing key from allowing (${MULTIVALUED_EXAMPLES_PAGE})`, () => {
  const guarded = { ...ALLOWED_TAG_KEYS, Null: { [TAG_KEYS]: 'false' } };
  assert.equal(decisionOfAllowWhen(guarded, {}), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(guarded, { [TAG_KEYS]: ['environment'] }), 'Allow');
});

test(`ForAllValues:StringEquals: values compare case-sensitively (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ALLOWED_TAG_KEYS, { [TAG_KEYS]: ['Environment'] }), 'ImplicitDeny');
});

test(`ForAllValues:StringEqualsIgnoreCase: values compare ignoring case (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:StringEqualsIgnoreCase': { [TAG_KEYS]: ['environment', 'cost-center'] } };
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['Environment', 'COST-CENTER'] }), 'Allow');
});

test(`ForAllValues:StringLike: the DynamoDB example allows PostDateTime and Message (${SET_OPERATORS_PAGE})`, () => {
  const condition = { 'ForAllValues:StringLike': { [ATTRIBUTES]: ['PostDateTime', 'Message', 'Tags'] } };
  assert.equal(decisionOfAllowWhen(condition, { [ATTRIBUTES]: ['PostDateTime', 'Message'] }), 'Allow');
});

test(`ForAllValues:StringLike: the DynamoDB example refuses PostDateTime with UserName (${SET_OPERATORS_PAGE})`, () => {
  const condition = { 'ForAllValues:StringLike': { [ATTRIBUTES]: ['PostDateTime', 'Message', 'Tags'] } };
  assert.equal(decisionOfAllowWhen(condition, { [ATTRIBUTES]: ['PostDateTime', 'UserName'] }), 'ImplicitDeny');
});

test(`ForAllValues:StringLike: each request value may match a different wildcard pattern (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:StringLike': { [TAG_KEYS]: ['team-*', 'cost-?'] } };
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['team-blue', 'cost-a'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['team-blue', 'cost-ab'] }), 'ImplicitDeny');
});

test(`ForAllValues:NumericLessThan: every number must be below the limit (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:NumericLessThan': { 'custom:Sizes': '100' } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Sizes': ['1', '42', '99'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Sizes': ['1', '100'] }), 'ImplicitDeny');
});

test(`ForAllValues:DateGreaterThan: every date must be after the policy date (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:DateGreaterThan': { 'custom:Dates': '2024-01-01T00:00:00Z' } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Dates': ['2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Dates': ['2024-02-01T00:00:00Z', '2023-12-31T00:00:00Z'] }), 'ImplicitDeny');
});

test(`ForAllValues:IpAddress: every address must be inside the range (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:IpAddress': { 'custom:Addresses': '10.0.0.0/8' } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Addresses': ['10.1.2.3', '10.200.0.1'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Addresses': ['10.1.2.3', '192.168.0.1'] }), 'ImplicitDeny');
});

test(`ForAllValues:ArnLike: every ARN must match a pattern (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:ArnLike': { 'custom:Arns': `arn:aws:sns:*:${ACCOUNT}:*` } };
  const own = [`arn:aws:sns:us-east-1:${ACCOUNT}:a`, `arn:aws:sns:eu-west-1:${ACCOUNT}:b`];
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Arns': own }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Arns': [...own, 'arn:aws:sns:us-east-1:444455556666:c'] }), 'ImplicitDeny');
});

test(`ForAllValues:Bool: every value must be the policy's boolean (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:Bool': { 'custom:Flags': 'true' } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Flags': [true, true] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Flags': [true, false] }), 'ImplicitDeny');
});

test(`ForAllValues with Deny: a missing key makes the Deny apply (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfDenyWhen({ 'ForAllValues:StringEquals': { [TAG_KEYS]: ['environment'] } }, {}), 'ExplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// ForAllValues with negated operators
// ---------------------------------------------------------------------------------------------------

const DENY_UNLESS_KEY1 = { 'ForAllValues:StringNotLike': { [TAG_KEYS]: 'key1*' } };

test(`ForAllValues:StringNotLike with Deny: "key1:legal" is not denied (${MULTIVALUED_EXAMPLES_PAGE})`, () => {
  assert.equal(decisionOfDenyWhen(DENY_UNLESS_KEY1, { [TAG_KEYS]: ['key1:legal'] }), 'Allow');
});

test(`ForAllValues:StringNotLike with Deny: "key1:hr" and "key1:personnel" are not denied (${MULTIVALUED_EXAMPLES_PAGE})`, () => {
  assert.equal(decisionOfDenyWhen(DENY_UNLESS_KEY1, { [TAG_KEYS]: ['key1:hr', 'key1:personnel'] }), 'Allow');
});

test(`ForAllValues:StringNotLike with Deny: "key2:audit" is denied (${MULTIVALUED_EXAMPLES_PAGE})`, () => {
  const result = evaluateDenyWhen(DENY_UNLESS_KEY1, { [TAG_KEYS]: ['key2:audit'] });
  assert.equal(result.decision, 'ExplicitDeny');
  assertDecidedBy(result, 1, 'Deny');
});

test(`ForAllValues:StringNotLike with Deny: no aws:TagKeys in the request is denied (${MULTIVALUED_EXAMPLES_PAGE})`, () => {
  assert.equal(decisionOfDenyWhen(DENY_UNLESS_KEY1, {}), 'ExplicitDeny');
});

test(`ForAllValues:StringNotLike: one value like the pattern among others makes it false (${MULTIVALUED_EXAMPLES_PAGE})`, () => {
  assert.equal(decisionOfDenyWhen(DENY_UNLESS_KEY1, { [TAG_KEYS]: ['key2:audit', 'key1:legal'] }), 'Allow');
});

test(`ForAllValues:StringNotEquals: true when every request value differs from every policy value (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:StringNotEquals': { [TAG_KEYS]: ['owner', 'admin'] } };
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['team', 'project'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['team', 'admin'] }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, {}), 'Allow');
});

test(`ForAllValues:NumericNotEquals: no request number may equal a policy number (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:NumericNotEquals': { 'custom:Ports': ['22', '3389'] } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Ports': ['80', '443'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Ports': ['80', '22'] }), 'ImplicitDeny');
});

test(`ForAllValues:NotIpAddress: every address must be outside the range (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:NotIpAddress': { 'custom:Addresses': '10.0.0.0/8' } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Addresses': ['192.0.2.1', '198.51.100.1'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Addresses': ['192.0.2.1', '10.0.0.1'] }), 'ImplicitDeny');
});

// ---------------------------------------------------------------------------------------------------
// ForAnyValue
// ---------------------------------------------------------------------------------------------------

const ANY_SENSITIVE_KEY = { 'ForAnyValue:StringEquals': { [TAG_KEYS]: ['owner', 'admin'] } };

test(`ForAnyValue:StringEquals: true when one request value is in the policy set (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ANY_SENSITIVE_KEY, { [TAG_KEYS]: ['team', 'admin'] }), 'Allow');
});

test(`ForAnyValue:StringEquals: false when no request value is in the policy set (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ANY_SENSITIVE_KEY, { [TAG_KEYS]: ['team', 'project'] }), 'ImplicitDeny');
});

test(`ForAnyValue: false when the key is missing from the request (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ANY_SENSITIVE_KEY, {}), 'ImplicitDeny');
});

test(`ForAnyValue: false when the key's value set is empty (${SET_OPERATORS_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ANY_SENSITIVE_KEY, { [TAG_KEYS]: [] }), 'ImplicitDeny');
});

test(`ForAnyValue with Deny: a missing key keeps the Deny from applying (${MULTIVALUED_EXAMPLES_PAGE})`, () => {
  assert.equal(decisionOfDenyWhen(ANY_SENSITIVE_KEY, {}), 'Allow');
});

test(`ForAnyValue:StringLike with Deny: the DynamoDB PutItem example denies a request touching PostDateTime (${SET_OPERATORS_PAGE})`, () => {
  const condition = { 'ForAnyValue:StringLike': { [ATTRIBUTES]: ['ID', 'PostDateTime'] } };
  const request = { action: 'dynamodb:PutItem', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Thread` };
  assert.equal(decisionOfDenyWhen(condition, { [ATTRIBUTES]: ['UserName', 'Message', 'PostDateTime'] }, request), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen(condition, { [ATTRIBUTES]: ['UserName'] }, request), 'Allow');
});

test(`ForAnyValue:StringLike: wildcards in the policy values (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*' } };
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-33333333/'] }), 'ImplicitDeny');
});

test(`ForAnyValue:StringEqualsIgnoreCase (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:StringEqualsIgnoreCase': { [TAG_KEYS]: 'Owner' } };
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['team', 'OWNER'] }), 'Allow');
});

test(`ForAnyValue:NumericGreaterThan: one number above the limit suffices (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:NumericGreaterThan': { 'custom:Sizes': '100' } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Sizes': ['1', '101'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Sizes': ['1', '100'] }), 'ImplicitDeny');
});

test(`ForAnyValue:DateLessThan: one date before the policy date suffices (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:DateLessThan': { 'custom:Dates': '2024-01-01T00:00:00Z' } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Dates': ['2024-02-01T00:00:00Z', '2023-06-01T00:00:00Z'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Dates': ['2024-02-01T00:00:00Z'] }), 'ImplicitDeny');
});

test(`ForAnyValue:IpAddress: one address inside the range suffices (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:IpAddress': { 'custom:Addresses': ['10.0.0.0/8', '2001:db8::/32'] } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Addresses': ['192.0.2.1', '2001:db8::5'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Addresses': ['192.0.2.1', '198.51.100.1'] }), 'ImplicitDeny');
});

test(`ForAnyValue:ArnEquals: one ARN equal to a policy ARN suffices (${MULTIVALUED_PAGE})`, () => {
  const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;
  const condition = { 'ForAnyValue:ArnEquals': { 'custom:Arns': topic } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Arns': [`arn:aws:sns:us-east-1:${ACCOUNT}:other`, topic] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Arns': [`arn:aws:sns:us-east-1:${ACCOUNT}:other`] }), 'ImplicitDeny');
});

test(`ForAnyValue:Bool: one true value suffices (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:Bool': { 'custom:Flags': 'true' } };
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Flags': [false, true] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { 'custom:Flags': [false, false] }), 'ImplicitDeny');
});

test(`ForAnyValue:StringNotEquals: true when one request value differs from every policy value (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:StringNotEquals': { [TAG_KEYS]: ['owner', 'admin'] } };
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['owner', 'team'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['owner', 'admin'] }), 'ImplicitDeny');
});

test(`ForAnyValue with a negated operator: still false when the key is missing (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen({ 'ForAnyValue:StringNotEquals': { [TAG_KEYS]: ['owner'] } }, {}), 'ImplicitDeny');
});

test(`ForAnyValue: a single string value in the request is a one-element set (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ANY_SENSITIVE_KEY, { [TAG_KEYS]: 'admin' }), 'Allow');
});

test(`ForAllValues: a single string value in the request is a one-element set (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen(ALLOWED_TAG_KEYS, { [TAG_KEYS]: 'owner' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(ALLOWED_TAG_KEYS, { [TAG_KEYS]: 'environment' }), 'Allow');
});

// ---------------------------------------------------------------------------------------------------
// IfExists, key names, and several keys
// ---------------------------------------------------------------------------------------------------

test(`ForAllValues:StringEqualsIfExists: a missing key is true, a value outside the set is false (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAllValues:StringEqualsIfExists': { [TAG_KEYS]: ['environment'] } };
  assert.equal(decisionOfAllowWhen(condition, {}), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['environment'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['owner'] }), 'ImplicitDeny');
});

test(`ForAnyValue:StringEqualsIfExists: a missing key is true despite ForAnyValue (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:StringEqualsIfExists': { [TAG_KEYS]: ['environment'] } };
  assert.equal(decisionOfAllowWhen(condition, {}), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['owner', 'environment'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['owner'] }), 'ImplicitDeny');
});

test(`ForAnyValue:StringLikeIfExists with Deny: denies a matching value and, through IfExists, a missing key (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:StringLikeIfExists': { [TAG_KEYS]: 'aws:*' } };
  assert.equal(decisionOfDenyWhen(condition, { [TAG_KEYS]: ['aws:cloudformation:stack-name'] }), 'ExplicitDeny');
  assert.equal(decisionOfDenyWhen(condition, { [TAG_KEYS]: ['team'] }), 'Allow');
  assert.equal(decisionOfDenyWhen(condition, {}), 'ExplicitDeny');
});

test(`Set operators find keys without regard to case (${MULTIVALUED_PAGE})`, () => {
  assert.equal(decisionOfAllowWhen({ 'ForAnyValue:StringEquals': { 'AWS:TAGKEYS': 'admin' } }, { 'aws:tagkeys': ['admin'] }), 'Allow');
});

test(`Several keys under one set operator are ANDed (${MULTIVALUED_PAGE})`, () => {
  const condition = { 'ForAnyValue:StringEquals': { [TAG_KEYS]: 'project', [ATTRIBUTES]: 'Message' } };
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['project'], [ATTRIBUTES]: ['Message', 'Tags'] }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['project'], [ATTRIBUTES]: ['Tags'] }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['project'] }), 'ImplicitDeny');
});

test(`A set operator and a single-valued operator in one block are ANDed (${MULTIVALUED_PAGE})`, () => {
  const condition = {
    'ForAllValues:StringEquals': { [TAG_KEYS]: ['environment', 'cost-center'] },
    StringEquals: { 'aws:RequestTag/environment': ['preprod', 'production'] },
  };
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['environment'], 'aws:RequestTag/environment': 'preprod' }), 'Allow');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['environment'], 'aws:RequestTag/environment': 'dev' }), 'ImplicitDeny');
  assert.equal(decisionOfAllowWhen(condition, { [TAG_KEYS]: ['environment', 'owner'], 'aws:RequestTag/environment': 'preprod' }), 'ImplicitDeny');
});
