// The STS request members AWS checks before anything else, from the service model (API_AssumeRole.html,
// API_GetSessionToken.html): RoleSessionName 2..64 of [\w+=,.@-], ExternalId 2..1224 of [\w+=,.@:/-],
// DurationSeconds 900..43200 (AssumeRole) and 900..129600 (GetSessionToken), at most 50 tags with keys
// of 1..128 and values of 0..256 characters, SourceIdentity 2..64 — each AWS's ValidationError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputViolations } from '../../src/model/input-validation.js';
import { loadServiceModel } from '../../src/model/service-models.js';

const STS = loadServiceModel('sts');
const assumeRole = (more: Record<string, unknown>) => inputViolations(STS, 'AssumeRoleRequest', { RoleArn: 'arn:aws:iam::123456789012:role/R', RoleSessionName: 'ok', ...more });

test('RoleSessionName: 2 to 64 characters of letters, digits and +=,.@_-', () => {
  assert.deepEqual(assumeRole({ RoleSessionName: 'user@example.com_+=,.-' }), []);
  assert.deepEqual(assumeRole({ RoleSessionName: 'a' }), ["Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"]);
  assert.deepEqual(assumeRole({ RoleSessionName: 'x'.repeat(65) }), [`Value '${'x'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`]);
  assert.deepEqual(assumeRole({ RoleSessionName: 'has space' }), ["Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"]);
  assert.deepEqual(inputViolations(STS, 'AssumeRoleRequest', { RoleArn: 'arn:aws:iam::123456789012:role/R' }), ["Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"]);
});

test('ExternalId: 2 to 1,224 characters, slash and colon allowed', () => {
  assert.deepEqual(assumeRole({ ExternalId: 'unique-external-id:for/this=relationship' }), []);
  assert.equal(assumeRole({ ExternalId: 'x' }).length, 1);
  assert.equal(assumeRole({ ExternalId: 'x'.repeat(1225) }).length, 1);
  assert.match(assumeRole({ ExternalId: 'no spaces' })[0] ?? '', /at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern/);
});

test('DurationSeconds: AssumeRole 900..43200, GetSessionToken 900..129600', () => {
  assert.deepEqual(assumeRole({ DurationSeconds: 900 }), []);
  assert.deepEqual(assumeRole({ DurationSeconds: 899 }), ["Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"]);
  assert.deepEqual(assumeRole({ DurationSeconds: 43201 }), ["Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"]);
  assert.deepEqual(inputViolations(STS, 'GetSessionTokenRequest', { DurationSeconds: 129600 }), []);
  assert.deepEqual(inputViolations(STS, 'GetSessionTokenRequest', { DurationSeconds: 129601 }), [
    "Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
  ]);
});

test('Tags: at most 50; keys 1..128, values up to 256 characters', () => {
  const tags = (count: number) => Array.from({ length: count }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  assert.deepEqual(assumeRole({ Tags: tags(50) }), []);
  assert.match(assumeRole({ Tags: tags(51) })[0] ?? '', /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/);
  assert.match(assumeRole({ Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] })[0] ?? '', /at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128/);
  assert.match(assumeRole({ Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] })[0] ?? '', /at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256/);
  assert.match(assumeRole({ TransitiveTagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) })[0] ?? '', /at 'transitiveTagKeys' failed to satisfy constraint/);
});

test('SourceIdentity: 2 to 64 characters of letters, digits and +=,.@_- (so never aws:...)', () => {
  assert.deepEqual(assumeRole({ SourceIdentity: 'DevUser' }), []);
  assert.equal(assumeRole({ SourceIdentity: 'x' }).length, 1);
  assert.match(assumeRole({ SourceIdentity: 'aws:admin' })[0] ?? '', /at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern/);
});
