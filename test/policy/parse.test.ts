import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, isReadableDate } from '../../src/policy/parse.js';
import { MalformedPolicyDocumentError } from '../../src/policy/errors.js';

// Sources (see docs/policy-validation.md):
//   MOTO  = getmoto/moto tests/test_iam/test_iam_policies.py, whose cases were recorded against IAM's CreatePolicy
//   GRAMMAR = IAM User Guide, reference_policies_grammar.html and reference_policies_elements_*.html

function rejects(document: string | object, message: string): void {
  assert.throws(
    () => parsePolicy(document),
    (error: unknown) => error instanceof MalformedPolicyDocumentError && error.code === 'MalformedPolicyDocument' && error.message === message,
  );
}

const SYNTAX = 'Syntax errors in policy.';
const LEGACY = 'The policy failed legacy parsing';
const allowList = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example_bucket' };

test('AST: a single statement object becomes a one-element list indexed from 0 (reference_policies_elements_statement.html)', () => {
  assert.deepEqual(parsePolicy({ Version: '2012-10-17', Id: 'p1', Statement: { Sid: 'A', ...allowList } }), {
    version: '2012-10-17',
    id: 'p1',
    statements: [{ index: 0, sid: 'A', effect: 'Allow', action: ['s3:ListBucket'], resource: ['arn:aws:s3:::example_bucket'] }],
  });
});

test('AST: statements keep their order and index; no Version leaves version undefined (reference_policies_elements_version.html)', () => {
  const parsed = parsePolicy(
    JSON.stringify({ Statement: [allowList, { Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], NotResource: '*' }] }),
  );
  assert.equal(parsed.version, undefined);
  assert.deepEqual(
    parsed.statements.map((s) => [s.index, s.effect, s.notAction, s.notResource]),
    [
      [0, 'Allow', undefined, undefined],
      [1, 'Deny', ['iam:*', 'sts:*'], ['*']],
    ],
  );
});

test('AST: Principal "*" is the wildcard; {"AWS":"*"} keeps its list (reference_policies_elements_principal.html)', () => {
  const parsed = parsePolicy({
    Version: '2012-10-17',
    Statement: [
      { ...allowList, Principal: '*' },
      { ...allowList, Principal: { AWS: '*' } },
      { ...allowList, Effect: 'Deny', NotPrincipal: { AWS: ['arn:aws:iam::111122223333:root'], Service: 'ec2.amazonaws.com' } },
    ],
  });
  assert.deepEqual(parsed.statements[0]!.principal, { wildcard: true });
  assert.deepEqual(parsed.statements[1]!.principal, { wildcard: false, AWS: ['*'] });
  assert.deepEqual(parsed.statements[2]!.notPrincipal, {
    wildcard: false,
    AWS: ['arn:aws:iam::111122223333:root'],
    Service: ['ec2.amazonaws.com'],
  });
});

test('AST: condition values become strings, JSON booleans and numbers included (reference_policies_elements_condition.html)', () => {
  const parsed = parsePolicy({
    Version: '2012-10-17',
    Statement: {
      ...allowList,
      Condition: {
        Bool: { 'aws:SecureTransport': false },
        NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
        'ForAnyValue:StringLike': { 'aws:TagKeys': ['team', 'cost*'] },
      },
    },
  });
  assert.deepEqual(parsed.statements[0]!.condition, [
    { operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] },
    { operator: 'NumericLessThan', key: 'aws:MultiFactorAuthAge', values: ['3600'] },
    { operator: 'ForAnyValue:StringLike', key: 'aws:TagKeys', values: ['team', 'cost*'] },
  ]);
});

test('AST: an unknown operator with an empty block is accepted and contributes nothing (MOTO valid cases)', () => {
  const parsed = parsePolicy({ Version: '2012-10-17', Statement: { ...allowList, Condition: { x: {}, y: {}, DateGreaterThan: {} } } });
  assert.equal(parsed.statements[0]!.condition, undefined);
});

test('AST: a string document and the same object parse alike', () => {
  const document = { Version: '2012-10-17', Statement: [{ ...allowList, Condition: { StringEquals: { 's3:prefix': ['a', 'b'] } } }] };
  assert.deepEqual(parsePolicy(JSON.stringify(document, null, 2)), parsePolicy(document));
});

test('valid documents IAM accepts are parsed (MOTO valid cases)', () => {
  const valid = [
    { Effect: 'Allow', Action: 'iam: asdf safdsf af ', Resource: 'arn:aws:s3:::example_bucket' },
    { Effect: 'Allow', Action: '*', Resource: ['arn:aws:s3:::example_bucket', '*'] },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:iam:::user/example_bucket' },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s33:::example_bucket' },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:fdsasf' },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:cloudwatch:us-east-1::example_bucket' },
    { Effect: 'Allow', Action: 'fsx:ListBucket', Resource: 'arn:aws:invalid-service:us-east-1::example_bucket' },
    { Effect: 'Allow', Action: 's3-s:ListBucket', Resource: 'arn:aws:rds:region:*:*' },
    { Effect: 'Allow', Action: 's3.s:ListBucket', Resource: 'arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point' },
    { Effect: 'Allow', NotAction: 's3:ListBucket', NotResource: '*' },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { DateGreaterThan: { a: [] } } },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { 'ForAnyValue:StringEqualsIfExists': { a: 'asf' } } },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { DateLessThan: { a: '-292275054' } } },
  ];
  for (const statement of valid) assert.equal(parsePolicy({ Version: '2012-10-17', Statement: statement }).statements.length, 1);
});

