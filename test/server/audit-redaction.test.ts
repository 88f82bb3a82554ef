// Issue 12 item 5: a hidden member's value never reaches the audit trail through an error message.
// Before, the malformed MFA code of GetSessionToken, AssumeRole and EnableMFADevice was recorded in
// `errorMessage` as `Value '1234567' at 'tokenCode' failed to satisfy constraint ...` although the
// member itself was hidden (CloudTrail's HIDDEN_DUE_TO_SECURITY_REASONS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudTrailEvent, redactMessage, type CallRecord } from '../../src/server/audit.js';

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

function failedCall(operation: string, service: string, request: Record<string, unknown>, errorMessage: string): Record<string, unknown> {
  const record: CallRecord = {
    requestId: 'r', time: new Date('2026-12-05T20:00:00Z'), service, operation, region: 'us-east-1', sourceIp: '127.0.0.1',
    userAgent: 'test', readOnly: false, request, errorCode: 'ValidationError', errorMessage,
  };
  return cloudTrailEvent(record).event as Record<string, unknown>;
}

test("issue 12.5: GetSessionToken's malformed TokenCode '1234567' is hidden inside the validation message", () => {
  const event = failedCall('GetSessionToken', 'sts', { SerialNumber: 'arn:aws:iam::111122223333:mfa/bob', TokenCode: '1234567' },
    "1 validation error detected: Value '1234567' at 'tokenCode' failed to satisfy constraint: Member must have length less than or equal to 6");
  assert.equal(event.errorMessage, `1 validation error detected: Value '${HIDDEN}' at 'tokenCode' failed to satisfy constraint: Member must have length less than or equal to 6`);
  assert.deepEqual((event.requestParameters as Record<string, unknown>).tokenCode, HIDDEN);
  assert.doesNotMatch(JSON.stringify(event), /1234567/);
});

test("issue 12.5: AssumeRole's TokenCode '12a' (shorter than six) is hidden where the message quotes it, digits elsewhere stay", () => {
  const event = failedCall('AssumeRole', 'sts', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's1', TokenCode: '12a' },
    "2 validation errors detected: Value '12a' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*; Value '12a' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6");
  assert.equal(event.errorMessage, `2 validation errors detected: Value '${HIDDEN}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*; Value '${HIDDEN}' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6`);
});

test("issue 12.5: EnableMFADevice's two authentication codes are hidden in the message, the user name is not", () => {
  const event = failedCall('EnableMFADevice', 'iam', { UserName: 'bob', SerialNumber: 'arn:aws:iam::123456789012:mfa/bob', AuthenticationCode1: '9876543', AuthenticationCode2: 'abcdef' },
    "2 validation errors detected: Value '9876543' at 'authenticationCode1' failed to satisfy constraint: Member must have length less than or equal to 6; Value 'abcdef' at 'authenticationCode2' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]+");
  assert.doesNotMatch(String(event.errorMessage), /9876543|abcdef/);
  assert.match(String(event.errorMessage), /Value 'HIDDEN_DUE_TO_SECURITY_REASONS' at 'authenticationCode1'/);
});

test('issue 12.5: generally, any hidden value anywhere in a message (parenthesised, double-quoted or bare) is replaced', () => {
  const request = { UserName: 'bob', Password: 'hunter2-secret', Nested: [{ WebIdentityToken: 'eyJhbGciOi.payload.sig' }] };
  assert.equal(redactMessage('Value (hunter2-secret) for parameter Password is invalid.', request), `Value (${HIDDEN}) for parameter Password is invalid.`);
  assert.equal(redactMessage('token "eyJhbGciOi.payload.sig" rejected', request), `token "${HIDDEN}" rejected`);
  assert.equal(redactMessage('bad: eyJhbGciOi.payload.sig!', request), `bad: ${HIDDEN}!`);
  assert.equal(redactMessage("User 'bob' not found", request), "User 'bob' not found");
});
