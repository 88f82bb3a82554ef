// STS GetSessionToken (API_GetSessionToken.html): credentials for an IAM user (900 s to 129,600 s,
// default 43,200 s) or the root user (one hour at most, longer requests get one hour), with the user's own
// permissions; not callable with session credentials; the credentials reach no IAM API without MFA and
// no STS API but AssumeRole and GetCallerIdentity. MFA sessions: mfa-sessions.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_A, World, policy, rejects } from './fixtures.js';

const LIST_ROLES = policy({ Effect: 'Allow', Action: ['iam:ListRoles', 'sts:*'], Resource: '*' });

test('an IAM user gets 12-hour credentials by default, up to 36 hours, that act as the user', async () => {
  const world = new World();
  const user = await world.createUser('alice', { list: LIST_ROLES });
  const alice = await world.signIn(user.credentials);
  const out = await world.sts(alice, 'GetSessionToken');
  assert.deepEqual(Object.keys(out), ['Credentials']);
  assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(out.Credentials.Expiration, '2025-03-04T17:06:07Z');
  const longest = await world.sts(alice, 'GetSessionToken', { DurationSeconds: 129_600 });
  assert.equal(longest.Credentials.Expiration, '2025-03-05T17:06:07Z');
  const session = await world.signIn(out.Credentials);
  assert.deepEqual(await world.sts(session, 'GetCallerIdentity'), { UserId: user.userId, Account: ACCOUNT_A, Arn: user.arn });
  assert.equal(session.caller.kind, 'user');
  assert.equal(session.caller.session?.issuedBy, 'GetSessionToken');
  // The user's permissions, evaluated at each request.
  assert.equal(await world.allowed(session, { action: 'iam:ListRoles', resource: '*' }), true);
  assert.equal(await world.allowed(session, { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT_A}:role/x` }), false);
});

test("the root user's session lasts one hour at most: a longer request gets one hour", async () => {
  const world = new World();
  const root = world.root();
  assert.equal((await world.sts(root, 'GetSessionToken')).Credentials.Expiration, '2025-03-04T06:06:07Z');
  assert.equal((await world.sts(root, 'GetSessionToken', { DurationSeconds: 129_600 })).Credentials.Expiration, '2025-03-04T06:06:07Z');
  assert.equal((await world.sts(root, 'GetSessionToken', { DurationSeconds: 900 })).Credentials.Expiration, '2025-03-04T05:21:07Z');
  const session = await world.signIn((await world.sts(root, 'GetSessionToken')).Credentials);
  assert.equal(session.caller.kind, 'root');
  assert.equal(session.caller.arn, `arn:aws:iam::${ACCOUNT_A}:root`);
});

test('session credentials cannot call GetSessionToken (AWS: "Cannot call GetSessionToken with session credentials")', async () => {
  const world = new World();
  const user = await world.createUser('alice', { list: LIST_ROLES });
  const alice = await world.signIn(user.credentials);
  const fromUser = await world.signIn((await world.sts(alice, 'GetSessionToken')).Credentials);
  await rejects(world.sts(fromUser, 'GetSessionToken'), 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
  const role = await world.createRole('R', policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT_A }, Action: 'sts:AssumeRole' }));
  const roleSession = await world.signIn((await world.sts(await world.admin(), 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' })).Credentials);
  await rejects(world.sts(roleSession, 'GetSessionToken'), 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
});

test('GetSessionToken credentials: no IAM API without MFA (InvalidClientTokenId); of STS only AssumeRole and GetCallerIdentity', async () => {
  const world = new World();
  const user = await world.createUser('alice', { list: LIST_ROLES });
  const role = await world.createRole('R', policy({ Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'sts:AssumeRole' }), { more: { MaxSessionDuration: 7200 } });
  const session = await world.signIn((await world.sts(await world.signIn(user.credentials), 'GetSessionToken')).Credentials);
  await rejects(world.iam(session, 'ListRoles', {}), 'InvalidClientTokenId', 'The security token included in the request is invalid');
  await rejects(world.sts(session, 'GetAccessKeyInfo', { AccessKeyId: user.credentials.AccessKeyId }), 'AccessDenied', 'Cannot call GetAccessKeyInfo with session credentials');
  const assumed = await world.sts(session, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', DurationSeconds: 7200 });
  // A user's session assuming a role is no role chain.
  assert.equal(assumed.Credentials.Expiration, '2025-03-04T07:06:07Z', 'not capped at one hour');
});

test('a user deleted (or replaced by a same-named user) leaves its sessions without permissions', async () => {
  const world = new World();
  const user = await world.createUser('temp', { list: LIST_ROLES });
  const session = await world.signIn((await world.sts(await world.signIn(user.credentials), 'GetSessionToken')).Credentials);
  assert.equal(await world.allowed(session, { action: 'sts:GetCallerIdentity', resource: '*' }), true);
  const root = world.root();
  await world.iam(root, 'DeleteAccessKey', { UserName: 'temp', AccessKeyId: user.credentials.AccessKeyId });
  await world.iam(root, 'DeleteUserPolicy', { UserName: 'temp', PolicyName: 'list' });
  await world.iam(root, 'DeleteUser', { UserName: 'temp' });
  await world.iam(root, 'CreateUser', { UserName: 'temp' });
  await world.iam(root, 'PutUserPolicy', { UserName: 'temp', PolicyName: 'list', PolicyDocument: LIST_ROLES });
  assert.equal(await world.allowed(session, { action: 'sts:GetCallerIdentity', resource: '*' }), false);
});

test('a serial number that names no MFA device of the user: AccessDenied "unable to validate MFA code"', async () => {
  const world = new World();
  const user = await world.createUser('alice');
  await rejects(
    world.sts(await world.signIn(user.credentials), 'GetSessionToken', { SerialNumber: `arn:aws:iam::${ACCOUNT_A}:mfa/alice`, TokenCode: '123456' }),
    'AccessDenied',
    'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
  );
});
