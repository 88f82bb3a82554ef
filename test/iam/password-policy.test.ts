// The account password policy (API_UpdateAccountPasswordPolicy.html, API_GetAccountPasswordPolicy.html,
// API_DeleteAccountPasswordPolicy.html, id_credentials_passwords_account-policy.html) and its enforcement by
// CreateLoginProfile, UpdateLoginProfile and ChangePassword: AWS's PasswordPolicyViolation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorizeTargets } from '../../src/auth/authorize.js';
import { ACCOUNT, asUser, call, newContext, rejects } from './fixtures.js';

const VIOLATION = 'Password does not conform to the account password policy.';

test('GetAccountPasswordPolicy without a policy: NoSuchEntity naming the account (API_GetAccountPasswordPolicy.html)', async () => {
  const root = newContext();
  await rejects(call(root, 'GetAccountPasswordPolicy', {}), 'NoSuchEntity', `The Password Policy with domain name ${ACCOUNT} cannot be found.`);
  // DeleteAccountPasswordPolicy words it differently (AWS-recorded responses, issue 11).
  await rejects(call(root, 'DeleteAccountPasswordPolicy', {}), 'NoSuchEntity', 'The account policy with name PasswordPolicy cannot be found.');
});

test('UpdateAccountPasswordPolicy with no members sets the defaults: length 6, nothing required (API_UpdateAccountPasswordPolicy.html)', async () => {
  const root = newContext();
  await call(root, 'UpdateAccountPasswordPolicy', {});
  assert.deepEqual((await call(root, 'GetAccountPasswordPolicy', {})).PasswordPolicy, {
    MinimumPasswordLength: 6,
    RequireSymbols: false,
    RequireNumbers: false,
    RequireUppercaseCharacters: false,
    RequireLowercaseCharacters: false,
    AllowUsersToChangePassword: false,
    ExpirePasswords: false,
  });
});

test('No partial updates: members left out revert to their defaults; ExpirePasswords follows MaxPasswordAge (API_PasswordPolicy.html)', async () => {
  const root = newContext();
  await call(root, 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 12, RequireSymbols: true, MaxPasswordAge: 90, PasswordReusePrevention: 3, HardExpiry: false });
  const first = (await call(root, 'GetAccountPasswordPolicy', {})).PasswordPolicy;
  assert.equal(first.ExpirePasswords, true);
  assert.equal(first.MaxPasswordAge, 90);
  assert.equal(first.PasswordReusePrevention, 3);
  assert.equal(first.HardExpiry, false);
  await call(root, 'UpdateAccountPasswordPolicy', { RequireNumbers: true });
  const second = (await call(root, 'GetAccountPasswordPolicy', {})).PasswordPolicy;
  assert.equal(second.MinimumPasswordLength, 6);
  assert.equal(second.RequireSymbols, false);
  assert.equal(second.RequireNumbers, true);
  assert.equal(second.ExpirePasswords, false);
  assert.equal(second.MaxPasswordAge, undefined);
  await call(root, 'DeleteAccountPasswordPolicy', {});
  await rejects(call(root, 'GetAccountPasswordPolicy', {}), 'NoSuchEntity', `The Password Policy with domain name ${ACCOUNT} cannot be found.`);
});

test('The model bounds the policy: MinimumPasswordLength 6..128, PasswordReusePrevention 1..24', async () => {
  const root = newContext();
  await assert.rejects(call(root, 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 5 }), { code: 'ValidationError' });
  await assert.rejects(call(root, 'UpdateAccountPasswordPolicy', { PasswordReusePrevention: 25 }), { code: 'ValidationError' });
});

test('CreateLoginProfile enforces length, symbols, numbers and both cases: PasswordPolicyViolation (id_credentials_passwords_account-policy.html)', async () => {
  const root = newContext();
  await call(root, 'CreateUser', { UserName: 'alice' });
  await call(root, 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 10, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true });
  for (const weak of ['Sh0rt!pw', 'NoSymbols123a', 'No-Numbers-here', 'no-upper-case-1', 'NO-LOWER-CASE-1', 'Tabbed\tPassw0rd']) {
    await rejects(call(root, 'CreateLoginProfile', { UserName: 'alice', Password: weak }), 'PasswordPolicyViolation', VIOLATION);
  }
  await rejects(call(root, 'GetLoginProfile', { UserName: 'alice' }), 'NoSuchEntity', 'Login Profile for User alice cannot be found.');
  await call(root, 'CreateLoginProfile', { UserName: 'alice', Password: 'Strong-Passw0rd' });
});