test('"Syntax errors in policy." for text that is not JSON or not an object (MOTO; boto/boto3#180; 99designs/iamy#74)', () => {
  rejects('This is not a json document', SYNTAX);
  rejects('{"Version": "2012-10-17", "Statement": [],}', SYNTAX);
  rejects('null', SYNTAX);
  rejects('[]', SYNTAX);
  rejects('"policy"', SYNTAX);
});

test('"Syntax errors in policy." for unknown elements and a bad Version or Id (MOTO)', () => {
  rejects({ Version: '2013-10-17', Statement: allowList }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: allowList, 'Extra field': 'value' }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, 'Extra field': 'value' } }, SYNTAX);
  rejects({ Version: '2012-10-17', Id: ['cd3a'], Statement: allowList }, SYNTAX);
  rejects({ Version: '2012-10-17', Id: {}, Statement: allowList }, SYNTAX);
  rejects({ version: '2012-10-17', Statement: allowList }, SYNTAX);
});

test('"Syntax errors in policy." for a missing, empty or malformed Statement (MOTO)', () => {
  rejects({ Version: '2012-10-17' }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: [] }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: ['afd'] }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: 'afd' }, SYNTAX);
});

test('"Syntax errors in policy." for a missing or unknown Effect (MOTO)', () => {
  rejects({ Version: '2012-10-17', Statement: { Action: 's3:ListBucket', Resource: '*' } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Effect: 'invalid' } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Effect: true } }, SYNTAX);
});

test('"Syntax errors in policy." for both X and NotX, or elements of the wrong JSON type (MOTO; CloudTrail record in checkr/s3-sync#1)', () => {
  rejects({ Version: '2012-10-17', Statement: { ...allowList, NotAction: 's3:ListBucket', Action: 'iam:dsf' } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, NotResource: '*' } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: { a: 'arn:aws:s3:::example_bucket' } } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: ['adfdf', {}] } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: null } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Action: [[]] } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Action: {} } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Sid: {} } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Sid: [] } }, SYNTAX);
});

test('"Syntax errors in policy." for a malformed Principal (reference_policies_elements_principal.html)', () => {
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Principal: 'arn:aws:iam::111122223333:root' } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Principal: { service: 'ec2.amazonaws.com' } } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Principal: { AWS: 12 } } }, SYNTAX);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Principal: '*', NotPrincipal: '*' } }, SYNTAX);
});

test('"Syntax errors in policy." for a malformed Condition block or an unknown operator (MOTO)', () => {
  for (const condition of [
    [],
    'a',
    { a: 'b' },
    { DateGreaterThan: 'b' },
    { DateGreaterThan: [] },
    { DateGreaterThan: { a: {} } },
    { DateGreaterThan: { a: null } },
    { x: { a: '1' } },
    { 'ForAnyValue::StringEqualsIfExists': { a: 'asf' } },
  ]) {
    rejects({ Version: '2012-10-17', Statement: { ...allowList, Condition: condition } }, SYNTAX);
  }
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Condition: [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Department' } }] } }, SYNTAX);
});

test('"The policy failed legacy parsing" for an Effect not spelled Allow or Deny (MOTO; 99designs/iamy#65)', () => {
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Effect: 'denY' } }, LEGACY);
  rejects({ Version: '2012-10-17', Statement: [{ ...allowList, Sid: 'sdf', Effect: 'aLLow' }, { Sid: 'sdf', Effect: 'Allow' }] }, LEGACY);
});

test('"The policy failed legacy parsing" for a date IAM cannot read (MOTO)', () => {
  for (const value of ['sdfdsf', '234-13', '2016-12-13t2:00:00.593194+1', '2016-12-13t2:00:00.1999999999+10:59', '9223372036854775808']) {
    rejects({ Version: '2012-10-17', Statement: { ...allowList, Condition: { DateLessThanEquals: { a: value } } } }, LEGACY);
  }
  rejects({ Version: '2012-10-17', Statement: { Effect: 'Allow', Condition: { DateGreaterThan: { a: 'sdfdsf' } } } }, LEGACY);
});

test('dates IAM reads: ISO 8601 forms and epoch seconds (MOTO valid cases; reference_policies_elements_condition_operators.html)', () => {
  for (const value of ['2017-07-01T00:00:00Z', '2016-12-13T21:20:37.593194+00:00', '2016-12-13t2:00:00.593194+23', '01T', '-292275054', '1700000000']) {
    assert.equal(isReadableDate(value), true, value);
  }
});

