// MFA-protected API access as AWS documents it (id_credentials_mfa_configure-api-require.html,
// API_GetSessionToken.html, API_AssumeRole.html, reference_policies_condition-keys.html
// aws:MultiFactorAuthPresent / aws:MultiFactorAuthAge): GetSessionToken and AssumeRole with the serial
// number and a code of the caller's virtual MFA device issue MFA-authenticated sessions; their requests
// carry aws:MultiFactorAuthPresent "true" and the age of the authentication; other temporary credentials
// carry "false", long-term credentials neither key. Wrong codes, reused codes and other users' devices get
// STS's AccessDenied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationContext } from '../../src/iam/operation.js';
import { globalContext } from '../../src/auth/authorize.js';
import { loadCallerPolicies } from '../../src/auth/caller-policies.js';
import { checkSessionMayCall } from '../../src/sts/session-limits.js';
import { codeAt, consecutiveCodes } from '../iam/totp-codes.js';
import { ACCOUNT_A, NOW, World, policy, rejects } from './fixtures.js';

const INVALID_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';
const NOT_THE_USERS_DEVICE = 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.';
const ALLOW_ALL = policy({ Effect: 'Allow', Action: '*', Resource: '*' });
/** The recommended way to deny everything not authenticated with MFA (reference_policies_condition-keys.html, BoolIfExists). */
const DENY_WITHOUT_MFA = policy({ Effect: 'Deny', NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } });
const LIST_USERS = { action: 'iam:ListUsers', resource: `arn:aws:iam::${ACCOUNT_A}:user/` };

/** A user of account A with inline policies and a virtual MFA device enabled (with the codes of the two steps before now). */
async function userWithDevice(world: World, name: string, inline: Record<string, string> = { all: ALLOW_ALL }) {
  const user = await world.createUser(name, inline);
  const root = world.root();
  const device = (await world.iam(root, 'CreateVirtualMFADevice', { VirtualMFADeviceName: name })).VirtualMFADevice;
  await world.iam(root, 'EnableMFADevice', { UserName: name, SerialNumber: device.SerialNumber, ...consecutiveCodes(device.Base32StringSeed, world.now) });
  return { ...user, serial: device.SerialNumber as string, seed: device.Base32StringSeed as string, signedIn: await world.signIn(user.credentials) };
}

/** The MFA keys of the request context a caller's requests are decided with. */
async function mfaKeys(world: World, context: OperationContext): Promise<Record<string, unknown>> {
  const keys = globalContext(context, await world.store.read((reader) => loadCallerPolicies(reader, context.caller)));
  return Object.fromEntries(Object.entries(keys).filter(([key]) => key.startsWith('aws:MultiFactorAuth')));
}

test('GetSessionToken with the user\'s device and code: an MFA session whose requests carry aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge', async () => {
  const world = new World();
  const alice = await userWithDevice(world, 'alice', { all: ALLOW_ALL, mfa: DENY_WITHOUT_MFA });
  // Seed 003: long-term keys of a user whose policy denies everything without MFA are denied...
  assert.deepEqual(await mfaKeys(world, alice.signedIn), {}, 'long-term credentials carry neither key');
  assert.equal(await world.allowed(alice.signedIn, LIST_USERS), false);
  const out = await world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) });
  const session = await world.signIn(out.Credentials);
  assert.equal(session.caller.session?.mfaAuthenticatedAt, '2025-03-04T05:06:07Z');
  // ...and the MFA session is allowed.
  assert.deepEqual(await mfaKeys(world, session), { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '0' });
  assert.equal(await world.allowed(session, LIST_USERS), true);
  world.now = new Date(NOW.getTime() + 3_600_000);
  assert.deepEqual(await mfaKeys(world, await world.signIn(out.Credentials)), { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '3600' });
});