test('UpdateLoginProfile and ChangePassword are held to the policy too', async () => {
  const root = newContext();
  await call(root, 'CreateUser', { UserName: 'alice' });
  await call(root, 'CreateLoginProfile', { UserName: 'alice', Password: 'Weak-but-ok1' });
  await call(root, 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 8, RequireNumbers: true });
  await rejects(call(root, 'UpdateLoginProfile', { UserName: 'alice', Password: 'nonumbers' }), 'PasswordPolicyViolation', VIOLATION);
  await rejects(call(asUser(root, 'alice'), 'ChangePassword', { OldPassword: 'Weak-but-ok1', NewPassword: 'short1' }), 'PasswordPolicyViolation', VIOLATION);
  await call(asUser(root, 'alice'), 'ChangePassword', { OldPassword: 'Weak-but-ok1', NewPassword: 'longer-with-1' });
});

test('PasswordReusePrevention refuses the last N passwords, compared by hash, and allows older ones', async () => {
  const root = newContext();
  await call(root, 'CreateUser', { UserName: 'alice' });
  await call(root, 'UpdateAccountPasswordPolicy', { PasswordReusePrevention: 2 });
  await call(root, 'CreateLoginProfile', { UserName: 'alice', Password: 'first-pass' });
  const alice = asUser(root, 'alice');
  await rejects(call(alice, 'ChangePassword', { OldPassword: 'first-pass', NewPassword: 'first-pass' }), 'PasswordPolicyViolation', VIOLATION);
  await call(alice, 'ChangePassword', { OldPassword: 'first-pass', NewPassword: 'second-pass' });
  await rejects(call(root, 'UpdateLoginProfile', { UserName: 'alice', Password: 'first-pass' }), 'PasswordPolicyViolation', VIOLATION);
  await call(alice, 'ChangePassword', { OldPassword: 'second-pass', NewPassword: 'third-pass' });
  // first-pass is now the third most recent: outside a window of two.
  await call(alice, 'ChangePassword', { OldPassword: 'third-pass', NewPassword: 'first-pass' });
});

test('AllowUsersToChangePassword grants every IAM user iam:ChangePassword on itself and iam:GetAccountPasswordPolicy, with no policy attached (API_PasswordPolicy.html)', async () => {
  const root = newContext();
  const created = await call(root, 'CreateUser', { UserName: 'alice' });
  await call(root, 'CreateUser', { UserName: 'bob' });
  const alice = { ...asUser(root, 'alice'), caller: { ...asUser(root, 'alice').caller, userId: created.User.UserId } };
  const decide = (action: string, resource: string) =>
    alice.store.read((reader) => authorizeTargets(alice, reader, [{ action, resource }])).then(
      () => 'allowed',
      (error: { code?: string }) => error.code,
    );
  const aliceArn = `arn:aws:iam::${ACCOUNT}:user/alice`;
  const bobArn = `arn:aws:iam::${ACCOUNT}:user/bob`;
  await call(root, 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 8 });
  assert.equal(await decide('iam:ChangePassword', aliceArn), 'AccessDenied', 'without the option a user needs a policy');
  await call(root, 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 8, AllowUsersToChangePassword: true });
  assert.equal(await decide('iam:ChangePassword', aliceArn), 'allowed');
  assert.equal(await decide('iam:GetAccountPasswordPolicy', '*'), 'allowed');
  assert.equal(await decide('iam:ChangePassword', bobArn), 'AccessDenied', 'only for the user itself');
  assert.equal(await decide('iam:UpdateLoginProfile', aliceArn), 'AccessDenied', 'nothing else');
  await call(root, 'PutUserPolicy', {
    UserName: 'alice',
    PolicyName: 'no-password-changes',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:ChangePassword', Resource: '*' }] }),
  });
  assert.equal(await decide('iam:ChangePassword', aliceArn), 'AccessDenied', 'an explicit deny still wins');
});
