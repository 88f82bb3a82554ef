// SSH public keys of IAM users for CodeCommit (API_UploadSSHPublicKey.html, API_GetSSHPublicKey.html,
// API_ListSSHPublicKeys.html, API_UpdateSSHPublicKey.html, API_DeleteSSHPublicKey.html), with real RSA
// keys whose OpenSSH form and MD5 fingerprint come from ssh-keygen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { call, newContext, rejects } from './fixtures.js';
import { newEd25519OpenSshKey, newRsaPublicKey } from './credential-material.js';

const KEY = newRsaPublicKey();

async function contextWithUser(userName = 'dev') {
  const context = newContext();
  await call(context, 'CreateUser', { UserName: userName });
  return context;
}

test('UploadSSHPublicKey: an ssh-rsa key gets an APKA id, the fingerprint ssh-keygen -E md5 prints, and status Active', async () => {
  const context = await contextWithUser();
  const { SSHPublicKey: key } = await call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: KEY.openSsh + ' dev@laptop\n' });
  assert.match(key.SSHPublicKeyId, /^APKA[A-Z2-7]{16}$/);
  assert.equal(key.Fingerprint, KEY.md5Fingerprint);
  assert.equal(key.Status, 'Active');
  assert.equal(key.UserName, 'dev');
  assert.equal(key.UploadDate, context.now.toISOString());
});

test('UploadSSHPublicKey: a PEM key has the same fingerprint as its ssh-rsa form, so uploading both is DuplicateSSHPublicKey', async () => {
  const context = await contextWithUser();
  const { SSHPublicKey: key } = await call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: KEY.pem });
  assert.equal(key.Fingerprint, KEY.md5Fingerprint);
  await rejects(
    call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: KEY.openSsh }),
    'DuplicateSSHPublicKey',
    `The SSH public key with fingerprint ${KEY.md5Fingerprint} is already associated with user dev.`,
  );
  // Another user may hold the same key: the duplicate rule is per user.
  await call(context, 'CreateUser', { UserName: 'ops' });
  await call(context, 'UploadSSHPublicKey', { UserName: 'ops', SSHPublicKeyBody: KEY.openSsh });
});

test('UploadSSHPublicKey: RSA only, at least 2048 bits, ssh-rsa or PEM (InvalidPublicKey, UnrecognizedPublicKeyEncoding)', async () => {
  const context = await contextWithUser();
  await rejects(
    call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: newRsaPublicKey(1024).openSsh }),
    'InvalidPublicKey',
    'The public key is 1024 bits long; the minimum is 2048 bits.',
  );
  await rejects(call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: 'ssh-rsa AAAAnotakey' }), 'InvalidPublicKey', 'The ssh-rsa public key is malformed.');
  await rejects(
    call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: newEd25519OpenSshKey() }),
    'UnrecognizedPublicKeyEncoding',
    'The public key encoding format is unsupported or unrecognized: use ssh-rsa or PEM.',
  );
  await rejects(call(context, 'UploadSSHPublicKey', { UserName: 'nobody', SSHPublicKeyBody: KEY.openSsh }), 'NoSuchEntity', 'The user with name nobody cannot be found.');
});

test('UploadSSHPublicKey: five keys per user (reference_iam-quotas.html), the sixth is LimitExceeded', async () => {
  const context = await contextWithUser();
  for (let i = 0; i < 5; i++) await call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: newRsaPublicKey().openSsh });
  await rejects(call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: KEY.openSsh }), 'LimitExceeded', 'Cannot exceed quota for SSHPublicKeysPerUser: 5');
});

test('GetSSHPublicKey: Encoding SSH answers the ssh-rsa form, PEM the same key as a PEM public key', async () => {
  const context = await contextWithUser();
  const { SSHPublicKey: uploaded } = await call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: KEY.pem });
  const id = uploaded.SSHPublicKeyId;
  const ssh = (await call(context, 'GetSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: id, Encoding: 'SSH' })).SSHPublicKey;
  assert.equal(ssh.SSHPublicKeyBody, KEY.openSsh);
  assert.equal(ssh.Fingerprint, KEY.md5Fingerprint);
  const pem = (await call(context, 'GetSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: id, Encoding: 'PEM' })).SSHPublicKey;
  assert.match(pem.SSHPublicKeyBody, /^-----BEGIN PUBLIC KEY-----\n/);
  assert.ok(createPublicKey(pem.SSHPublicKeyBody).equals(createPublicKey(KEY.pem)));
  await rejects(
    call(context, 'GetSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: 'APKAAAAAAAAAAAAAAAAA', Encoding: 'SSH' }),
    'NoSuchEntity',
    'The Public Key with id APKAAAAAAAAAAAAAAAAA cannot be found.',
  );
});

test('ListSSHPublicKeys, UpdateSSHPublicKey, DeleteSSHPublicKey: metadata only, Active/Inactive, gone after delete', async () => {
  const context = await contextWithUser();
  const { SSHPublicKey: key } = await call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: KEY.openSsh });
  await call(context, 'UpdateSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: key.SSHPublicKeyId, Status: 'Inactive' });
  const listed = await call(context, 'ListSSHPublicKeys', { UserName: 'dev' });
  assert.deepEqual(listed, { SSHPublicKeys: [{ UserName: 'dev', SSHPublicKeyId: key.SSHPublicKeyId, Status: 'Inactive', UploadDate: key.UploadDate }], IsTruncated: false });
  await rejects(
    call(context, 'UpdateSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: key.SSHPublicKeyId, Status: 'Expired' }),
    'InvalidInput',
    'Status Expired is not a valid value for an SSH public key update; use Active or Inactive.',
  );
  // Another user's key id is not found under this user.
  await call(context, 'CreateUser', { UserName: 'ops' });
  await rejects(call(context, 'DeleteSSHPublicKey', { UserName: 'ops', SSHPublicKeyId: key.SSHPublicKeyId }), 'NoSuchEntity', `The Public Key with id ${key.SSHPublicKeyId} cannot be found.`);
  await call(context, 'DeleteSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: key.SSHPublicKeyId });
  assert.deepEqual((await call(context, 'ListSSHPublicKeys', { UserName: 'dev' })).SSHPublicKeys, []);
});

test('DeleteUser (API_DeleteUser.html): DeleteConflict while the user has SSH public keys; UpdateUser moves them to the new name', async () => {
  const context = await contextWithUser();
  const { SSHPublicKey: key } = await call(context, 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: KEY.openSsh });
  await rejects(call(context, 'DeleteUser', { UserName: 'dev' }), 'DeleteConflict', 'Cannot delete entity, must delete SSH public keys first.');
  await call(context, 'UpdateUser', { UserName: 'dev', NewUserName: 'developer' });
  const listed = await call(context, 'ListSSHPublicKeys', { UserName: 'developer' });
  assert.deepEqual(listed.SSHPublicKeys.map((entry: { SSHPublicKeyId: string; UserName: string }) => [entry.SSHPublicKeyId, entry.UserName]), [[key.SSHPublicKeyId, 'developer']]);
  await call(context, 'DeleteSSHPublicKey', { UserName: 'developer', SSHPublicKeyId: key.SSHPublicKeyId });
  await call(context, 'DeleteUser', { UserName: 'developer' });
});