test('aws:MultiFactorAuthAge limits how long ago MFA may have been (NumericLessThan)', async () => {
  const world = new World();
  const recentMfa = policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } });
  const alice = await userWithDevice(world, 'alice', { recent: recentMfa });
  const out = await world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) });
  world.now = new Date(NOW.getTime() + 3_599_000);
  assert.equal(await world.allowed(await world.signIn(out.Credentials), LIST_USERS), true);
  world.now = new Date(NOW.getTime() + 3_600_000);
  assert.equal(await world.allowed(await world.signIn(out.Credentials), LIST_USERS), false);
  assert.equal(await world.allowed(alice.signedIn, LIST_USERS), false, 'without MFA the key is absent and the numeric condition false');
});

test('temporary credentials without MFA carry aws:MultiFactorAuthPresent "false", so Deny Bool false denies them but not long-term keys', async () => {
  const world = new World();
  const denyBoolFalse = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } });
  const alice = await userWithDevice(world, 'alice', { all: ALLOW_ALL, deny: denyBoolFalse });
  const plain = await world.signIn((await world.sts(alice.signedIn, 'GetSessionToken')).Credentials);
  assert.deepEqual(await mfaKeys(world, plain), { 'aws:MultiFactorAuthPresent': 'false' });
  assert.equal(await world.allowed(plain, { action: 'sts:GetCallerIdentity', resource: '*' }), false);
  assert.equal(await world.allowed(alice.signedIn, LIST_USERS), true, 'the warning of reference_policies_condition-keys.html: long-term keys pass');
  const role = await world.createRole('R', policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT_A }, Action: 'sts:AssumeRole' }));
  const roleSession = await world.signIn((await world.sts(await world.admin(), 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' })).Credentials);
  assert.deepEqual(await mfaKeys(world, roleSession), { 'aws:MultiFactorAuthPresent': 'false' });
});

test('GetSessionToken credentials may call IAM only when the request for them included MFA information (API_GetSessionToken.html)', async () => {
  const world = new World();
  const alice = await userWithDevice(world, 'alice');
  const plain = await world.signIn((await world.sts(alice.signedIn, 'GetSessionToken')).Credentials);
  assert.throws(() => checkSessionMayCall(plain.caller, 'iam', 'ListUsers'), { code: 'InvalidClientTokenId' });
  await rejects(world.iam(plain, 'ListUsers', {}), 'InvalidClientTokenId', 'The security token included in the request is invalid');
  const mfa = await world.signIn((await world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) })).Credentials);
  assert.deepEqual((await world.iam(mfa, 'ListUsers', {})).Users.map((user: { UserName: string }) => user.UserName), ['alice']);
  // Still no STS API but AssumeRole and GetCallerIdentity.
  await rejects(world.sts(mfa, 'GetAccessKeyInfo', { AccessKeyId: alice.credentials.AccessKeyId }), 'AccessDenied', 'Cannot call GetAccessKeyInfo with session credentials');
});

test('a wrong code, a reused code, another user\'s device or half the MFA information: AccessDenied, and no session', async () => {
  const world = new World();
  const alice = await userWithDevice(world, 'alice');
  const bob = await userWithDevice(world, 'bob');
  const code = codeAt(alice.seed, world.now);
  const wrong = code === '000000' ? '111111' : '000000';
  await rejects(world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: alice.serial, TokenCode: wrong }), 'AccessDenied', INVALID_CODE);
  await rejects(world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: bob.serial, TokenCode: codeAt(bob.seed, world.now) }), 'AccessDenied', NOT_THE_USERS_DEVICE);
  await rejects(world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: `arn:aws:iam::${ACCOUNT_A}:mfa/nobody`, TokenCode: code }), 'AccessDenied', NOT_THE_USERS_DEVICE);
  await rejects(world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: `arn:aws:iam::${ACCOUNT_A}:user/alice`, TokenCode: code }), 'AccessDenied', NOT_THE_USERS_DEVICE);
  const incomplete = 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.';
  await rejects(world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: alice.serial }), 'AccessDenied', incomplete);
  await rejects(world.sts(alice.signedIn, 'GetSessionToken', { TokenCode: code }), 'AccessDenied', incomplete);
  assert.ok(await world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: alice.serial, TokenCode: code }));
  await rejects(world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: alice.serial, TokenCode: code }), 'AccessDenied', INVALID_CODE);
  // The root user has no MFA devices through the API.
  await rejects(world.sts(world.root(), 'GetSessionToken', { SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) }), 'AccessDenied', NOT_THE_USERS_DEVICE);
});

