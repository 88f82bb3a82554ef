/**
 * boto3 against the real server: an SSH public key (API_UploadSSHPublicKey.html, API_GetSSHPublicKey.html
 * in both encodings), a signing certificate (API_UploadSigningCertificate.html) and a service-specific
 * credential uploaded, read back, refusing DeleteUser (API_DeleteUser.html) and removed, in one python
 * process (python/user_credentials.py); the server's log never holds the service password.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { ACCOUNT_ID, E2eServer } from './harness.js';
import { newRsaPublicKey, newSelfSignedCertificate } from '../iam/credential-material.js';

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

interface CredentialsFlow {
  sshUploaded: Record<string, string>;
  sshAsSsh: string;
  sshAsPem: string;
  sshDuplicate: { code: string; status: number };
  sshListed: Array<Record<string, string>>;
  certificateUploaded: Record<string, string>;
  certificatesListed: Array<Record<string, string>>;
  deleteConflict: { code: string; message: string; status: number };
  serviceUserName: string;
  servicePassword: string;
  deleted: { code: string };
}

test('boto3: an SSH public key and a signing certificate uploaded and read back, a service-specific credential issued', async () => {
  const key = newRsaPublicKey();
  const certificate = newSelfSignedCertificate('boto3-signer');
  const userName = 'boto3-credentials';
  const flow = (await server.boto3File('user_credentials.py', { userName, sshKey: key.openSsh, certificate })) as CredentialsFlow;

  const keyId = flow.sshUploaded.SSHPublicKeyId!;
  assert.match(keyId, /^APKA[A-Z2-7]{16}$/);
  assert.deepEqual(flow.sshUploaded, { UserName: userName, SSHPublicKeyId: keyId, Fingerprint: key.md5Fingerprint, SSHPublicKeyBody: key.openSsh, Status: 'Active' });
  assert.equal(flow.sshAsSsh, key.openSsh);
  assert.ok(createPublicKey(flow.sshAsPem).equals(createPublicKey(key.pem)));
  assert.deepEqual(flow.sshDuplicate.code, 'DuplicateSSHPublicKey');
  assert.equal(flow.sshDuplicate.status, 400);
  assert.deepEqual(flow.sshListed, [{ UserName: userName, SSHPublicKeyId: keyId, Status: 'Inactive' }]);

  const certificateId = flow.certificateUploaded.CertificateId!;
  assert.deepEqual(flow.certificateUploaded, { UserName: userName, CertificateId: certificateId, CertificateBody: certificate, Status: 'Active' });
  assert.deepEqual(flow.certificatesListed, [flow.certificateUploaded]);
  assert.deepEqual(flow.deleteConflict, { code: 'DeleteConflict', message: 'Cannot delete entity, must delete signing certificates first.', status: 409 });

  assert.equal(flow.serviceUserName, `${userName}-at-${ACCOUNT_ID}`);
  assert.equal(flow.servicePassword.length, 44);
  assert.ok(!server.serverLog().includes(flow.servicePassword));
  assert.equal(flow.deleted.code, 'NoSuchEntity');
});
