import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePolicy } from '../../src/policy/parse.js';
import { validatePolicy } from '../../src/policy/validate.js';
import { AwsError, MalformedPolicyDocumentError } from '../../src/policy/errors.js';
import { POLICY_KINDS, type PolicyKind } from '../../src/policy/types.js';

// Whatever the input, the parser and validator answer with an AWS error or a result — never a crash.
// Run counts keep the whole file well under three seconds.

const VALID_POLICIES: Array<[PolicyKind, object]> = [
  ['identity', { Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { StringEquals: { 's3:prefix': ['a/', 'b/'] }, DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } }] }],
  ['trust', { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/X:sub': 'system:serviceaccount:ns:sa' } } } }],
  ['resource', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root'] }, Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, NotAction: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } }] }],
  ['scp', { Version: '2012-10-17', Statement: { Effect: 'Deny', NotAction: ['iam:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } } } }],
  ['rcp', { Version: '2012-10-17', Statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } } }],
];

function assertOnlyAwsErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AwsError, `unexpected ${String(error)}`);
  }
}

function exercise(document: string | object): void {
  assertOnlyAwsErrors(() => parsePolicy(document));
  for (const kind of POLICY_KINDS) {
    const result = validatePolicy(document, kind);
    if (!result.valid) assert.equal(typeof result.error.message, 'string');
  }
}

/** Policy-shaped values: the right element names with values of any JSON type. */
const elementValue = fc.oneof(
  fc.constantFrom('*', 's3:GetObject', 'arn:aws:s3:::b/*', 'sts:AssumeRole', 'Allow', 'Deny', '2012-10-17', '', 'a:b:c'),
  fc.string(),
  fc.array(fc.oneof(fc.string(), fc.constantFrom('*', 'iam:*', 'arn:aws:iam::111122223333:root')), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const statementLike = fc.dictionary(
  fc.constantFrom('Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Other'),
  elementValue,
);
const policyLike = fc.record(
  {
    Version: fc.oneof(fc.constantFrom('2012-10-17', '2008-10-17'), fc.jsonValue({ maxDepth: 1 })),
    Id: elementValue,
    Statement: fc.oneof(statementLike, fc.array(statementLike, { maxLength: 3 })),
  },
  { requiredKeys: [] },
);

test('fuzz: random JSON values never crash the parser or the validator', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => exercise(JSON.stringify(value) ?? 'null')), { numRuns: 300 });
});

test('fuzz: random policy-shaped documents get an answer or an AWS error', () => {
  fc.assert(fc.property(policyLike, (document) => exercise(document)), { numRuns: 400 });
});

test('fuzz: random strings, and valid policies with random text spliced in, get an answer or an AWS error', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.tuple(fc.constantFrom(...VALID_POLICIES.map(([, p]) => JSON.stringify(p))), fc.nat(), fc.nat(), fc.string({ maxLength: 8 })).map(
      ([json, at, cut, insert]) => {
        const start = at % json.length;
        return json.slice(0, start) + insert + json.slice(start + (cut % 4));
      },
    ),
  );
  fc.assert(fc.property(text, (document) => exercise(document)), { numRuns: 400 });
});

test('fuzz: a valid policy with one element replaced by a random value stays within AWS errors', () => {
  const mutation = fc.tuple(fc.constantFrom(...VALID_POLICIES), fc.nat(), fc.jsonValue({ maxDepth: 2 }));
  fc.assert(
    fc.property(mutation, ([[, policy], pick, value]) => {
      const copy = structuredClone(policy) as { Statement: Record<string, unknown> | Array<Record<string, unknown>> };
      const statement = Array.isArray(copy.Statement) ? copy.Statement[0]! : copy.Statement;
      const keys = Object.keys(statement);
      statement[keys[pick % keys.length]!] = value;
      exercise(copy);
    }),
    { numRuns: 300 },
  );
});

test('the valid policies the fuzzer starts from are valid for their kind', () => {
  for (const [kind, policy] of VALID_POLICIES) assert.deepEqual(validatePolicy(policy, kind), { valid: true }, kind);
});

test('parsePolicy rejects every non-object JSON text with MalformedPolicyDocumentError', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }))), (value) => {
      assert.throws(() => parsePolicy(JSON.stringify(value) ?? 'null'), MalformedPolicyDocumentError);
    }),
    { numRuns: 200 },
  );
});
