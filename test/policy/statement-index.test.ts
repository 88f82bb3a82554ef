// Policies of several statements are indexed by the service their Action can match, so a request tests
// only the statements that can apply. The index must not change a decision: every statement is still
// evaluated as AWS evaluates it (reference_policies_evaluation-logic.html: "an explicit deny in any policy
// overrides any allows"), Action names compare case-insensitively (reference_policies_elements_action.html),
// NotAction matches every action it does not list (reference_policies_elements_notaction.html), and the
// decisive statements keep the document's order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/evaluate.js';
import { compilePolicy, compileValidatedPolicy } from '../../src/policy/compile.js';
import { validatePolicy } from '../../src/policy/validate.js';
import { BoundedCache } from '../../src/policy/bounded-cache.js';

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'S3Read', Effect: 'Allow', Action: ['S3:Get*', 's3:List*'], Resource: '*' },
    { Sid: 'NotIam', Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:sqs:*:*:jobs-*' },
    { Sid: 'AnyGet', Effect: 'Allow', Action: '*:GetQueueUrl', Resource: '*' },
    { Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secrets/*' },
    { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/open' },
    { Sid: 'QueuesToo', Effect: 'Allow', Action: ['sqs:SendMessage', 's3:PutObject'], Resource: 'arn:aws:sqs:*:*:jobs-*' },
  ],
};
const compiled = compilePolicy(POLICY, { kind: 'identity', name: 'indexed' });

function decide(action: string, resource: string) {
  const result = evaluate({ request: { principal: ALICE, action, resource }, identityPolicies: [compiled] });
  return { decision: result.decision, sids: result.decisive.map((ref) => ref.sid) };
}

test('an action matches statements of its service case-insensitively, and an explicit deny of the same service still overrides', () => {
  assert.deepEqual(decide('s3:getobject', 'arn:aws:s3:::public/a'), { decision: 'Allow', sids: ['S3Read'] });
  assert.deepEqual(decide('s3:GetObject', 'arn:aws:s3:::secrets/key'), { decision: 'ExplicitDeny', sids: ['NoSecrets'] });
});

test('NotAction, a wildcard service and Action "*" apply to actions of every service, in document order', () => {
  assert.deepEqual(decide('sqs:SendMessage', 'arn:aws:sqs:us-east-1:111111111111:jobs-a'), { decision: 'Allow', sids: ['NotIam', 'QueuesToo'] });
  assert.deepEqual(decide('sqs:GetQueueUrl', 'arn:aws:sqs:us-east-1:111111111111:jobs-a'), { decision: 'Allow', sids: ['NotIam', 'AnyGet'] });
  assert.deepEqual(decide('kinesis:PutRecord', 'arn:aws:dynamodb:us-east-1:111111111111:table/open'), { decision: 'Allow', sids: ['Everything'] });
  assert.deepEqual(decide('iam:GetRole', 'arn:aws:sqs:us-east-1:111111111111:jobs-a'), { decision: 'ImplicitDeny', sids: [] });
});

test('an action of a service no statement names, or with no service at all, meets only the statements for every service', () => {
  assert.deepEqual(decide('lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:111111111111:function:f'), { decision: 'ImplicitDeny', sids: [] });
  assert.deepEqual(decide('GetQueueUrl', 'arn:aws:sqs:us-east-1:111111111111:jobs-a'), { decision: 'Allow', sids: ['NotIam'] });
});

test('the compiled-policy cache keeps the entries used recently and stays bounded', () => {
  const cache = new BoundedCache<string, number>(4);
  for (let i = 0; i < 4; i++) cache.set(`k${i}`, i);
  assert.equal(cache.get('k0'), 0, 'a hit moves the entry to the young generation');
  for (let i = 4; i < 7; i++) cache.set(`k${i}`, i);
  assert.equal(cache.get('k0'), 0);
  assert.equal(cache.get('k1'), undefined, 'an entry unused for two generations is dropped');
  const many = new BoundedCache<number, number>(100);
  for (let i = 0; i < 10_000; i++) many.set(i, i);
  let kept = 0;
  for (let i = 0; i < 10_000; i++) if (many.get(i) !== undefined) kept++;
  assert.ok(kept <= 100, `kept ${kept}`);
});

test('a document is kept compiled from its second sight on (documents seen once are not kept)', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Id: `second-sight-${process.pid}`, Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  const first = compilePolicy(text, { kind: 'identity' });
  const second = compilePolicy(text, { kind: 'identity' });
  const third = compilePolicy(text, { kind: 'identity' });
  assert.notEqual(first.body, second.body, 'the first sight is compiled and not kept');
  assert.equal(third.body, second.body, 'the second sight is kept and reused');
  assert.notEqual(compilePolicy(text, { kind: 'session' }).body, third.body, 'each kind validates and keeps its own');
});

test('compileValidatedPolicy: validatePolicy verdicts and messages (API_SimulateCustomPolicy InvalidInput), one body shared with compilePolicy', () => {
  const options = { inline: true, checkSize: false };
  const invalid = [
    ['{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}', 'identity'],
    ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}', 'session'],
    ['{"Version":"2012-10-17","Statement":[{"Sid":"a-b","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}', 'boundary'],
    ['{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}', 'identity'],
    ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3GetObject","Resource":"*"}]}', 'scp'],
    ['not json', 'trust'],
  ] as const;
  for (const [text, kind] of invalid) {
    const expected = validatePolicy(text, kind, options);
    assert.equal(expected.valid, false, text);
    assert.deepEqual(compileValidatedPolicy({ document: text }, kind, options), expected, text);
  }
  const text = JSON.stringify({ Version: '2012-10-17', Id: `validated-${process.pid}`, Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  const first = compileValidatedPolicy({ name: 'given', document: text }, 'identity', options);
  assert.ok(first.valid);
  assert.equal(first.compiled.name, 'given');
  const second = compileValidatedPolicy({ document: text }, 'identity', options);
  assert.ok(second.valid);
  assert.equal(compilePolicy(text).body, second.compiled.body, 'the second sight is kept and shared with compilePolicy without a kind');
  const decision = evaluate({ request: { principal: ALICE, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, identityPolicies: [first.compiled] });
  assert.equal(decision.decision, 'Allow');
});
