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

test('audit: a role session is recorded with its session context — issuer role, creation date, source identity, web identity provider (cloudtrail-event-reference-user-identity.html)', () => {
  const record = cloudTrailEvent({
    requestId: 'r-4', time: new Date('2026-11-23T08:30:00Z'), service: 'iam', operation: 'ListRoles', region: 'us-east-1', sourceIp: '10.0.0.1', userAgent: '',
    readOnly: true, request: {},
    caller: {
      accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/app/pod-1', kind: 'assumed-role', userId: 'AROAEXAMPLE:pod-1',
      accessKeyId: 'ASIAEXAMPLE', roleArn: 'arn:aws:iam::123456789012:role/app', roleName: 'app', sessionName: 'pod-1',
      session: {
        issuedBy: 'AssumeRoleWithWebIdentity', issuedAt: '2026-11-23T08:00:00Z', expiresAt: '2026-11-23T09:00:00Z', sourceIdentity: 'alice',
        webIdentity: { providerArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.example.com/id/X', subject: 'system:serviceaccount:ns:app', audience: 'sts.amazonaws.com' },
      },
    },
  });
  assert.deepEqual(record.event.userIdentity, {
    type: 'AssumedRole', principalId: 'AROAEXAMPLE:pod-1', arn: 'arn:aws:sts::123456789012:assumed-role/app/pod-1', accountId: '123456789012', accessKeyId: 'ASIAEXAMPLE',
    sessionContext: {
      attributes: { creationDate: '2026-11-23T08:00:00Z', mfaAuthenticated: 'false' },
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::123456789012:role/app', accountId: '123456789012', userName: 'app' },
      webIdFederationData: { federatedProvider: 'arn:aws:iam::123456789012:oidc-provider/oidc.example.com/id/X', attributes: {} },
      sourceIdentity: 'alice',
    },
  });
});

test('audit: an unsigned AssumeRoleWithWebIdentity is recorded as a WebIdentityUser in the role\'s account, its token hidden', () => {
  const provider = 'arn:aws:iam::210987654321:oidc-provider/oidc.example.com/id/X';
  const record = cloudTrailEvent({
    requestId: 'r-5', time: new Date('2026-11-23T08:30:00Z'), service: 'sts', operation: 'AssumeRoleWithWebIdentity', region: 'us-east-1', sourceIp: '10.0.0.1', userAgent: '',
    readOnly: false,
    request: { RoleArn: 'arn:aws:iam::210987654321:role/app', RoleSessionName: 'pod', WebIdentityToken: 'eyJ.x.y' },
    response: { SubjectFromWebIdentityToken: 'system:serviceaccount:ns:app', Provider: provider, Audience: 'sts.amazonaws.com', Credentials: { SecretAccessKey: 's', SessionToken: 't' } },
  });
  assert.deepEqual(record.event.userIdentity, {
    type: 'WebIdentityUser', principalId: `${provider}:sts.amazonaws.com:system:serviceaccount:ns:app`, userName: 'system:serviceaccount:ns:app', identityProvider: provider,
  });
  assert.equal(record.accountId, '210987654321');
  assert.equal((record.event.requestParameters as Record<string, unknown>).webIdentityToken, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.doesNotMatch(JSON.stringify(record.event), /eyJ\.x\.y|"s"|"t"/);
});

test('audit: MFA material never reaches the trail — authentication codes, virtual MFA seeds and their QR codes, token codes', () => {
  const enable = cloudTrailEvent({
    requestId: 'r-6', time: new Date('2026-11-23T08:30:00Z'), service: 'iam', operation: 'EnableMFADevice', region: 'us-east-1', sourceIp: '10.0.0.1', userAgent: '',
    caller: CALLER, readOnly: false,
    request: { UserName: 'alice', SerialNumber: 'arn:aws:iam::123456789012:mfa/alice', AuthenticationCode1: '314159', AuthenticationCode2: '271828' },
    response: {},
  });
  assert.deepEqual(enable.event.requestParameters, {
    userName: 'alice', serialNumber: 'arn:aws:iam::123456789012:mfa/alice', authenticationCode1: 'HIDDEN_DUE_TO_SECURITY_REASONS', authenticationCode2: 'HIDDEN_DUE_TO_SECURITY_REASONS',
  });
  const created = cloudTrailEvent({
    requestId: 'r-7', time: new Date('2026-11-23T08:30:00Z'), service: 'iam', operation: 'CreateVirtualMFADevice', region: 'us-east-1', sourceIp: '10.0.0.1', userAgent: '',
    caller: CALLER, readOnly: false, request: { VirtualMFADeviceName: 'alice' },
    response: { VirtualMFADevice: { SerialNumber: 'arn:aws:iam::123456789012:mfa/alice', Base32StringSeed: 'JBSWY3DPEHPK3PXP', QRCodePNG: Buffer.from('png') } },
  });
  assert.deepEqual(created.event.responseElements, {
    virtualMFADevice: { serialNumber: 'arn:aws:iam::123456789012:mfa/alice', base32StringSeed: 'HIDDEN_DUE_TO_SECURITY_REASONS', qRCodePNG: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
  });
  const session = cloudTrailEvent({
    requestId: 'r-8', time: new Date('2026-11-23T08:30:00Z'), service: 'sts', operation: 'GetSessionToken', region: 'us-east-1', sourceIp: '10.0.0.1', userAgent: '',
    caller: CALLER, readOnly: false, request: { SerialNumber: 'arn:aws:iam::123456789012:mfa/alice', TokenCode: '161803' },
  });
  assert.equal((session.event.requestParameters as Record<string, unknown>).tokenCode, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.doesNotMatch(JSON.stringify([enable.event, created.event, session.event]), /314159|271828|161803|JBSWY3DPEHPK3PXP/);
});

test('audit: a session that MFA authenticated is recorded with mfaAuthenticated "true" (cloudtrail-event-reference-user-identity.html)', () => {
  const record = cloudTrailEvent({
    requestId: 'r-9', time: new Date('2026-11-23T08:30:00Z'), service: 'iam', operation: 'ListUsers', region: 'us-east-1', sourceIp: '10.0.0.1', userAgent: '',
    readOnly: true, request: {},
    caller: { ...CALLER, accessKeyId: 'ASIAEXAMPLE', session: { issuedBy: 'GetSessionToken', issuedAt: '2026-11-23T08:00:00Z', expiresAt: '2026-11-23T20:00:00Z', mfaAuthenticatedAt: '2026-11-23T08:00:00Z' } },
  });
  assert.deepEqual(record.event.userIdentity, {
    type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: CALLER.arn, accountId: '123456789012', accessKeyId: 'ASIAEXAMPLE', userName: 'alice',
    sessionContext: { attributes: { creationDate: '2026-11-23T08:00:00Z', mfaAuthenticated: 'true' } },
  });
});

test('audit: passwords are hidden, but the password policy settings and the reset flag are recorded as sent', () => {
  const profile = auditView({ UserName: 'alice', Password: 'Sup3r$ecret!', PasswordResetRequired: true }) as Record<string, unknown>;
  assert.deepEqual(profile, { userName: 'alice', password: 'HIDDEN_DUE_TO_SECURITY_REASONS', passwordResetRequired: true });
  const change = auditView({ OldPassword: 'a', NewPassword: 'b' }) as Record<string, unknown>;
  assert.deepEqual(change, { oldPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS', newPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
  const policy = auditView({ MinimumPasswordLength: 14, MaxPasswordAge: 90, PasswordReusePrevention: 24, AllowUsersToChangePassword: true, RequireSymbols: true });
  assert.deepEqual(policy, { minimumPasswordLength: 14, maxPasswordAge: 90, passwordReusePrevention: 24, allowUsersToChangePassword: true, requireSymbols: true });
});
