// Console passwords (API_CreateLoginProfile.html, API_GetLoginProfile.html, API_UpdateLoginProfile.html,
// API_DeleteLoginProfile.html, API_ChangePassword.html) over a real in-memory SQLite store: stored only as
// salted scrypt hashes, enforced against the account password policy, and blocking DeleteUser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationContext } from '../../src/iam/operation.js';
import { passwordMatches } from '../../src/iam/password-hashing.js';
import type { LoginProfile } from '../../src/model/entities.js';
import { auditView } from '../../src/server/audit.js';
import { ACCOUNT, asUser, NOW, call, newContext, rejects } from './fixtures.js';

const PASSWORD = 'Correct-Horse-9';

async function storedProfile(context: OperationContext, userName: string): Promise<LoginProfile | undefined> {
  return context.store.read((reader) => reader.get<LoginProfile>('loginProfile', ACCOUNT, userName));
}

async function withProfile(userName = 'alice', password = PASSWORD): Promise<OperationContext> {
  const root = newContext();
  await call(root, 'CreateUser', { UserName: userName });
  await call(root, 'CreateLoginProfile', { UserName: userName, Password: password });
  return root;
}

test('CreateLoginProfile returns the LoginProfile without the password (API_CreateLoginProfile.html)', async () => {
  const root = newContext();
  await call(root, 'CreateUser', { UserName: 'alice' });
  const created = await call(root, 'CreateLoginProfile', { UserName: 'ALICE', Password: PASSWORD, PasswordResetRequired: true });
  assert.deepEqual(created, { LoginProfile: { UserName: 'alice', CreateDate: NOW.toISOString(), PasswordResetRequired: true } });
  assert.deepEqual(await call(root, 'GetLoginProfile', { UserName: 'alice' }), created);
});