test('"The policy failed legacy parsing" for an ARN with "::" and fewer than six parts, or an empty service (MOTO)', () => {
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: 'arn:aws:s3::example_bucket' } }, LEGACY);
  rejects({ Version: '2012-10-17', Statement: { Effect: 'Allow', Resource: 'arn:aws:s3::example_bucket' } }, LEGACY);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: 'arn:aws::::example_bucket' } }, LEGACY);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: 'arn:aws::fdsasf' } }, LEGACY);
  rejects({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:ListBucket', NotResource: 'arn:aws:s3::example_bucket' } }, LEGACY);
});

test('"Statement IDs (SID) in a single policy must be unique." (MOTO)', () => {
  rejects(
    { Version: '2012-10-17', Statement: [{ ...allowList, Sid: 'sdf' }, { Sid: 'sdf', Effect: 'Allow' }] },
    'Statement IDs (SID) in a single policy must be unique.',
  );
});

test('empty Sids need not be unique (MOTO valid cases)', () => {
  assert.equal(parsePolicy({ Version: '2012-10-17', Statement: [{ ...allowList, Sid: '' }, { ...allowList, Sid: '' }] }).statements.length, 2);
});

test('"Policy statement must contain actions." (MOTO; every kind needs Action or NotAction)', () => {
  const message = 'Policy statement must contain actions.';
  rejects({ Version: '2012-10-17', Statement: { Effect: 'Allow', Resource: 'arn:aws:s3:::example_bucket' } }, message);
  rejects({ Version: '2012-10-17', Statement: { Effect: 'Allow' } }, message);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Action: [] } }, message);
  rejects({ Version: '2012-10-17', Statement: [{ Effect: 'Deny' }, allowList] }, message);
});

test('"Resource X must be in ARN format or \\"*\\"." (MOTO; terraform case in ministryofjustice/modernisation-platform-environments#590)', () => {
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: 'invalid resource' } }, 'Resource invalid resource must be in ARN format or "*".');
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: ['adf'] } }, 'Resource adf must be in ARN format or "*".');
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: '' } }, 'Resource  must be in ARN format or "*".');
});

test('"Partition \\"x\\" is not valid for resource \\"y\\"." shows the would-be ARN (MOTO)', () => {
  const cases: Array<[string | string[], string]> = [
    ['a:bsdfdsafsad', 'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".'],
    ['a:b:cadfsdf', 'Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".'],
    ['a:b:c:d:e:f:g:h', 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".'],
    ['aws:s3:::example_bucket', 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".'],
    [['arn:error:s3:::example_bucket', 'arn:error:s3::example_bucket'], 'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".'],
  ];
  for (const [resource, message] of cases) rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: resource } }, message);
});

test('the partitions of arn.ts are accepted in resources (reference-arns.html)', () => {
  for (const partition of ['aws', 'aws-cn', 'aws-us-gov']) {
    assert.equal(parsePolicy({ Version: '2012-10-17', Statement: { ...allowList, Resource: `arn:${partition}:s3:::b` } }).statements.length, 1);
  }
});

test('IAM and S3 resource rules: vendor, region and IAM path (MOTO)', () => {
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: 'arn:aws' } }, 'Resource vendor must be fully qualified and cannot contain regexes.');
  rejects(
    { Version: '2012-10-17', Statement: { ...allowList, Resource: 'arn:aws:iam:us-east-1::example_bucket' } },
    'IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.',
  );
  rejects(
    { Version: '2012-10-17', Statement: { ...allowList, Resource: 'arn:aws:s3:us-east-1::example_bucket' } },
    'Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.',
  );
  rejects(
    { Version: '2012-10-17', Statement: { ...allowList, Resource: 'arn:aws:iam:::example_bucket' } },
    'IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
  );
});

test('action vendor rules (MOTO)', () => {
  const vendor = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Action: 'invalid' } }, vendor);
  rejects({ Version: '2012-10-17', Statement: { Effect: 'Allow', NotAction: '', Resource: '*' } }, vendor);
  rejects({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'invalid' } }, vendor);
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Action: 'a a:ListBucket' } }, 'Vendor a a is not valid');
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Action: 's3:List:Bucket' } }, 'Actions/Condition can contain only one colon.');
  rejects(
    { Version: '2012-10-17', Statement: [allowList, { ...allowList, Action: 's:3s:ListBucket' }] },
    'Actions/Condition can contain only one colon.',
  );
});

test('IAM reports problems in its order: legacy parsing, Sids, actions, then resource formats, then vendors (MOTO)', () => {
  // Both a bad resource and no actions: the missing actions are reported first.
  rejects({ Version: '2012-10-17', Statement: { Effect: 'Allow', Resource: 'sdfsadf' } }, 'Policy statement must contain actions.');
  // A bad resource outranks a bad action.
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Action: 's:3:ListBucket', Resource: 'sdfsadf' } }, 'Resource sdfsadf must be in ARN format or "*".');
  // An unreadable date outranks a bad partition.
  rejects({ Version: '2012-10-17', Statement: { ...allowList, Resource: 'arn:error:s3:::example_bucket', Condition: { DateGreaterThan: { a: 'sdfdsf' } } } }, LEGACY);
});
