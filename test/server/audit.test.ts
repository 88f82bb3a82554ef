import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditView, cloudTrailEvent } from '../../src/server/audit.js';

const CALLER = { accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice', kind: 'user' as const, userId: 'AIDAEXAMPLE', accessKeyId: 'AKIAEXAMPLE', userName: 'alice' };

test('audit: credentials and bearer material never reach the trail (CloudTrail hides them as HIDDEN_DUE_TO_SECURITY_REASONS)', () => {
  const view = auditView({
    WebIdentityToken: 'eyJhbGciOiJSUzI1NiJ9.payload.signature',
    SAMLAssertion: 'PHNhbWw+',
    TokenCode: '123456',
    Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'wJalr', SessionToken: 'FwoG', Expiration: '2026-11-23T09:00:00Z' },
    AccessKey: { UserName: 'alice', AccessKeyId: 'AKIANEW', SecretAccessKey: 'secret', Status: 'Active' },
    RoleName: 'app',
  }) as Record<string, Record<string, unknown> | string>;
  assert.equal(view.webIdentityToken, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.equal(view.sAMLAssertion, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.equal(view.tokenCode, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.deepEqual(view.credentials, {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    sessionToken: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    expiration: '2026-11-23T09:00:00Z',
  });
  assert.equal((view.accessKey as Record<string, unknown>).secretAccessKey, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.equal(view.roleName, 'app');
});

test('audit: a CloudTrail record names the caller, the call and its outcome (cloudtrail-event-reference-record-contents.html)', () => {
  const time = new Date('2026-11-23T08:00:00.123Z');
  const failed = cloudTrailEvent({
    requestId: 'r-1', time, service: 'iam', operation: 'GetRole', region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'aws-cli/2.9',
    caller: CALLER, readOnly: true, request: { RoleName: 'missing' }, errorCode: 'NoSuchEntity', errorMessage: 'The role with name missing cannot be found.',
  });
  assert.equal(failed.eventTime, '2026-11-23T08:00:00Z');
  assert.equal(failed.errorCode, 'NoSuchEntity');
  assert.equal(failed.principalArn, CALLER.arn);
  assert.deepEqual(
    { ...failed.event, eventID: undefined },
    {
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: CALLER.arn, accountId: '123456789012', accessKeyId: 'AKIAEXAMPLE', userName: 'alice' },
      eventTime: '2026-11-23T08:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'GetRole', awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1', userAgent: 'aws-cli/2.9', requestParameters: { roleName: 'missing' }, responseElements: null,
      requestID: 'r-1', eventID: undefined, readOnly: true, eventType: 'AwsApiCall', managementEvent: true,
      recipientAccountId: '123456789012', eventCategory: 'Management',
      errorCode: 'NoSuchEntity', errorMessage: 'The role with name missing cannot be found.',
    },
  );
  const listed = cloudTrailEvent({ requestId: 'r-2', time, service: 'iam', operation: 'ListRoles', region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: '', caller: CALLER, readOnly: true, request: {}, response: { Roles: [{ RoleName: 'a' }] } });
  assert.equal(listed.event.responseElements, null, 'read-only calls record no response elements');
  const created = cloudTrailEvent({ requestId: 'r-3', time, service: 'iam', operation: 'CreateRole', region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: '', caller: CALLER, readOnly: false, request: { RoleName: 'a' }, response: { Role: { RoleName: 'a' } } });
  assert.deepEqual(created.event.responseElements, { role: { roleName: 'a' } });
});