test('The password is stored only as a salted scrypt hash, with a fresh salt each time', async () => {
  const root = await withProfile('alice');
  await call(root, 'CreateUser', { UserName: 'bob' });
  await call(root, 'CreateLoginProfile', { UserName: 'bob', Password: PASSWORD });
  const alice = (await storedProfile(root, 'alice'))!;
  const bob = (await storedProfile(root, 'bob'))!;
  assert.equal(JSON.stringify(alice).includes(PASSWORD), false);
  assert.match(alice.PasswordHash, /^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.notEqual(alice.PasswordHash, bob.PasswordHash, 'the same password hashes differently under different salts');
  assert.equal(await passwordMatches(PASSWORD, alice.PasswordHash), true);
  assert.equal(await passwordMatches('Correct-Horse-8', alice.PasswordHash), false);
});

test('A user has one login profile: EntityAlreadyExists; missing user or profile: NoSuchEntity (API_GetLoginProfile.html)', async () => {
  const root = await withProfile('alice');
  await rejects(call(root, 'CreateLoginProfile', { UserName: 'alice', Password: PASSWORD }), 'EntityAlreadyExists', 'Login Profile for user alice already exists.');
  await rejects(call(root, 'CreateLoginProfile', { UserName: 'nobody', Password: PASSWORD }), 'NoSuchEntity', 'The user with name nobody cannot be found.');
  await call(root, 'CreateUser', { UserName: 'bob' });
  await rejects(call(root, 'GetLoginProfile', { UserName: 'bob' }), 'NoSuchEntity', 'Login Profile for User bob cannot be found.');
  await rejects(call(root, 'UpdateLoginProfile', { UserName: 'bob', PasswordResetRequired: true }), 'NoSuchEntity', 'Login Profile for User bob cannot be found.');
  await rejects(call(root, 'DeleteLoginProfile', { UserName: 'bob' }), 'NoSuchEntity', 'Login Profile for User bob cannot be found.');
});

test('Without UserName the calling user is meant; root credentials must name a user (API_GetLoginProfile.html)', async () => {
  const root = await withProfile('alice');
  assert.equal((await call(asUser(root, 'alice'), 'GetLoginProfile', {})).LoginProfile.UserName, 'alice');
  await rejects(call(root, 'GetLoginProfile', {}), 'ValidationError', 'Must specify userName when calling with non-User credentials');
});

test('UpdateLoginProfile changes only what it is given (API_UpdateLoginProfile.html)', async () => {
  const root = await withProfile('alice');
  const before = (await storedProfile(root, 'alice'))!;
  await call(root, 'UpdateLoginProfile', { UserName: 'alice', PasswordResetRequired: true });
  const flagged = (await storedProfile(root, 'alice'))!;
  assert.equal(flagged.PasswordResetRequired, true);
  assert.equal(flagged.PasswordHash, before.PasswordHash);
  const later = new Date(NOW.getTime() + 60_000);
  await call({ ...root, now: later }, 'UpdateLoginProfile', { UserName: 'alice', Password: 'Another-Pass-1' });
  const changed = (await storedProfile(root, 'alice'))!;
  assert.equal(await passwordMatches('Another-Pass-1', changed.PasswordHash), true);
  assert.equal(changed.PasswordLastChanged, later.toISOString());
  assert.equal(changed.PasswordResetRequired, true, 'an omitted PasswordResetRequired is left as it was');
  assert.equal(changed.CreateDate, NOW.toISOString());
});

test('ChangePassword: the caller changes its own password with the right old one, clearing a pending reset (API_ChangePassword.html)', async () => {
  const root = await withProfile('alice');
  await call(root, 'UpdateLoginProfile', { UserName: 'alice', PasswordResetRequired: true });
  const alice = asUser(root, 'alice');
  await rejects(call(alice, 'ChangePassword', { OldPassword: 'not-the-password', NewPassword: 'New-Password-2' }), 'AccessDenied', 'The old password is incorrect.');
  await call(alice, 'ChangePassword', { OldPassword: PASSWORD, NewPassword: 'New-Password-2' });
  const profile = (await storedProfile(root, 'alice'))!;
  assert.equal(await passwordMatches('New-Password-2', profile.PasswordHash), true);
  assert.equal(profile.PasswordResetRequired, false);
});

test('ChangePassword with root credentials is InvalidUserType (awscli examples/iam/change-password.rst)', async () => {
  const root = await withProfile('alice');
  await rejects(call(root, 'ChangePassword', { OldPassword: PASSWORD, NewPassword: 'New-Password-2' }), 'InvalidUserType', 'Only an IAM user can change its own password.');
  await call(root, 'CreateUser', { UserName: 'bob' });
  await rejects(call(asUser(root, 'bob'), 'ChangePassword', { OldPassword: 'x', NewPassword: 'y' }), 'NoSuchEntity', 'Login Profile for User bob cannot be found.');
});

test('DeleteUser refuses while a login profile exists: DeleteConflict (API_DeleteUser.html)', async () => {
  const root = await withProfile('alice');
  await rejects(call(root, 'DeleteUser', { UserName: 'alice' }), 'DeleteConflict', 'Cannot delete entity, must delete login profile first.');
  await call(root, 'DeleteLoginProfile', { UserName: 'alice' });
  await call(root, 'DeleteUser', { UserName: 'alice' });
});

test('Renaming a user moves its login profile along (API_UpdateUser.html)', async () => {
  const root = await withProfile('alice');
  await call(root, 'UpdateUser', { UserName: 'alice', NewUserName: 'alicia' });
  assert.equal((await call(root, 'GetLoginProfile', { UserName: 'alicia' })).LoginProfile.UserName, 'alicia');
  await rejects(call(root, 'GetLoginProfile', { UserName: 'alice' }), 'NoSuchEntity', 'The user with name alice cannot be found.');
});

test('Passwords never reach the audit trail: Password, OldPassword and NewPassword are hidden', () => {
  const view = auditView({ UserName: 'alice', Password: PASSWORD, OldPassword: 'old-secret', NewPassword: 'new-secret', PasswordResetRequired: true }) as Record<string, unknown>;
  const text = JSON.stringify(view);
  for (const secret of [PASSWORD, 'old-secret', 'new-secret']) assert.equal(text.includes(secret), false, `${secret} is hidden`);
  assert.equal(view.userName, 'alice');
});
