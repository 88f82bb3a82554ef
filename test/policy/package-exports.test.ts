import { test } from 'node:test';
import assert from 'node:assert/strict';

// The library is consumed as `rolecall/policy` (package.json "exports"); Node resolves a package's own
// name, so this exercises exactly what a user's import does.
test('library: `rolecall/policy` exports evaluate, compilePolicy, parsePolicy and validatePolicy', async () => {
  const policy = await import('rolecall/policy');
  const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::reports/*' }] };
  assert.deepEqual(policy.validatePolicy(document, 'identity'), { valid: true });
  assert.equal(policy.parsePolicy(document).statements[0]?.effect, 'Allow');
  const compiled = policy.compilePolicy({ name: 'read', document }, { kind: 'identity' });
  const result = policy.evaluate({
    request: { principal: 'arn:aws:iam::111122223333:user/alice', action: 's3:GetObject', resource: 'arn:aws:s3:::reports/q3.csv' },
    identityPolicies: [compiled],
  });
  assert.equal(result.decision, 'Allow');
  assert.deepEqual(result.decisive, [{ policyType: 'identity', policyName: 'read', policyIndex: 0, statementIndex: 0, effect: 'Allow' }]);
});