test('AssumeRole with the caller\'s serial number and code satisfies a trust policy requiring MFA; the role session is MFA-authenticated', async () => {
  const world = new World();
  const alice = await userWithDevice(world, 'alice');
  const requireMfa = policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT_A }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } });
  const role = await world.createRole('Sensitive', requireMfa, { inline: { all: ALLOW_ALL } });
  const denied = `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.Arn}`;
  await rejects(world.sts(alice.signedIn, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' }), 'AccessDenied', denied);
  const out = await world.sts(alice.signedIn, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) });
  const session = await world.signIn(out.Credentials);
  assert.equal(session.caller.session?.mfaAuthenticatedAt, '2025-03-04T05:06:07Z');
  world.now = new Date(NOW.getTime() + 600_000);
  assert.deepEqual(await mfaKeys(world, await world.signIn(out.Credentials)), { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '600' });
  // A code is good once, also for AssumeRole (checked once although both the decision and the session need it).
  world.now = NOW;
  await rejects(
    world.sts(alice.signedIn, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) }),
    'AccessDenied',
    INVALID_CODE,
  );
});

test('AssumeRole by an MFA session needs no code of its own: its MFA keys reach the trust decision and its MFA time the new session', async () => {
  const world = new World();
  const alice = await userWithDevice(world, 'alice');
  const recentMfa = policy({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '900' } } });
  const role = await world.createRole('Recent', recentMfa, { more: { MaxSessionDuration: 7200 } });
  const credentials = (await world.sts(alice.signedIn, 'GetSessionToken', { SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) })).Credentials;
  world.now = new Date(NOW.getTime() + 600_000);
  let mfaSession = await world.signIn(credentials);
  const roleSession = await world.signIn((await world.sts(mfaSession, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' })).Credentials);
  assert.equal(roleSession.caller.session?.mfaAuthenticatedAt, '2025-03-04T05:06:07Z', 'the age counts from the user\'s MFA authentication');
  world.now = new Date(NOW.getTime() + 900_000);
  mfaSession = await world.signIn(credentials);
  const denied = `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.Arn}`;
  await rejects(world.sts(mfaSession, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session' }), 'AccessDenied', denied);
  // A fresh code in the request itself makes the age 0 again.
  assert.ok(await world.sts(mfaSession, 'AssumeRole', { RoleArn: role.Arn, RoleSessionName: 'session', SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) }));
});

test('a chained role session keeps the MFA authentication of the session that assumed it; a role session has no devices to pass', async () => {
  const world = new World();
  const alice = await userWithDevice(world, 'alice');
  const requireMfa = policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT_A }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } });
  const first = await world.createRole('First', requireMfa, { inline: { all: ALLOW_ALL } });
  const second = await world.createRole('Second', requireMfa);
  const firstSession = await world.signIn(
    (await world.sts(alice.signedIn, 'AssumeRole', { RoleArn: first.Arn, RoleSessionName: 'session', SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) })).Credentials,
  );
  const chained = await world.signIn((await world.sts(firstSession, 'AssumeRole', { RoleArn: second.Arn, RoleSessionName: 'session' })).Credentials);
  assert.equal(chained.caller.session?.mfaAuthenticatedAt, '2025-03-04T05:06:07Z');
  world.now = new Date(NOW.getTime() + 30_000);
  await rejects(
    world.sts(firstSession, 'AssumeRole', { RoleArn: second.Arn, RoleSessionName: 'session', SerialNumber: alice.serial, TokenCode: codeAt(alice.seed, world.now) }),
    'AccessDenied',
    NOT_THE_USERS_DEVICE,
  );
});
