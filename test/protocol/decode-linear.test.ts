// Issue 12 item 2: decoding a request is linear in its parameters. Before, every list member rescanned
// every parameter: 20,000 `PolicyArns.member.N` on an unsigned AssumeRoleWithWebIdentity blocked the
// server for 21 s and 18,000 Tags on a signed CreateRole for 17.5 s. Work is counted in decoding steps
// (parameters placed, nodes decoded), so the proof cannot flake on a busy machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJsonRequest } from '../../src/protocol/json-decode.js';
import { decodeQueryRequest, loadServiceModel } from '../../src/protocol/index.js';
import { meterWork } from '../../src/policy/work-meter.js';

const iam = loadServiceModel('iam');
const sts = loadServiceModel('sts');
const organizations = loadServiceModel('organizations');

function policyArns(count: number): URLSearchParams {
  const params = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: 'arn:aws:iam::111122223333:role/r', RoleSessionName: 's', WebIdentityToken: 'x' });
  for (let i = 1; i <= count; i++) params.append(`PolicyArns.member.${i}.arn`, `arn:aws:iam::aws:policy/P${i}`);
  return params;
}

function tags(count: number): URLSearchParams {
  const params = new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: 'r', AssumeRolePolicyDocument: '{}' });
  for (let i = 1; i <= count; i++) {
    params.append(`Tags.member.${i}.Key`, `k${i}`);
    params.append(`Tags.member.${i}.Value`, `v${i}`);
  }
  return params;
}

/** Decodes metered; asserts the work is within a small constant per parameter segment. */
function decodingSteps(params: URLSearchParams, model = iam): { steps: number; input: Record<string, unknown> } {
  const segments = [...params.keys()].reduce((sum, key) => sum + key.split('.').length, 0);
  const { result, steps } = meterWork(() => decodeQueryRequest(model, params));
  assert.ok(steps <= 4 * segments, `${steps} steps for ${segments} parameter name segments`);
  return { steps, input: result.input };
}

test('issue 12.2: 20,000 PolicyArns.member.N (529 KB, 21 s before) decode in linear steps, twice the steps of 10,000', () => {
  const small = decodingSteps(policyArns(20_000), sts);
  const half = decodingSteps(policyArns(10_000), sts);
  assert.equal((small.input.PolicyArns as unknown[]).length, 20_000);
  assert.deepEqual((small.input.PolicyArns as unknown[])[19_999], { arn: 'arn:aws:iam::aws:policy/P20000' });
  assert.ok(small.steps <= 2 * half.steps + 100, `${half.steps} -> ${small.steps}`);
});

test('issue 12.2: 18,000 Tags on CreateRole (17.5 s before) decode in linear steps, twice the steps of 9,000', () => {
  const small = decodingSteps(tags(18_000));
  const half = decodingSteps(tags(9_000));
  assert.equal((small.input.Tags as unknown[]).length, 18_000);
  assert.deepEqual((small.input.Tags as unknown[])[17_999], { Key: 'k18000', Value: 'v18000' });
  assert.ok(small.steps <= 2 * half.steps + 100, `${half.steps} -> ${small.steps}`);
});

test('issue 12.2: list members keep their numeric order and gaps, unknown parameters are skipped in one pass', () => {
  const params = new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: 'r', AssumeRolePolicyDocument: '{}' });
  params.append('Tags.member.10.Key', 'ten');
  params.append('Tags.member.2.Key', 'two');
  params.append('Tags.member.02.Key', 'not-two');
  for (let i = 0; i < 10_000; i++) params.append(`Unknown.${i}.x`, 'y');
  const { input } = decodingSteps(params);
  assert.deepEqual(input.Tags, [{ Key: 'two' }, { Key: 'ten' }]);
});

test('issue 12.2: the JSON decoder is linear too: 10,000 and 20,000 Organizations tags', () => {
  const body = (count: number) =>
    JSON.stringify({ ResourceId: 'r-abcd', Tags: Array.from({ length: count }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` })) });
  const steps = (count: number) => meterWork(() => decodeJsonRequest(organizations, 'AWSOrganizationsV20161128.TagResource', body(count))).steps;
  const small = steps(10_000);
  const large = steps(20_000);
  assert.ok(small <= 4 * 10_000, `${small} steps`);
  assert.ok(large <= 2 * small + 10, `${small} -> ${large}`);
});
